package io.vigil.ingest.messaging;

import io.quarkus.logging.Log;
import io.vigil.contracts.TopicLayout;
import io.vigil.contracts.Topics;
import io.vigil.ingest.config.IngestConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Start-up checks against the broker: Vigil's topics exist (created when missing), and the largest
 * ping record the body limit allows fits the pings topic's {@code max.message.bytes}.
 */
@ApplicationScoped
public class Topology {

    private final IngestConfig config;
    private final KafkaSettings kafka;

    public Topology(IngestConfig config, KafkaSettings kafka) {
        this.config = config;
        this.kafka = kafka;
    }

    /**
     * The topic's configuration; a topic created a moment ago may not be known to the broker that
     * answers yet (its metadata is still on the way), so that is asked again for a few seconds.
     */
    private static Map<ConfigResource, Config> describe(Admin admin, ConfigResource topic)
            throws InterruptedException, java.util.concurrent.ExecutionException, java.util.concurrent.TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                return admin.describeConfigs(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100); // start-up only
            }
        }
    }

    /** Ensures the topics and checks the record size; fails start-up with a clear message otherwise. */
    public void ensure(int maxRecordSize) {
        Map<String, Object> props = kafka.forClient(AdminClientConfig.configNames());
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "vigil-ingest-admin");
        try (Admin admin = Admin.create(props)) {
            TopicLayout.ensure(admin, config.partitions(), config.replication());
            ConfigResource pings = new ConfigResource(ConfigResource.Type.TOPIC, Topics.PINGS);
            Map<ConfigResource, Config> configs = describe(admin, pings);
            ConfigEntry entry = configs.get(pings).get("max.message.bytes");
            if (entry != null && entry.value() != null && Long.parseLong(entry.value()) < maxRecordSize) {
                throw new IllegalStateException(String.format(
                        "VIGIL_PING_BODY_LIMIT=%d needs records of up to %d bytes, but %s allows %s (raise its max.message.bytes or lower the limit)",
                        config.bodyLimit(), maxRecordSize, Topics.PINGS, entry.value()));
            }
            Log.infof("topics ready; ping bodies kept up to %d bytes (records up to %d bytes)", config.bodyLimit(), maxRecordSize);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking the topics", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException | RuntimeException e) {
            Throwable refused = KafkaSettings.rejectedCredentials(e);
            if (refused != null) {
                // One clear line, then a failed start: retrying cannot fix credentials.
                Log.errorf("the Kafka broker rejected this service's credentials (VIGIL_KAFKA_SECURITY_PROTOCOL, VIGIL_KAFKA_SASL_*): %s",
                        refused.getMessage());
                throw new IllegalStateException("the Kafka broker rejected the credentials: " + refused.getMessage(), refused);
            }
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("cannot describe " + Topics.PINGS + ": " + e.getMessage(), e);
        }
    }
}
