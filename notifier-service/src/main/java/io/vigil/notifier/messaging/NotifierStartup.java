package io.vigil.notifier.messaging;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vigil.contracts.TopicLayout;
import io.vigil.notifier.config.NotifierConfig;
import io.vigil.notifier.scheduling.Dispatcher;
import io.vigil.outbox.OutboxRelay;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.admin.Admin;

/**
 * Brings the notifier up in order: topics, the outbox relay, the channel view, the flip consumer, the dispatcher;
 * and down in reverse, so the last attempts' outcomes are relayed before the relay stops.
 */
@ApplicationScoped
public class NotifierStartup {

    private final KafkaSettings settings;
    private final NotifierConfig config;
    private final ChannelView channelView;
    private final FlipConsumer flipConsumer;
    private final Dispatcher dispatcher;
    private final OutboxRelay relay;

    public NotifierStartup(KafkaSettings settings, NotifierConfig config, ChannelView channelView, FlipConsumer flipConsumer,
                           Dispatcher dispatcher, OutboxRelay relay) {
        this.relay = relay;
        this.settings = settings;
        this.config = config;
        this.channelView = channelView;
        this.flipConsumer = flipConsumer;
        this.dispatcher = dispatcher;
    }

    void onStart(@Observes StartupEvent event) {
        try (Admin admin = Admin.create(settings.admin())) {
            TopicLayout.ensure(admin, config.kafkaPartitions(), config.kafkaReplication());
        }
        relay.start();
        channelView.start();
        flipConsumer.start();
        dispatcher.start();
        Log.infof("notifier started (private targets %s)", config.allowPrivateTargets() ? "allowed" : "refused");
    }

    void onStop(@Observes ShutdownEvent event) {
        flipConsumer.stop();
        channelView.stop();
        dispatcher.stop();
        relay.stop();
    }
}
