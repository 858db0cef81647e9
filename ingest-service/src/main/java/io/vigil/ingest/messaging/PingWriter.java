package io.vigil.ingest.messaging;

import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaProducer;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vigil.contracts.IngestWatermark;
import io.vigil.contracts.Json;
import io.vigil.contracts.PingReceived;
import io.vigil.contracts.Topics;
import io.vigil.ingest.config.IngestConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.kafka.common.PartitionInfo;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

/**
 * The one producer of this instance, the connector's {@code pings} channel (an {@link Emitter}):
 * writes pings to {@link Topics#PINGS} keyed by monitor id and, through the same channel and so the
 * same Kafka producer, the instance's watermark to every partition (DESIGN.md). It remembers the
 * pings not yet acknowledged ({@link PendingPings}), whose oldest received-at holds the watermark
 * back. The channel's settings (acks=all, idempotence, linger, the timeouts near the 503 bound) are
 * in application.properties and {@link ProducerSettings}.
 */
@ApplicationScoped
public class PingWriter {

    /** The channel, as application.properties configures it. */
    public static final String CHANNEL = "pings";

    /** Key of watermark records; they carry an explicit partition. */
    public static final String WATERMARK_KEY = "watermark";

    /** JSON, base64 body and headers of a ping beyond its body, generously. */
    private static final int RECORD_OVERHEAD = 64 * 1024;

    private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

    private final IngestConfig config;
    private final InstantSource clock;
    private final Emitter<byte[]> emitter;
    private final KafkaClientService clients;
    private final PendingPings pending = new PendingPings();
    private final String ingestId = UUID.randomUUID().toString();
    private volatile int partitions;

    public PingWriter(IngestConfig config, InstantSource clock, @Channel(CHANNEL) Emitter<byte[]> emitter, KafkaClientService clients) {
        this.config = config;
        this.clock = clock;
        this.emitter = emitter;
        this.clients = clients;
    }

    /** The largest record a ping can make with the configured body limit, in bytes. */
    public int maxRecordSize() {
        return maxRecordSize(config.bodyLimit());
    }

    /** The largest record a ping can make with this body limit, in bytes. */
    public static int maxRecordSize(int bodyLimit) {
        long base64 = 4L * ((bodyLimit + 2L) / 3);
        return (int) Math.min(Integer.MAX_VALUE, base64 + RECORD_OVERHEAD);
    }

    /** Waits (start-up only) until the producer knows the partitions of the pings topic. */
    public void start(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            try {
                List<PartitionInfo> info = producer().partitionsFor(Topics.PINGS).await().atMost(Duration.ofSeconds(5));
                if (info != null && !info.isEmpty()) {
                    partitions = info.size();
                    Log.infof("ingest %s writes pings to %s (%d partitions)", ingestId, Topics.PINGS, partitions);
                    return;
                }
            } catch (RuntimeException e) {
                Throwable refused = KafkaSettings.rejectedCredentials(e);
                if (refused != null) {
                    Log.errorf("the Kafka broker rejected this service's credentials (VIGIL_KAFKA_SECURITY_PROTOCOL, VIGIL_KAFKA_SASL_*): %s",
                            refused.getMessage());
                    throw new IllegalStateException("the Kafka broker rejected the credentials: " + refused.getMessage(), refused);
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the broker did not describe " + Topics.PINGS + " within " + within, e);
                }
            }
        }
    }

    private KafkaProducer<String, byte[]> producer() {
        return clients.getProducer(CHANNEL);
    }

    /** Whether the producer knows the pings topic. */
    public boolean started() {
        return partitions > 0;
    }

    /** This instance's id, as its watermarks carry it. */
    public String ingestId() {
        return ingestId;
    }

    /**
     * Writes a ping. {@code build} receives the received-at time (read after the ping is registered as
     * pending, so a concurrent watermark never passes it) and returns the record. The stage completes
     * when the broker acknowledged the record, or exceptionally.
     */
    public CompletionStage<PingReceived> write(Function<Instant, PingReceived> build) {
        PendingPings.Entry entry = pending.register(clock.instant());
        PingReceived ping;
        try {
            ping = build.apply(clock.instant());
        } catch (RuntimeException e) {
            pending.release(entry);
            throw e;
        }
        CompletableFuture<PingReceived> acked = new CompletableFuture<>();
        Metadata key = Metadata.of(OutgoingKafkaRecordMetadata.<String>builder().withKey(ping.monitorId().toString()).build());
        try {
            emitter.send(Message.of(Json.write(ping), key, () -> {
                pending.release(entry);
                acked.complete(ping);
                return DONE;
            }, error -> {
                pending.release(entry);
                acked.completeExceptionally(error);
                return DONE;
            }));
        } catch (RuntimeException e) {
            pending.release(entry);
            acked.completeExceptionally(e);
        }
        return acked;
    }

    /**
     * Writes this instance's watermark to every partition: the oldest received-at among pings not yet
     * acknowledged, or now. {@code now} is read before the pending pings are looked at: a ping that
     * registers later reads its received-at later, so it is never older than the watermark.
     */
    public void writeWatermarks(Duration leaseTtl) {
        int count = partitions;
        if (count == 0) {
            return;
        }
        Instant now = clock.instant();
        byte[] value = Json.write(new IngestWatermark(IngestWatermark.SCHEMA, ingestId, pending.watermark(now), now.plus(leaseTtl)));
        for (int partition = 0; partition < count; partition++) {
            Metadata target = Metadata.of(OutgoingKafkaRecordMetadata.<String>builder()
                    .withKey(WATERMARK_KEY).withPartition(partition).build());
            try {
                emitter.send(Message.of(value, target, () -> DONE, error -> {
                    Log.debugf("watermark not written: %s", error.getMessage());
                    return DONE;
                }));
            } catch (RuntimeException e) {
                Log.debugf("watermark not written: %s", e.getMessage());
                return;
            }
        }
        refreshPartitions();
    }

    /** Learns partitions added to the pings topic (the producer's metadata, on its sending thread). */
    private void refreshPartitions() {
        producer().partitionsFor(Topics.PINGS).subscribe().with(info -> {
            if (info != null && !info.isEmpty()) {
                partitions = info.size();
            }
        }, error -> {
            // keep the last known count while the broker is away
        });
    }

    /** The number of pings sent and not yet acknowledged. */
    public int pendingCount() {
        return pending.size();
    }
}
