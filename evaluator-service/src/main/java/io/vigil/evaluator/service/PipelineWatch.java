package io.vigil.evaluator.service;

import io.quarkus.logging.Log;
import io.vigil.contracts.Status;
import io.vigil.contracts.TokenHash;
import io.vigil.evaluator.Monitor;
import io.vigil.evaluator.MonitorRules;
import io.vigil.evaluator.PartitionOffset;
import io.vigil.evaluator.Schedule;
import io.vigil.evaluator.config.EngineConfig;
import io.vigil.evaluator.messaging.KafkaTopology;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The reserved system monitor {@code vigil-pipeline}: DOWN while the watermark of any partition of
 * {@code vigil.pings.v1} has not moved for longer than the stall threshold (ingest down, broker down,
 * evaluator lagging), UP again when they all move. Its channels are set like any monitor's; it takes no
 * pings and the sweep never looks at it. A partition that has never carried a watermark counts as stalled
 * since this instance started.
 */
@ApplicationScoped
public class PipelineWatch {

    /** The reserved slug. */
    public static final String SLUG = "vigil-pipeline";

    private final FlipRecorder flips;
    private final InstantSource clock;
    private final EngineConfig config;
    private final KafkaTopology topology;

    public PipelineWatch(FlipRecorder flips, InstantSource clock, EngineConfig config, KafkaTopology topology) {
        this.flips = flips;
        this.clock = clock;
        this.config = config;
        this.topology = topology;
    }

    /** Creates {@code vigil-pipeline} when it is missing; returns its id. */
    @Transactional
    public UUID ensure() {
        Monitor existing = Monitor.findBySlug(SLUG);
        if (existing != null) {
            return existing.id;
        }
        Instant now = clock.instant();
        Monitor m = new Monitor();
        m.id = UUID.randomUUID();
        m.name = "Vigil pipeline";
        m.slug = SLUG;
        m.description = "Reserved: DOWN while pings cannot be trusted to arrive (a partition's watermark stalled).";
        m.system = true;
        Schedule.interval(config.stallThreshold()).applyTo(m);
        m.graceMs = 0;
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        m.token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        m.tokenHash = TokenHash.of(m.token);
        m.kafkaPartition = topology.partitionOf(m.id);
        m.status = Status.NEW;
        m.createdAt = now;
        m.updatedAt = now;
        m.persist();
        Log.infof("created the system monitor %s", SLUG);
        return m.id;
    }

    /** {@link #ensure()}, once more when another instance created it at the same moment. */
    public UUID ensureRaced() {
        try {
            return ensure();
        } catch (RuntimeException raced) {
            return ensure();
        }
    }

    /** The partitions whose watermark has not moved for longer than the threshold, as of {@code now}. */
    public List<Integer> stalled(Map<Integer, PartitionOffset> stored, int partitions, Instant startedAt, Instant now) {
        List<Integer> out = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            PartitionOffset po = stored.get(p);
            Instant since = po == null || po.watermarkAdvancedAt == null ? startedAt : po.watermarkAdvancedAt;
            if (Duration.between(since, now).compareTo(config.stallThreshold()) > 0) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * Flips {@code vigil-pipeline} DOWN once when partitions stall or a monitor cannot be evaluated (its pings
     * are kept, not applied), and UP once every partition moves and no monitor is broken.
     */
    @Transactional
    public void check(UUID pipelineId, Map<Integer, PartitionOffset> stored, int partitions, Instant startedAt) {
        Instant now = clock.instant();
        List<Integer> stalled = stalled(stored, partitions, startedAt, now);
        Monitor pipeline = Monitor.findLocked(pipelineId);
        if (pipeline == null || pipeline.status == Status.PAUSED) {
            return;
        }
        List<Monitor> broken = Monitor.find("errorText is not null order by errorAt").page(0, 5).list();
        if ((!stalled.isEmpty() || !broken.isEmpty()) && pipeline.status != Status.DOWN) {
            if (!stalled.isEmpty()) {
                Instant since = stalled.stream()
                        .map(p -> stored.get(p) == null || stored.get(p).watermarkAdvancedAt == null ? startedAt
                                : stored.get(p).watermarkAdvancedAt)
                        .min(Instant::compareTo).orElse(startedAt);
                String which = stalled.stream().map(String::valueOf).collect(Collectors.joining(", "));
                flips.record(pipeline, List.of(MonitorRules.flip(pipeline, Status.DOWN, "missed",
                        "pipeline stalled: the watermark of partition(s) " + which + " has not moved for over "
                                + io.vigil.evaluator.Durations.human(config.stallThreshold()) + "; deadlines are held",
                        since.plus(config.stallThreshold()))));
            } else {
                Monitor first = broken.get(0);
                String which = broken.stream().map(m -> m.slug).collect(Collectors.joining(", "));
                flips.record(pipeline, List.of(MonitorRules.flip(pipeline, Status.DOWN, "monitor-error",
                        "monitor(s) " + which + " cannot be evaluated (" + first.slug + ": " + first.errorText
                                + "); their pings are kept until they are changed", first.errorAt)));
            }
        } else if (stalled.isEmpty() && broken.isEmpty() && pipeline.status != Status.UP) {
            String reason = pipeline.status == Status.DOWN ? "recovered" : "ok";
            flips.record(pipeline, List.of(MonitorRules.flip(pipeline, Status.UP, reason,
                    "pipeline flowing: every partition's watermark is moving and every monitor can be evaluated", now)));
        }
    }
}
