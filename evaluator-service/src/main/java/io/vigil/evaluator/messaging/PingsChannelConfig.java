package io.vigil.evaluator.messaging;

import io.smallrye.common.annotation.Identifier;
import io.vigil.evaluator.config.EngineConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * The settings of the {@code vigil-pings} channel that come from the engine's configuration rather than from
 * {@code mp.messaging.*} (durations such as {@code VIGIL_KAFKA_SESSION_TIMEOUT=10s} need converting), named in
 * {@code mp.messaging.incoming.vigil-pings.kafka-configuration}.
 */
@ApplicationScoped
public class PingsChannelConfig {

    /** The name the channel's {@code kafka-configuration} attribute refers to. */
    public static final String NAME = "vigil-pings-config";

    @Produces
    @Identifier(NAME)
    Map<String, Object> pingsConsumer(EngineConfig config) {
        long session = config.consumerSessionTimeout().toMillis();
        return Map.of(
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.pollRecords(),
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) session,
                // the client's default (3 s) unless the session is short enough to need a third of it
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.min(3_000, session / 3));
    }
}
