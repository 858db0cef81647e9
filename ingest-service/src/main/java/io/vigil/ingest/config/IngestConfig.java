package io.vigil.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/**
 * The ingest service's settings ({@code vigil.ingest.*}), mapped from the environment in
 * application.properties (the environment variable of each is named below).
 */
@ConfigMapping(prefix = "vigil.ingest")
public interface IngestConfig {

    /** {@code VIGIL_PING_BODY_LIMIT}: bytes of a ping body kept byte-exact; the rest is read and discarded. */
    @WithDefault("102400")
    int bodyLimit();

    /** {@code VIGIL_PING_BODY_CAP}: a body larger than this many bytes is refused with 413. */
    @WithDefault("10485760")
    long bodyCap();

    /**
     * {@code VIGIL_PING_BODY_TIMEOUT}: how long a ping's body may take to arrive, from the request's head to its
     * last byte; a slower body is answered 408 and its connection closed.
     */
    @WithDefault("30s")
    Duration bodyTimeout();

    /**
     * {@code VIGIL_TRUSTED_PROXIES}: CIDR blocks (or single addresses) of proxies whose
     * {@code X-Forwarded-For} and {@code X-Forwarded-Proto} are believed. Loopback only by default: any
     * host of a private network could otherwise forge the recorded client address; name a reverse proxy's
     * address or network (for example {@code 10.0.0.0/8}) to trust it.
     */
    @WithDefault("127.0.0.0/8,::1/128")
    List<String> trustedProxies();

    /** {@code VIGIL_PING_ACK_TIMEOUT}: how long a ping waits for the broker's ack before the answer is 503. */
    @WithDefault("2s")
    Duration ackTimeout();

    /** The {@code Retry-After} seconds of a 503. */
    @WithDefault("2")
    int retryAfterSeconds();

    /** The Kafka bootstrap servers of this service ({@code VIGIL_KAFKA_BOOTSTRAP} through {@code kafka.bootstrap.servers}). */
    String kafkaBootstrap();

    /** {@code VIGIL_KAFKA_PARTITIONS}: partitions of the keyed topics when this service creates them. */
    @WithDefault("8")
    int partitions();

    /** {@code VIGIL_KAFKA_REPLICATION}: replication factor of the topics when this service creates them. */
    @WithDefault("1")
    short replication();

    /**
     * {@code VIGIL_PING_LINGER_MS}: the producer's {@code linger.ms}. 0 by default: a ping goes to the
     * broker at once, and concurrent pings still share requests, batched while earlier requests are
     * in flight; a wait here is added to every ping's answer when few senders ping.
     */
    @WithDefault("0")
    int lingerMs();

    /** How often this instance writes its watermark to every partition of the pings topic. */
    @WithDefault("200ms")
    Duration watermarkInterval();

    /** The lease of a watermark: the evaluator forgets this instance when no newer watermark came within it. */
    @WithDefault("5s")
    Duration leaseTtl();

    /** {@code VIGIL_LIVENESS_TIMEOUT}: how long a loop (watermark job, registry consumer) may stand still before liveness is DOWN. */
    @WithDefault("30s")
    Duration livenessTimeout();

    /** {@code VIGIL_BENCH_OK_ROUTE}: serve {@code /bench/ok}, a trivial OK answer that measures the HTTP ceiling. */
    @WithDefault("false")
    boolean benchOkRoute();
}
