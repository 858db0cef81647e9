package io.vigil.contracts;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * The consumer-group session of a service's partitioned consumer ({@code VIGIL_KAFKA_SESSION_TIMEOUT}): how long the
 * broker waits for a silent instance (killed, frozen, cut off) before its partitions go to the others.
 */
public final class GroupSession {

    private GroupSession() {
    }

    /** The consumer settings for a session of {@code timeout}, with a heartbeat often enough for it. */
    public static Map<String, Object> consumerSettings(Duration timeout) {
        int session = Math.toIntExact(timeout.toMillis());
        Map<String, Object> settings = new HashMap<>();
        settings.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, session);
        // the client's default (3 s) unless the session is short enough to need a third of it
        settings.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Math.min(3_000, session / 3));
        return settings;
    }
}
