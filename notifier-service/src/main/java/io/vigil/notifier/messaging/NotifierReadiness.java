package io.vigil.notifier.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the channel view has read its topic up to where it ended at start, and while both consumers can record
 * their batches (a lost database shows here and in the datasource's own check; a lost broker in Kafka's).
 */
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
        boolean caughtUp = channelView.caughtUp();
        boolean recording = !channelView.failing() && !flipConsumer.failing();
        return HealthCheckResponse.named("notifier-consumers")
                .status(caughtUp && recording)
                .withData("channelViewCaughtUp", caughtUp)
                .withData("channelViewRecording", !channelView.failing())
                .withData("flipConsumerRecording", !flipConsumer.failing())
                .build();
    }
}
