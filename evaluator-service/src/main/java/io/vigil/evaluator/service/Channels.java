package io.vigil.evaluator.service;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.logging.Log;
import io.vigil.contracts.ChannelChanged;
import io.vigil.contracts.DeliveryAttempted;
import io.vigil.contracts.Json;
import io.vigil.contracts.SecretsKeyring;
import io.vigil.contracts.Status;
import io.vigil.contracts.TargetPolicy;
import io.vigil.contracts.Topics;
import io.vigil.evaluator.Channel;
import io.vigil.evaluator.ChannelConfig;
import io.vigil.evaluator.Monitor;
import io.vigil.evaluator.config.AdminApiConfig;
import io.vigil.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Notification channels: create, replace, delete; every change is written to the outbox as a
 * {@link ChannelChanged} for {@code vigil.channels.v1} (a deletion as a tombstone) in the same
 * transaction. Targets are checked against the {@link TargetPolicy}.
 */
@ApplicationScoped
public class Channels {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final Outbox outbox;
    private final MonitorLifecycle lifecycle;
    private final EntityManager entities;
    private final InstantSource clock;
    private final TargetPolicy targets;
    private final SecretsKeyring keys;

    public Channels(Outbox outbox, MonitorLifecycle lifecycle, EntityManager entities, InstantSource clock,
                    AdminApiConfig config, SecretsKeyring keys) {
        this.keys = keys;
        this.outbox = outbox;
        this.lifecycle = lifecycle;
        this.entities = entities;
        this.clock = clock;
        this.targets = new TargetPolicy(config.allowPrivateTargets());
    }

    @Transactional
    public Channel create(ChannelSpec spec) {
        ObjectNode config = check(spec, null);
        Channel channel = new Channel();
        channel.id = UUID.randomUUID();
        channel.createdAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        channel.version = 0;
        apply(channel, spec, config);
        channel.persist();
        Log.infof("channel %s (%s) created", channel.id, channel.type.json());
        return channel;
    }

    /** Replaces every writable field; masked secrets sent back keep the stored ones. */
    @Transactional
    public Channel replace(UUID id, ChannelSpec spec) {
        Channel channel = Channel.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (channel == null) {
            throw missing(id);
        }
        ObjectNode config = check(spec, channel);
        apply(channel, spec, config);
        Log.infof("channel %s (%s) changed", channel.id, channel.type.json());
        return channel;
    }

    /**
     * Stores what a channel's provider reported moved with a delivery (a Telegram group that became a supergroup has a
     * new chat id), as an admin's change of those fields would: checked, the version bumped and the channel republished.
     * Only {@link io.vigil.contracts.ChannelDefinition.Field#movable} fields change, and only while the channel still
     * holds the values the notification was sent with (a channel edited meanwhile keeps its edit). Answers whether the
     * channel changed.
     */
    @Transactional
    public boolean followProvider(UUID id, DeliveryAttempted.ConfigChange change) {
        Channel channel = Channel.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (channel == null || change == null || change.to().isEmpty()) {
            return false;
        }
        ObjectNode config = config(channel);
        for (Map.Entry<String, String> moved : change.to().entrySet()) {
            boolean movable = channel.type.definition().field(moved.getKey())
                    .map(field -> field.movable() && !field.secret()).orElse(false);
            String from = change.from().get(moved.getKey());
            if (!movable || from == null || !from.equals(config.path(moved.getKey()).asText(null))) {
                Log.infof("channel %s (%s): a reported move of %s does not apply", channel.id, channel.type.json(), moved.getKey());
                return false;
            }
        }
        ObjectNode updated = config.deepCopy();
        change.to().forEach(updated::put);
        ChannelSpec spec = new ChannelSpec(channel.name, channel.type, updated, List.copyOf(channel.notifyOn),
                channel.remindEveryMs == null ? null : Duration.ofMillis(channel.remindEveryMs), List.of());
        ObjectNode checked;
        try {
            checked = check(spec, null);
        } catch (InvalidRequestException e) {
            Log.warnf("channel %s (%s): a reported move of %s is not a valid config", channel.id, channel.type.json(),
                    String.join(", ", change.to().keySet()));
            return false;
        }
        apply(channel, spec, checked);
        Log.infof("channel %s (%s) follows its provider: %s moved", channel.id, channel.type.json(),
                String.join(", ", change.to().keySet()));
        return true;
    }

