package io.vigil.evaluator.messaging;

import io.vigil.contracts.TopicLayout;
import io.vigil.contracts.Topics;
import io.vigil.evaluator.config.EngineConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The evaluator's view of the broker: makes sure Vigil's topics exist, knows how many partitions
 * {@code vigil.pings.v1} has (a monitor's partition is where its pings travel), and builds the clients.
 */
@ApplicationScoped
public class KafkaTopology {

    /** The consumer group every evaluator instance joins. */
    public static final String GROUP = "vigil-evaluator";

    private final String bootstrap;
    private final EngineConfig config;
    private volatile int pingPartitions;

    public KafkaTopology(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap, EngineConfig config) {
        this.bootstrap = bootstrap;
        this.config = config;
    }

    /** Creates missing topics and learns the partition count of the pings topic. */
    public synchronized int pingPartitions() {
        if (pingPartitions == 0) {
            Map<String, Object> props = new HashMap<>();
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            try (Admin admin = Admin.create(props)) {
                TopicLayout.ensure(admin, config.kafkaPartitions(), config.kafkaReplication());
                pingPartitions = admin.describeTopics(List.of(Topics.PINGS)).allTopicNames().get(30, TimeUnit.SECONDS)
                        .get(Topics.PINGS).partitions().size();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while describing " + Topics.PINGS, e);
            } catch (Exception e) {
                throw new IllegalStateException("cannot describe " + Topics.PINGS + ": " + e.getMessage(), e);
            }
        }
        return pingPartitions;
    }

    /**
     * The partition of {@code vigil.pings.v1} that ingest's producer (Kafka's default partitioner) picks
     * for a monitor's key.
     */
    public int partitionOf(UUID monitorId) {
        return Utils.toPositive(Utils.murmur2(monitorId.toString().getBytes(StandardCharsets.UTF_8))) % pingPartitions();
    }

    /** An idempotent producer that waits for all in-sync replicas. */
    public KafkaProducer<String, byte[]> producer(String clientId) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    /** A consumer of the evaluator group that never commits on its own: offsets live in the database. */
    public KafkaConsumer<String, byte[]> consumer(String clientId) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.pollRecords());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        long session = config.consumerSessionTimeout().toMillis();
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) session);
        // the client's default (3 s) unless the session is short enough to need a third of it
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.min(3_000, session / 3));
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }
}
