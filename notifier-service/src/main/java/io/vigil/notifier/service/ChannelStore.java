package io.vigil.notifier.service;

import com.fasterxml.jackson.core.type.TypeReference;
import io.vigil.contracts.ChannelChanged;
import io.vigil.contracts.ChannelType;
import io.vigil.contracts.Json;
import io.vigil.contracts.Status;
import io.vigil.notifier.Channel;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
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

    private static final TypeReference<Map<String, Object>> CONFIG = new TypeReference<>() { };

    private final Jdbc jdbc;

    public ChannelStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Applies one record of the channels topic. */
    @Transactional
    public void apply(UUID channelId, ChannelChanged change, Instant now) {
        if (change == null) {
            jdbc.update("update channel set deleted = true, updated_at = ? where id = ?", now, channelId);
            jdbc.update("insert into channel (id, name, type, config, notify_on, remind_every_ms, version, deleted, updated_at)"
                    + " values (?, '', 'webhook', '{}', '', null, 0, true, ?) on conflict (id) do nothing", channelId, now);
            return;
        }
        List<Status> notifyOn = change.notifyOn() == null || change.notifyOn().isEmpty()
                ? List.copyOf(Channel.DEFAULT_NOTIFY_ON) : change.notifyOn();
        String config;
        try {
            config = Json.mapper().writeValueAsString(change.config() == null ? Map.of() : change.config());
        } catch (Exception e) {
            throw new IllegalArgumentException("channel config is not JSON", e);
        }
        jdbc.update("insert into channel (id, name, type, config, notify_on, remind_every_ms, version, deleted, updated_at)"
                        + " values (?, ?, ?, ?, ?, ?, ?, false, ?)"
                        + " on conflict (id) do update set name = excluded.name, type = excluded.type, config = excluded.config,"
                        + " notify_on = excluded.notify_on, remind_every_ms = excluded.remind_every_ms, version = excluded.version,"
                        + " deleted = false, updated_at = excluded.updated_at"
                        + " where channel.version < excluded.version or (channel.version = 0 and channel.deleted)",
                channelId, change.name() == null ? "" : change.name(), change.type().json(), config,
                notifyOn.stream().map(Status::name).collect(Collectors.joining(",")),
                change.remindEvery() == null || change.remindEvery().isZero() ? null : change.remindEvery().toMillis(),
                change.version(), now);
    }

    public Channel find(UUID id) {
        return jdbc.one("select * from channel where id = ?", ChannelStore::channel, id);
    }

    /** The channels with these ids that exist and are not deleted. */
    public List<Channel> findLive(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.query("select * from channel where deleted = false and id = any (?)", ChannelStore::channel,
                (Object) ids.toArray(new UUID[0])).stream().toList();
    }

    /** The ids among these that the view does not know at all (neither live nor deleted). */
    public Set<UUID> unknown(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        Set<UUID> known = Set.copyOf(jdbc.query("select id from channel where id = any (?)", rs -> Jdbc.uuid(rs, "id"),
                (Object) ids.toArray(new UUID[0])));
        return ids.stream().filter(id -> !known.contains(id)).collect(Collectors.toSet());
    }

    static Channel channel(ResultSet rs) throws SQLException {
        Map<String, Object> config;
        try {
            config = Json.mapper().readValue(rs.getString("config"), CONFIG);
        } catch (Exception e) {
            config = Map.of();
        }
        String notify = rs.getString("notify_on");
        Set<Status> notifyOn = notify == null || notify.isBlank() ? EnumSet.noneOf(Status.class)
                : Arrays.stream(notify.split(",")).map(Status::valueOf).collect(Collectors.toCollection(() -> EnumSet.noneOf(Status.class)));
        long remind = rs.getLong("remind_every_ms");
        Duration remindEvery = rs.wasNull() ? null : Duration.ofMillis(remind);
        return new Channel(Jdbc.uuid(rs, "id"), rs.getString("name"), ChannelType.fromJson(rs.getString("type")), config,
                notifyOn, remindEvery, rs.getLong("version"), rs.getBoolean("deleted"));
    }
}
