package io.vigil.evaluator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * The monitor engine's settings ({@code vigil.evaluator.engine.*}), mapped from the environment in
 * {@code META-INF/microprofile-config.properties}.
 */
@ConfigMapping(prefix = "vigil.evaluator.engine")
public interface EngineConfig {

    /** {@code VIGIL_KAFKA_PARTITIONS}: partitions of Vigil's keyed topics when this service creates them. */
    @WithDefault("8")
    int kafkaPartitions();

    /** {@code VIGIL_KAFKA_REPLICATION}: replication factor of Vigil's topics when this service creates them. */
    @WithDefault("1")
    short kafkaReplication();

    /** {@code VIGIL_PING_HISTORY}: how many of its newest pings each monitor keeps. */
    @WithDefault("100")
    int pingHistory();

    /** {@code VIGIL_ADMIN_URL}: this service's public base URL, the base of the monitor links in alerts. */
    @WithDefault("http://localhost:8081")
    String adminUrl();

    /** {@code VIGIL_HEARTBEAT_URL}: Vigil's own heartbeat, pinged only while the evaluator is healthy. */
    Optional<String> heartbeatUrl();

    /** {@code VIGIL_HEARTBEAT_FREQUENCY}: how often, in any form {@code Durations} reads. */
    @WithDefault("every 1 minute")
    String heartbeatFrequency();

    /**
     * {@code VIGIL_STALL_THRESHOLD}: a partition whose watermark has not moved for this long is stalled:
     * its monitors are held and {@code vigil-pipeline} goes DOWN.
     */
    @WithDefault("30s")
    Duration stallThreshold();

    /**
     * {@code VIGIL_KAFKA_SESSION_TIMEOUT}: how long the broker waits for a silent instance (killed, frozen,
     * cut off) before giving its partitions of {@code vigil.pings.v1} to the other instances; until then those
     * partitions are not applied and their watermarks do not move. Below the stall threshold, a crashed
     * instance is replaced before {@code vigil-pipeline} goes DOWN. Within the broker's
     * {@code group.min.session.timeout.ms} and {@code group.max.session.timeout.ms} (6 s and 30 min by default).
     */
    @WithDefault("10s")
    Duration consumerSessionTimeout();

    /** How often the sweep looks even when nothing woke it. */
    @WithDefault("5s")
    Duration safetyPoll();

    /**
     * How often the release pass of dependencies looks for held DOWN alerts whose parents are back, when no recovery
     * on this instance woke it.
     */
    @WithDefault("1s")
    Duration releasePoll();

    /** Monitors claimed per sweep transaction. */
    @WithDefault("500")
    int sweepBatch();

    /**
     * Records per consumer poll (and so per apply transaction): a batch's fixed costs (offsets, leases, the
     * commit) spread over more pings.
     */
    @WithDefault("1000")
    int pollRecords();

    /** Off only for tools that want the database without the engine running. */
    @WithDefault("true")
    boolean enabled();
}