    /** Deletes a channel and removes it from every monitor that used it. */
    @Transactional
    public void delete(UUID id) {
        Channel channel = Channel.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (channel == null) {
            throw missing(id);
        }
        @SuppressWarnings("unchecked")
        List<UUID> users = entities.createNativeQuery("SELECT id FROM monitor WHERE CAST(:id AS uuid) = ANY(channel_ids)",
                        UUID.class)
                .setParameter("id", id.toString()).getResultList();
        for (Monitor monitor : Monitor.lockAndRead(users)) {
            if (!monitor.channelIds.contains(id)) {
                continue; // changed while we waited for its lock
            }
            List<UUID> remaining = new ArrayList<>(monitor.channelIds);
            remaining.remove(id);
            monitor.channelIds = remaining;
            monitor.updatedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            lifecycle.reconfigured(monitor);
        }
        channel.delete();
        outbox.enqueue(Topics.CHANNELS, id.toString(), null);
        Log.infof("channel %s deleted (removed from %d monitors)", id, users.size());
    }

    @Transactional
    public Channel get(UUID id) {
        Channel channel = Channel.findById(id);
        if (channel == null) {
            throw missing(id);
        }
        return channel;
    }

    /** Channels by creation time. */
    @Transactional
    public Pages.Page<Channel> page(Pages.Cursor after, int limit) {
        List<Channel> fetched = after == null
                ? Channel.find("order by createdAt, id").page(0, limit + 1).list()
                : Channel.find("createdAt > ?1 or (createdAt = ?1 and id > ?2) order by createdAt, id",
                        after.at(), after.id()).page(0, limit + 1).list();
        return Pages.of(fetched, limit, channel -> Pages.Cursor.of(channel.createdAt, channel.id));
    }

    /** The stored, unmasked config of a channel. */
    public static ObjectNode config(Channel channel) {
        try {
            return (ObjectNode) Json.mapper().readTree(channel.config);
        } catch (Exception e) {
            throw new IllegalStateException("stored channel config is not JSON", e);
        }
    }

    private ObjectNode check(ChannelSpec spec, Channel stored) {
        List<FieldError> errors = new ArrayList<>(spec.errors());
        if (spec.type() == null) {
            throw invalid(errors);
        }
        var given = stored == null ? spec.config()
                : ChannelConfig.unmasked(spec.type(), spec.config(), stored.type, config(stored),
                        (field, message) -> errors.add(new FieldError(field, message)));
        ObjectNode config = ChannelConfig.normalise(spec.type(), given == null ? spec.config() : given,
                (field, message) -> errors.add(new FieldError(field, message)),
                (field, url) -> targets.refusal(url).ifPresent(reason -> errors.add(new FieldError(field, reason))));
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
        return config;
    }

    private void apply(Channel channel, ChannelSpec spec, ObjectNode config) {
        channel.name = spec.name();
        channel.type = spec.type();
        channel.config = config.toString();
        channel.notifyOn = new ArrayList<>(spec.notifyOn());
        channel.remindEveryMs = spec.remindEvery() == null ? null : spec.remindEvery().toMillis();
        channel.version++;
        channel.updatedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        outbox.enqueue(Topics.CHANNELS, channel.id.toString(), changed(channel, config, keys));
    }

    /** The channel's record for {@code vigil.channels.v1}, its settings sealed with the current key. */
    static ChannelChanged changed(Channel channel, ObjectNode config, SecretsKeyring keys) {
        return new ChannelChanged(channel.id, channel.name, channel.type, Json.mapper().convertValue(config, MAP),
                channel.notifyOn.stream().map(Status::valueOf).toList(),
                channel.remindEveryMs == null ? null : Duration.ofMillis(channel.remindEveryMs), channel.version)
                .sealedWith(keys);
    }

    private static InvalidRequestException invalid(List<FieldError> errors) {
        return new InvalidRequestException(errors.size() == 1 ? "The request has an invalid field."
                : "The request has " + errors.size() + " invalid fields.", errors);
    }

    private static NotFoundException missing(UUID id) {
        return new NotFoundException("No channel with id " + id + ".");
    }
}
