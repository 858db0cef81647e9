package io.vigil.evaluator.messaging;

import io.smallrye.common.annotation.Identifier;
import io.vigil.contracts.TopicLayout;
import io.vigil.contracts.Topics;
import io.vigil.evaluator.config.EngineConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.utils.Utils;

/**
 * The evaluator's view of the broker: makes sure Vigil's topics exist, knows how many partitions
 * {@code vigil.pings.v1} has (a monitor's partition is where its pings travel). The consumers and producers
 * are SmallRye Reactive Messaging channels (application.properties).
 */
@ApplicationScoped
public class KafkaTopology {

    /** The consumer group every evaluator instance joins. */
    public static final String GROUP = "vigil-evaluator";

    private final Map<String, Object> kafka;
    private final EngineConfig config;
    private volatile int pingPartitions;

    /**
     * @param kafka the service's {@code kafka.*} settings (bootstrap servers, TLS, SASL), as every Kafka client of
     *              the evaluator gets them
     */
    public KafkaTopology(@Identifier("default-kafka-broker") Map<String, Object> kafka, EngineConfig config) {
        this.kafka = kafka;
        this.config = config;
    }

    /** Creates missing topics and learns the partition count of the pings topic. */
    public synchronized int pingPartitions() {
        if (pingPartitions == 0) {
            try (Admin admin = Admin.create(new HashMap<>(kafka))) {
                TopicLayout.ensure(admin, config.kafkaPartitions(), config.kafkaReplication());
                pingPartitions = describePings(admin);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while describing " + Topics.PINGS, e);
            } catch (Exception e) {
                throw new IllegalStateException("cannot describe " + Topics.PINGS + ": " + e.getMessage(), e);
            }
        }
        return pingPartitions;
    }

    /** The partition count of the pings topic; a topic just created may take a moment to be described. */
    private static int describePings(Admin admin) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return admin.describeTopics(List.of(Topics.PINGS)).allTopicNames().get(30, TimeUnit.SECONDS)
                        .get(Topics.PINGS).partitions().size();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100); // the new topic's metadata is on its way to this broker
            }
        }
    }

    /**
     * The partition of {@code vigil.pings.v1} that ingest's producer (Kafka's default partitioner) picks
     * for a monitor's key.
     */
    public int partitionOf(UUID monitorId) {
        return Utils.toPositive(Utils.murmur2(monitorId.toString().getBytes(StandardCharsets.UTF_8))) % pingPartitions();
    }
}
