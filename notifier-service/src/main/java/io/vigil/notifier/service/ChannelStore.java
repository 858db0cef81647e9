package io.vigil.notifier.service;

import io.vigil.contracts.ChannelChanged;
import io.vigil.contracts.ChannelDefinition;
import io.vigil.contracts.DeliveryAttempted.ConfigChange;
import io.vigil.contracts.Json;
import io.vigil.contracts.Status;
import io.vigil.notifier.Channel;
import io.vigil.notifier.ChannelEntry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The notifier's view of {@code vigil.channels.v1}: a record older than the version held is ignored;
 * a tombstone marks the channel deleted (kept, so a late flip naming it is recognised).
 */
@ApplicationScoped
public class ChannelStore {

    /** The advisory-lock key space of channel ids (the two-int form, apart from the outbox relay's one-bigint lock). */
    private static final int CHANNEL_LOCKS = 0x56434831;

    /**
     * Locks these channels for the rest of the transaction (PostgreSQL advisory locks, taken in key order so two
     * transactions never wait for each other): the transaction that makes a channel known and the one that finds it
     * unknown take turns, so a flip's wait for a channel is always seen by the channel's arrival, or the other way round.
     */
    @Transactional
    public void lock(Collection<UUID> ids) {
        ids.stream().map(UUID::hashCode).distinct().sorted().forEach(key ->
                ChannelEntry.getEntityManager().createNativeQuery("select 1 from (select pg_advisory_xact_lock(?1, ?2)) locked")
                        .setParameter(1, CHANNEL_LOCKS).setParameter(2, key).getSingleResult());
    }

    /** Applies one record of the channels topic. */
    @Transactional
    public void apply(UUID channelId, ChannelChanged change, Instant now) {
        // a placeholder (version 0, deleted) makes the row exist whichever instance gets here first; the
        // locked row then takes the record unless it already holds a newer version
        ChannelEntry.getEntityManager().createNativeQuery("insert into channel (id, name, type, config, notify_on,"
                        + " remind_every_ms, version, deleted, updated_at) values (?1, '', 'webhook', '{}', '', null, 0, true, ?2)"
                        + " on conflict (id) do nothing")
                .setParameter(1, channelId).setParameter(2, now).executeUpdate();
        ChannelEntry entry = ChannelEntry.findById(channelId, LockModeType.PESSIMISTIC_WRITE);
        if (change == null) {
            entry.deleted = true;
            entry.updatedAt = now;
            return;
        }
        if (entry.version >= change.version() && !(entry.version == 0 && entry.deleted)) {
            return;
        }
        List<Status> notifyOn = change.notifyOn() == null || change.notifyOn().isEmpty()
                ? List.copyOf(Channel.DEFAULT_NOTIFY_ON) : change.notifyOn();
        try {
            entry.config = Json.mapper().writeValueAsString(change.config() == null ? Map.of() : change.config());
        } catch (Exception e) {
            throw new IllegalArgumentException("channel config is not JSON", e);
        }
        entry.name = change.name() == null ? "" : change.name();
        entry.type = change.type().json();
        entry.notifyOn = notifyOn.stream().map(Status::name).collect(Collectors.joining(","));
        entry.remindEveryMs = change.remindEvery() == null || change.remindEvery().isZero() ? null
                : change.remindEvery().toMillis();
        entry.version = change.version();
        entry.deleted = false;
        entry.updatedAt = now;
    }

    /**
     * Applies a move the provider reported ({@link ConfigChange}) to the channel's config in this view, if the channel
     * still holds the values it was sent with; its version stays: the evaluator's republished record supersedes it.
     */
    @Transactional
    public void move(UUID channelId, ConfigChange change, Instant now) {
        ChannelEntry entry = ChannelEntry.findById(channelId, LockModeType.PESSIMISTIC_WRITE);
        if (entry == null || entry.deleted) {
            return;
        }
        Channel channel = entry.toChannel();
        Map<String, Object> config = new LinkedHashMap<>(channel.config());
        for (Map.Entry<String, String> from : change.from().entrySet()) {
            if (!from.getValue().equals(String.valueOf(config.get(from.getKey())))) {
                return;
            }
        }
        for (String field : change.to().keySet()) {
            if (!channel.type().definition().field(field).map(ChannelDefinition.Field::movable).orElse(false)) {
                return;
            }
        }
        config.putAll(change.to());
        entry.config = new String(Json.write(config), StandardCharsets.UTF_8);
        entry.updatedAt = now;
    }

    /** The channel, live or deleted, or null when the view does not know it. */
    @Transactional
    public Channel find(UUID id) {
        ChannelEntry entry = ChannelEntry.findById(id);
        return entry == null ? null : entry.toChannel();
    }

    /** The channels with these ids that exist and are not deleted. */
    @Transactional
    public List<Channel> findLive(Collection<UUID> ids) {
        return ChannelEntry.findLive(ids).stream().map(ChannelEntry::toChannel).toList();
    }

    /** The ids among these that the view does not know at all (neither live nor deleted). */
    @Transactional
    public Set<UUID> unknown(Collection<UUID> ids) {
        Set<UUID> known = ChannelEntry.findKnownIds(ids);
        return ids.stream().filter(id -> !known.contains(id)).collect(Collectors.toSet());
    }
}
