package io.vigil.notifier.messaging;

import io.vigil.notifier.config.NotifierConfig;
import io.vigil.notifier.scheduling.Dispatcher;
import io.vigil.outbox.OutboxRelay;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Live while every consumer and loop makes progress: DOWN when the channel view or the flip consumer has been stuck
 * in one try of a batch, or the dispatcher's or the outbox relay's loop in one pass, for longer than
 * {@code vigil.notifier.stall-after}, or when one of those loops is not running. A consumer or loop that retries a lost database is not stuck (that is
 * readiness). A messaging channel that died is reported DOWN by the Kafka connector's own liveness check.
 */
@Liveness
@ApplicationScoped
public class NotifierLiveness implements HealthCheck {

    private final ChannelView channelView;
    private final FlipConsumer flipConsumer;
    private final Dispatcher dispatcher;
    private final OutboxRelay relay;
    private final NotifierConfig config;

    public NotifierLiveness(ChannelView channelView, FlipConsumer flipConsumer, Dispatcher dispatcher, OutboxRelay relay,
                            NotifierConfig config) {
        this.channelView = channelView;
        this.flipConsumer = flipConsumer;
        this.dispatcher = dispatcher;
        this.relay = relay;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        boolean viewStalled = channelView.stalled();
        boolean flipsStalled = flipConsumer.stalled();
        boolean dispatcherLive = dispatcher.live(config.stallAfter());
        boolean relayLive = relay.live(config.stallAfter());
        return HealthCheckResponse.named("notifier-loops")
                .status(!viewStalled && !flipsStalled && dispatcherLive && relayLive)
                .withData("channelViewStalled", viewStalled)
                .withData("flipConsumerStalled", flipsStalled)
                .withData("dispatcherLive", dispatcherLive)
                .withData("outboxRelayLive", relayLive)
                .build();
    }
}
