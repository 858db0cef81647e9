package io.vigil.evaluator.scheduling;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vigil.evaluator.PartitionOffset;
import io.vigil.evaluator.config.EngineConfig;
import io.vigil.evaluator.messaging.KafkaTopology;
import io.vigil.evaluator.service.PingBatches;
import io.vigil.evaluator.service.PipelineWatch;
import io.vigil.evaluator.service.Sweep;
import io.vigil.outbox.DeadlineLoop;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Runs the deadline sweep on a {@link DeadlineLoop}: it sleeps until the earliest next alert time of any
 * partition (re-armed whenever something changes: an apply batch that moved a watermark, a lifecycle change),
 * with a slow safety poll; a partition whose watermark has not yet passed its earliest alert is looked at again
 * when the watermark moves. Each pass also checks for stalled watermarks and broken monitors
 * ({@code vigil-pipeline}). A failed pass is retried with backoff.
 */
@ApplicationScoped
public class SweepLoop {

    private final Sweep sweep;
    private final PipelineWatch pipeline;
    private final KafkaTopology topology;
    private final InstantSource clock;
    private final EngineConfig config;
    private final Timer sweepTimer;
    private final DeadlineLoop loop;

    private volatile boolean held;
    private Instant startedAt;
    private UUID pipelineId;

    public SweepLoop(Sweep sweep, PipelineWatch pipeline, KafkaTopology topology, InstantSource clock,
                     EngineConfig config, MeterRegistry metrics) {
        this.sweep = sweep;
        this.pipeline = pipeline;
        this.topology = topology;
        this.clock = clock;
        this.config = config;
        this.sweepTimer = Timer.builder("vigil.sweep.duration").description("one pass of the deadline sweep")
                .register(metrics);
        this.loop = new DeadlineLoop("vigil-sweep", clock, this::pass);
    }

    /** Starts the loop (the engine calls it once at start). */
    public synchronized void start() {
        startedAt = clock.instant();
        loop.start();
    }

    /** Stops the loop and waits for the pass in progress. */
    public void stop() {
        loop.stop(false, Duration.ofSeconds(10));
    }

    /**
     * A watermark moved: look again now only when the last pass left a deadline held back by a watermark
     * (otherwise the timer armed at the next deadline is enough).
     */
    public void watermarkMoved() {
        if (held) {
            nudge();
        }
    }

    /** A deadline may have changed (pings applied, a monitor paused, resumed or reconfigured): look again now. */
    public void nudge() {
        loop.nudge();
    }

    /** When the last pass finished, or null before the first. */
    public Instant lastPass() {
        return loop.lastSuccess();
    }

    /** Whether the loop runs and no pass is stuck (for liveness). */
    public boolean live(Duration stuckAfter) {
        return loop.live(stuckAfter);
    }

    private void sweepPartition(int partition, Instant until) {
        int limit = config.sweepBatch();
        try {
            while (sweep.sweepPartition(partition, until, limit) == limit) {
                // a full batch: there may be more due monitors
            }
        } catch (RuntimeException e) {
            if (PingBatches.isTransient(e)) {
                throw e; // the loop retries the pass with backoff
            }
            while (sweep.sweepEach(partition, until, limit) == limit) {
                // one monitor at a time, so the one that fails is set aside
            }
        }
    }

    /** One pass: sweep every partition up to its watermark; answers when the next pass is due. */
    private Instant pass() {
        long started = System.nanoTime();
        if (pipelineId == null) {
            pipelineId = pipeline.ensureRaced();
        }
        int partitions = topology.pingPartitions();
        Instant now = clock.instant();
        Map<Integer, PartitionOffset> stored = sweep.partitions();
        for (var entry : stored.entrySet()) {
            Instant watermark = entry.getValue().watermark;
            if (watermark == null || entry.getKey() >= partitions) {
                continue;
            }
            Instant until = watermark.isBefore(now) ? watermark : now;
            sweepPartition(entry.getKey(), until);
        }
        pipeline.check(pipelineId, stored, partitions, startedAt);
        sweepTimer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);

        Instant wakeAt = clock.instant().plus(config.safetyPoll());
        boolean anyHeld = false;
        for (var entry : sweep.earliestAlerts(partitions).entrySet()) {
            Instant alert = entry.getValue();
            if (alert.isAfter(now)) {
                // deadlines are strict: wake just after the alert time
                Instant at = alert.plusMillis(1);
                if (at.isBefore(wakeAt)) {
                    wakeAt = at;
                }
            } else {
                anyHeld = true; // held by its partition's watermark: the next batch that moves it wakes the sweep
            }
        }
        held = anyHeld;
        return wakeAt;
    }
}
