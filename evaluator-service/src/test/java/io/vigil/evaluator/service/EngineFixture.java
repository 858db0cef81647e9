package io.vigil.evaluator.service;

import io.vigil.contracts.IngestWatermark;
import io.vigil.contracts.Json;
import io.vigil.contracts.MonitorFlipped;
import io.vigil.contracts.PingReceived;
import io.vigil.contracts.PingType;
import io.vigil.contracts.Topics;
import io.vigil.testkit.SharedInfra;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Stands in for ingest on the shared broker: writes pings and, every 200 ms, a watermark to every partition
 * of {@code vigil.pings.v1} (some partitions can be held back to simulate lag or a stall); and tails
 * {@code vigil.flips.v1} and {@code vigil.monitors.v1} so tests can look at what the engine relayed.
 */
final class EngineFixture {

    /** One relayed record. */
    record Relayed(String topic, String key, byte[] value) {
    }

    private static KafkaProducer<String, byte[]> producer;
    private static final Set<Integer> held = ConcurrentHashMap.newKeySet();
    private static volatile boolean allHeld;
    private static final List<Relayed> relayed = new CopyOnWriteArrayList<>();
    private static int partitions;

    private EngineFixture() {
    }

    /** Starts the stand-in ingest and the tail once per test JVM. */
    static synchronized void start() {
        if (producer != null) {
            return;
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.kafka().bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        partitions = producer.partitionsFor(Topics.PINGS).size();
        // A stand-in ingest instance: a watermark to every partition every 200 ms, as the real one writes.
        ScheduledExecutorService marks = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "test-ingest-watermarks");
            thread.setDaemon(true);
            return thread;
        });
        marks.scheduleAtFixedRate(EngineFixture::writeWatermarks, 0, 200, TimeUnit.MILLISECONDS);
        Thread tail = new Thread(EngineFixture::tail, "test-tail");
        tail.setDaemon(true);
        tail.start();
    }

    static int partitions() {
        return partitions;
    }

    /** Stops writing watermarks to {@code partition} until {@link #releaseAll()}. */
    static void hold(int partition) {
        held.add(partition);
    }

    /** Stops writing watermarks to every partition until {@link #releaseAll()}. */
    static void holdAll() {
        allHeld = true;
    }

    static void releaseAll() {
        allHeld = false;
        held.clear();
    }

    /** Now, in the millisecond precision pings carry. */
    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    static PingReceived ping(UUID monitorId, PingType type, Instant receivedAt) {
        return ping(monitorId, type, null, null, receivedAt, null);
    }

    static PingReceived ping(UUID monitorId, PingType type, Integer exit, UUID rid, Instant receivedAt, byte[] body) {
        return new PingReceived(PingReceived.SCHEMA, UUID.randomUUID(), monitorId, type, exit, rid, receivedAt, "POST",
                "http", "127.0.0.1", "engine-test", body == null ? null : "text/plain", body,
                body == null ? 0 : body.length);
    }

    /** Writes a ping keyed by its monitor, as ingest does, and waits for the broker's ack: where it was written. */
    static RecordMetadata send(PingReceived ping) {
        return sendRaw(ping.monitorId().toString(), Json.write(ping));
    }

    static RecordMetadata sendRaw(String key, byte[] value) {
        try {
            return producer.send(new ProducerRecord<>(Topics.PINGS, key, value)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The flips the engine relayed for the monitor, oldest first. */
    static List<MonitorFlipped> relayedFlips(UUID monitorId) {
        return relayed(Topics.FLIPS, monitorId.toString()).stream()
                .map(r -> Json.read(r.value(), MonitorFlipped.class)).toList();
    }

    /** What the engine relayed to {@code topic} under {@code key}, oldest first. */
    static List<Relayed> relayed(String topic, String key) {
        return relayed.stream().filter(r -> r.topic().equals(topic) && r.key().equals(key)).toList();
    }

    private static void writeWatermarks() {
        Instant now = now();
        for (int p = 0; p < partitions; p++) {
            if (allHeld || held.contains(p)) {
                continue;
            }
            IngestWatermark mark = new IngestWatermark(IngestWatermark.SCHEMA, "test-ingest", now, now.plusSeconds(2));
            producer.send(new ProducerRecord<>(Topics.PINGS, p, "watermark", Json.write(mark)));
        }
    }

    private static void tail() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.kafka().bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> tps = new java.util.ArrayList<>();
            for (String topic : List.of(Topics.FLIPS, Topics.MONITORS)) {
                consumer.partitionsFor(topic, Duration.ofSeconds(10))
                        .forEach(info -> tps.add(new TopicPartition(topic, info.partition())));
            }
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            while (true) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    relayed.add(new Relayed(r.topic(), r.key(), r.value()));
                }
            }
        }
    }
}
