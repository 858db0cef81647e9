package io.vigil.contracts;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates Vigil's topics when they are missing, so every service can start first on an empty broker.
 * Existing topics are left as they are (an operator may have given them more partitions).
 */
public final class TopicLayout {

    private TopicLayout() {
    }

    /**
     * @param partitions        partitions of the keyed event topics (pings, flips, deliveries)
     * @param replicationFactor 1 on a single broker; 3 in a real cluster (with min.insync.replicas=2)
     */
    public static void ensure(Admin admin, int partitions, short replicationFactor) {
        Map<String, String> compacted = Map.of("cleanup.policy", "compact");
        List<NewTopic> topics = List.of(
                new NewTopic(Topics.PINGS, partitions, replicationFactor),
                new NewTopic(Topics.FLIPS, partitions, replicationFactor),
                new NewTopic(Topics.DELIVERIES, partitions, replicationFactor),
                new NewTopic(Topics.MONITORS, partitions, replicationFactor).configs(compacted),
                new NewTopic(Topics.CHANNELS, partitions, replicationFactor).configs(compacted));
        var result = admin.createTopics(topics);
        for (var future : result.values().values()) {
            try {
                future.get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create Vigil's topics: " + e.getCause().getMessage(), e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating topics", e);
            } catch (TimeoutException e) {
                throw new IllegalStateException("the broker did not create Vigil's topics within 30 s", e);
            }
        }
    }
}
