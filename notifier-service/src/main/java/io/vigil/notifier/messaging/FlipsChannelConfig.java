package io.vigil.notifier.messaging;

import io.smallrye.common.annotation.Identifier;
import io.vigil.contracts.GroupSession;
import io.vigil.notifier.config.NotifierConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.util.Map;

/**
 * The settings of the {@code flips} channel that come from the notifier's configuration rather than from
 * {@code mp.messaging.*} (a duration such as {@code VIGIL_KAFKA_SESSION_TIMEOUT=10s} needs converting), named in
 * {@code mp.messaging.incoming.flips.kafka-configuration}.
 */
@ApplicationScoped
public class FlipsChannelConfig {

    /** The name the channel's {@code kafka-configuration} attribute refers to. */
    public static final String NAME = "vigil-flips-config";

    @Produces
    @Identifier(NAME)
    Map<String, Object> flipsConsumer(NotifierConfig config) {
        return GroupSession.consumerSettings(config.consumerSessionTimeout());
    }
}
