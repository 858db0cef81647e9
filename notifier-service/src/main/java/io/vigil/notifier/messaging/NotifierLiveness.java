package io.vigil.notifier.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * Live while every consumer and loop makes progress: DOWN when the channel view or the flip consumer has been stuck
 * in one try of a batch for longer than {@code vigil.notifier.consumers.stall-after} (a consumer that retries a lost
 * database is not stuck: that is readiness). A messaging channel that died is reported DOWN by the Kafka connector's
 * own liveness check.
 */
@Liveness
@ApplicationScoped
public class NotifierLiveness implements HealthCheck {

    private final ChannelView channelView;
    private final FlipConsumer flipConsumer;

    public NotifierLiveness(ChannelView channelView, FlipConsumer flipConsumer) {
        this.channelView = channelView;
        this.flipConsumer = flipConsumer;
    }

    @Override
    public HealthCheckResponse call() {
        boolean viewStalled = channelView.stalled();
        boolean flipsStalled = flipConsumer.stalled();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("notifier-loops")
                .status(!viewStalled && !flipsStalled)
                .withData("channelViewStalled", viewStalled)
                .withData("flipConsumerStalled", flipsStalled);
        return response.build();
    }
}
