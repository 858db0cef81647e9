package io.vigil.evaluator.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.vigil.contracts.Json;
import io.vigil.contracts.SecretsKeyring;
import io.vigil.contracts.Topics;
import io.vigil.evaluator.Channel;
import io.vigil.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;

/**
 * At every start, each channel's record goes on {@code vigil.channels.v1} again, sealed with the current
 * {@code VIGIL_SECRETS_KEY} (same version, so the notifier changes nothing but its key). That is the key rotation:
 * start the evaluators with the new key and the old one in {@code VIGIL_SECRETS_PREVIOUS_KEYS}; once the topic is
 * compacted past the old records, the old key can go. It also seals the records written before sealing existed.
 */
@ApplicationScoped
public class ChannelResealing {

    private final Outbox outbox;
    private final SecretsKeyring keys;

    public ChannelResealing(Outbox outbox, SecretsKeyring keys) {
        this.outbox = outbox;
        this.keys = keys;
    }

    void onStart(@Observes StartupEvent started) {
        resealAll();
    }

    /** Writes every channel's record to the outbox again, sealed with the current key; returns how many. */
    public int resealAll() {
        int count = QuarkusTransaction.requiringNew().call(() -> {
            List<Channel> channels = Channel.listAll();
            for (Channel channel : channels) {
                ObjectNode config = (ObjectNode) Json.mapper().readTree(channel.config);
                outbox.enqueue(Topics.CHANNELS, channel.id.toString(), Channels.changed(channel, config, keys));
            }
            return channels.size();
        });
        if (count > 0) {
            Log.infof("%d channel record(s) sealed again with key %s", count, keys.currentKeyId());
        }
        return count;
    }
}
