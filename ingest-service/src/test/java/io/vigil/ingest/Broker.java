package io.vigil.ingest;

import io.vigil.contracts.Json;
import io.vigil.contracts.MonitorRegistered;
import io.vigil.contracts.PingKeyRegistered;
import io.vigil.contracts.PingReceived;
import io.vigil.contracts.PingsRecord;
import io.vigil.contracts.TokenHash;
import io.vigil.contracts.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Test access to a broker: registers monitors as the evaluator would, and reads what ingest wrote. */
final class Broker {

    /** A registered monitor and its raw token. */
    record Monitor(UUID id, String slug, String token, long version) {
    }

    private final String bootstrap;

    Broker(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    /** Registers a new monitor with a random token and slug. */
    Monitor register() {
        String token = randomToken();
        Monitor monitor = new Monitor(UUID.randomUUID(), "job-" + UUID.randomUUID().toString().substring(0, 8), token, 1);
        publish(monitor.id(), new MonitorRegistered(monitor.id(), monitor.slug(), TokenHash.of(token), 1));
        return monitor;
    }

    /** Registers a monitor with the given token (e.g. a Healthchecks UUID). */
    Monitor register(String token) {
        Monitor monitor = new Monitor(UUID.randomUUID(), "job-" + UUID.randomUUID().toString().substring(0, 8), token, 1);
        publish(monitor.id(), new MonitorRegistered(monitor.id(), monitor.slug(), TokenHash.of(token), 1));
        return monitor;
    }

    /** A registered ping key and its raw secret. */
    record PingKey(UUID id, String key) {
    }

    /** Registers a new ping key, as the evaluator publishes one (its hash, keyed by its id). */
    PingKey pingKey() {
        PingKey key = new PingKey(UUID.randomUUID(), randomToken());
        send(key.id(), Json.write(new PingKeyRegistered(key.id(), TokenHash.of(key.key()), 1)));
        return key;
    }

    /** Deletes the ping key: a tombstone under its id. */
    void delete(PingKey key) {
        send(key.id(), null);
    }

    /** Publishes a new token for the monitor, at a higher version. */
    Monitor rotate(Monitor monitor) {
        Monitor rotated = new Monitor(monitor.id(), monitor.slug(), randomToken(), monitor.version() + 1);
        publish(monitor.id(), new MonitorRegistered(monitor.id(), monitor.slug(), TokenHash.of(rotated.token()), rotated.version()));
        return rotated;
    }

    /** Publishes a registry record as it is given (e.g. a stale version). */
    void publish(UUID monitorId, MonitorRegistered record) {
        send(monitorId, record == null ? null : Json.write(record));
    }

    /** Deletes the monitor: a tombstone. */
    void delete(Monitor monitor) {
        send(monitor.id(), null);
    }

    private void send(UUID monitorId, byte[] value) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
            producer.send(new ProducerRecord<>(Topics.MONITORS, monitorId.toString(), value)).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every ping on the pings topic for this monitor, in offset order. */
    List<PingReceived> pings(UUID monitorId) {
        List<PingReceived> pings = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records(r -> monitorId.toString().equals(r.key()))) {
            if (Json.read(record.value(), PingsRecord.class) instanceof PingReceived ping) {
                pings.add(ping);
            }
        }
        return pings;
    }

    /** Every record on the pings topic that matches, read from the beginning to the current end. */
    List<ConsumerRecord<String, byte[]>> records(Predicate<ConsumerRecord<String, byte[]>> filter) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.PINGS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition())) && filter.test(record)) {
                        found.add(record);
                    }
                }
            }
        }
        return found;
    }

    static String randomToken() {
        return UUID.randomUUID().toString().replace("-", "") + "_tok";
    }
}
