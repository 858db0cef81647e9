package io.vigil.notifier;

import io.vigil.contracts.ChannelChanged;
import io.vigil.contracts.SecretsKeyring;
import io.vigil.contracts.ChannelType;
import io.vigil.contracts.DeliveryAttempted;
import io.vigil.contracts.Json;
import io.vigil.contracts.MonitorFlipped;
import io.vigil.contracts.Status;
import io.vigil.contracts.Topics;
import io.vigil.testkit.SharedInfra;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** What the notifier's tests publish (channels, flips) and read back (delivery outcomes), as the evaluator would. */
public final class Fixtures {

    private static KafkaProducer<String, byte[]> producer;
    private static final List<DeliveryAttempted> outcomes = new ArrayList<>();
    private static KafkaConsumer<String, byte[]> outcomeConsumer;

    /** The internal API's token in the test profile (application.properties). */
    public static final String INTERNAL_TOKEN = "test-internal-token-0123456789";

    private Fixtures() {
    }

    /** A request to the notifier's internal API, carrying the token the evaluator would send. */
    public static io.restassured.specification.RequestSpecification internal() {
        return io.restassured.RestAssured.given().header(io.vigil.notifier.rest.InternalAuth.HEADER, INTERNAL_TOKEN);
    }

    private static synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            Map<String, Object> config = new HashMap<>();
            config.put("bootstrap.servers", SharedInfra.kafka().bootstrapServers());
            config.put("acks", "all");
            config.put("key.serializer", StringSerializer.class.getName());
            config.put("value.serializer", ByteArraySerializer.class.getName());
            producer = new KafkaProducer<>(config);
        }
        return producer;
    }

    /** The keys the evaluator seals channel settings with: the test profile's {@code vigil.secrets.key}. */
    public static SecretsKeyring keys() {
        return SecretsKeyring.of(ConfigProvider.getConfig().getValue("vigil.secrets.key", String.class), null);
    }

    /** Publishes a channel on vigil.channels.v1, its settings sealed as the evaluator does, and returns its id. */
    public static UUID channel(ChannelType type, Map<String, Object> config, List<Status> notifyOn, Duration remindEvery) {
        UUID id = UUID.randomUUID();
        send(Topics.CHANNELS, id.toString(), Json.write(new ChannelChanged(id, type.json() + "-" + id.toString().substring(0, 8),
                type, config, notifyOn, remindEvery, 1).sealedWith(keys())));
        return id;
    }

    public static UUID slack(String url) {
        return channel(ChannelType.SLACK, Map.of("webhookUrl", url), null, null);
    }

    public static UUID webhook(String url) {
        return channel(ChannelType.WEBHOOK, Map.of("url", url), null, null);
    }

    /** A monitor of a test: its own id, name and flip sequence. */
    public static final class Monitor {
        public final UUID id = UUID.randomUUID();
        public final String name;
        private final AtomicLong sequence = new AtomicLong();
        private Status status = Status.NEW;
        public final List<UUID> channels;

        public Monitor(String name, UUID... channels) {
            this.name = name + "-" + id.toString().substring(0, 6);
            this.channels = List.of(channels);
        }

        /** Builds the next flip of this monitor. */
        public MonitorFlipped flip(Status to, String reason, String reasonText, String body) {
            Status from = status;
            status = to;
            Instant now = Instant.now();
            return new MonitorFlipped(MonitorFlipped.SCHEMA, UUID.randomUUID(), sequence.incrementAndGet(),
                    new MonitorFlipped.MonitorRef(id, name, name, List.of("prod", "db")), from, to, reason, reasonText,
                    now, now, now.minusSeconds(90), to == Status.UP && from == Status.DOWN ? Duration.ofMinutes(12) : null,
                    "http://localhost:8081/api/v1/monitors/" + id, body, channels);
        }

        public MonitorFlipped down() {
            return flip(Status.DOWN, "missed", "missed check-in: due 10:00:00Z, grace 5m", "backup failed: disk full");
        }

        public MonitorFlipped up() {
            return flip(Status.UP, status == Status.DOWN ? "recovered" : "ok", "success signal", "all good");
        }
    }

    public static MonitorFlipped publish(MonitorFlipped flip) {
        send(Topics.FLIPS, flip.monitor().id().toString(), Json.write(flip));
        return flip;
    }

    /** Publishes many flips at once (sent together, then waited for): a storm arrives within a window. */
    public static void publishAll(List<MonitorFlipped> flips) {
        List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
        for (MonitorFlipped flip : flips) {
            sent.add(producer().send(new ProducerRecord<>(Topics.FLIPS, flip.monitor().id().toString(), Json.write(flip))));
        }
        producer().flush();
        for (java.util.concurrent.Future<?> future : sent) {
            try {
                future.get();
            } catch (InterruptedException | ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static void send(String topic, String key, byte[] value) {
        try {
            producer().send(new ProducerRecord<>(topic, key, value)).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every DeliveryAttempted published so far (read from the beginning of vigil.deliveries.v1). */
    public static synchronized List<DeliveryAttempted> outcomes() {
        if (outcomeConsumer == null) {
            Map<String, Object> config = new HashMap<>();
            config.put("bootstrap.servers", SharedInfra.kafka().bootstrapServers());
            config.put("key.deserializer", StringDeserializer.class.getName());
            config.put("value.deserializer", ByteArrayDeserializer.class.getName());
            outcomeConsumer = new KafkaConsumer<>(config);
            List<TopicPartition> partitions = outcomeConsumer.partitionsFor(Topics.DELIVERIES).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            outcomeConsumer.assign(partitions);
            outcomeConsumer.seekToBeginning(partitions);
        }
        for (ConsumerRecord<String, byte[]> record : outcomeConsumer.poll(Duration.ofMillis(200))) {
            outcomes.add(Json.read(record.value(), DeliveryAttempted.class));
        }
        return List.copyOf(outcomes);
    }

    /** The outcomes published for one channel. */
    public static List<DeliveryAttempted> outcomesFor(UUID channelId) {
        return outcomes().stream().filter(outcome -> channelId.equals(outcome.channelId())).toList();
    }

    /** The alert outcomes (not tests, digests or reminders) published for one channel. */
    public static List<DeliveryAttempted> alertsFor(UUID channelId) {
        return outcomesFor(channelId).stream().filter(outcome -> "alert".equals(outcome.kind())).toList();
    }

    /** Waits until the notifier knows the channel from the topic (each probe is a test send to it). */
    public static void awaitKnown(UUID channel) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> internal().post("/internal/v1/channels/{id}/test", channel).statusCode() == 200);
    }
}
