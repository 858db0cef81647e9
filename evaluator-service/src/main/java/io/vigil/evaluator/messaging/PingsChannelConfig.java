package io.vigil.evaluator.messaging;

import io.smallrye.common.annotation.Identifier;
import io.vigil.contracts.GroupSession;
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
        Map<String, Object> settings = GroupSession.consumerSettings(config.consumerSessionTimeout());
        settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.pollRecords());
        return settings;
    }
}
