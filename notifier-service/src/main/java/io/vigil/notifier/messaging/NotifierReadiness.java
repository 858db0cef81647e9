package io.vigil.notifier.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the channel view has read its topic and the flip consumer is running and recording. */
@Readiness
@ApplicationScoped
public class NotifierReadiness implements HealthCheck {

    private final ChannelView channelView;
    private final FlipConsumer flipConsumer;

    public NotifierReadiness(ChannelView channelView, FlipConsumer flipConsumer) {
        this.channelView = channelView;
        this.flipConsumer = flipConsumer;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("notifier-consumers")
                .status(channelView.caughtUp() && flipConsumer.healthy())
                .withData("channelViewCaughtUp", channelView.caughtUp())
                .withData("flipConsumerHealthy", flipConsumer.healthy())
                .build();
    }
}
