package io.vigil.ingest.messaging;

import io.quarkus.logging.Log;
import io.vigil.contracts.IngestWatermark;
import io.vigil.contracts.Json;
import io.vigil.contracts.PingReceived;
import io.vigil.contracts.Topics;
import io.vigil.ingest.config.IngestConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The one producer of this instance: writes pings to {@link Topics#PINGS} and, through the same
 * producer so they are ordered behind the pings, the instance's watermark to every partition
 * (DESIGN.md). It remembers the pings not yet acknowledged ({@link PendingPings}), whose oldest
 * received-at holds the watermark back.
 * <p>
 * The hot path keeps the plain Kafka client, sending from the event loop that answers the ping: the
 * connector's {@code Emitter} (commit a3c9dab) hands every record to its one sending thread and
 * cost 34% of the durable pings/s at 64 connections in bench/ping (10,639 against 16,015 in the
 * same run; bench/ping/README.md). Its settings still come from the shared {@code kafka.*} ones.
 */
@ApplicationScoped
public class PingWriter {

    /** Key of watermark records; they carry an explicit partition. */
    public static final String WATERMARK_KEY = "watermark";

    /** JSON, base64 body and headers of a ping beyond its body, generously. */
    private static final int RECORD_OVERHEAD = 64 * 1024;

    private final IngestConfig config;
    private final InstantSource clock;
    private final String ingestId = UUID.randomUUID().toString();
    private final PendingPings pending = new PendingPings();
    private final KafkaSettings kafka;
    private volatile Producer<String, byte[]> producer;
    private volatile int partitions;

    @Inject
    public PingWriter(IngestConfig config, InstantSource clock, KafkaSettings kafka) {
        this.config = config;
        this.clock = clock;
        this.kafka = kafka;
    }

    /** A writer whose producer the test gives to {@link #start(Producer, Duration)}. */
    PingWriter(InstantSource clock) {
        this(null, clock, null);
    }

    /** The largest record a ping can make with the configured body limit, in bytes. */
    public int maxRecordSize() {
        long base64 = 4L * ((config.bodyLimit() + 2L) / 3);
        return (int) Math.min(Integer.MAX_VALUE, base64 + RECORD_OVERHEAD);
    }

    /** Creates the producer and waits (start-up only) until it knows the partitions of the pings topic. */
    public void start(Duration within) {
        long ackMs = config.ackTimeout().toMillis();
        int requestTimeout = (int) Math.max(500, ackMs - config.lingerMs() - 100);
        Map<String, Object> props = kafka.forClient(ProducerConfig.configNames());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "vigil-ingest-" + ingestId);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, Integer.toString(config.lingerMs()));
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(requestTimeout));
        // Near the 503 bound, so a ping answered 503 is seldom written later.
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(Math.max(ackMs, requestTimeout + config.lingerMs())));
        // send() runs on an event loop: never wait long for buffer space (the ping is answered 503 instead).
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "20");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(Math.max(1024 * 1024, maxRecordSize())));
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, "65536");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        start(new KafkaProducer<>(props), within);
    }

    /** Starts with a given producer (tests); waits until it knows the partitions of the pings topic. */
    void start(Producer<String, byte[]> producer, Duration within) {
        this.producer = producer;
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            try {
                List<PartitionInfo> info = producer.partitionsFor(Topics.PINGS);
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
            try {
                Thread.sleep(50); // start-up only: waiting for the producer's first metadata
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting the producer", e);
            }
        }
    }

    /** Whether the producer is created and knows the pings topic. */
    public boolean started() {
        return producer != null && partitions > 0;
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
        try {
            producer.send(new ProducerRecord<>(Topics.PINGS, ping.monitorId().toString(), Json.write(ping)), (metadata, error) -> {
                pending.release(entry);
                if (error == null) {
                    acked.complete(ping);
                } else {
                    acked.completeExceptionally(error);
                }
            });
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
        Producer<String, byte[]> p = producer;
        if (p == null) {
            return;
        }
        Instant now = clock.instant();
        Instant watermark = pending.watermark(now);
        byte[] value = Json.write(new IngestWatermark(IngestWatermark.SCHEMA, ingestId, watermark, now.plus(leaseTtl)));
        int count = currentPartitions(p);
        for (int partition = 0; partition < count; partition++) {
            try {
                p.send(new ProducerRecord<>(Topics.PINGS, partition, WATERMARK_KEY, value), (metadata, error) -> {
                    if (error != null) {
                        Log.debugf("watermark not written: %s", error.getMessage());
                    }
                });
            } catch (RuntimeException e) {
                Log.debugf("watermark not written: %s", e.getMessage());
                return;
            }
        }
    }

    /** The number of pings sent and not yet acknowledged. */
    public int pendingCount() {
        return pending.size();
    }

    private int currentPartitions(Producer<String, byte[]> p) {
        try {
            List<PartitionInfo> info = p.partitionsFor(Topics.PINGS);
            if (info != null && !info.isEmpty()) {
                partitions = info.size();
            }
        } catch (RuntimeException e) {
            // keep the last known count while the broker is away
        }
        return partitions;
    }

    /** Flushes what it can within {@code within} and closes the producer. */
    public void stop(Duration within) {
        Producer<String, byte[]> p = producer;
        producer = null;
        if (p != null) {
            p.close(within);
        }
    }
}
