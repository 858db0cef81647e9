package io.vigil.notifier.service;

import io.quarkus.logging.Log;
import io.vigil.contracts.Json;
import io.vigil.contracts.MonitorFlipped;
import io.vigil.contracts.Status;
import io.vigil.notifier.Channel;
import io.vigil.notifier.DeliveryKind;
import io.vigil.notifier.DeliveryStatus;
import io.vigil.notifier.config.NotifierConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Turns flips into deliveries (API.md section 4 routing), in one transaction per batch of records:
 * a flip already taken in is ignored, so a redelivered flip never sends twice.
 * <ul>
 *   <li>to LATE or DOWN: every channel of the monitor whose notifyOn holds the status;</li>
 *   <li>to UP: only channels whose notifyOn holds UP and that were alerted about the problem it ends;</li>
 *   <li>to PAUSED from DOWN (paused or deleted): a "no longer watched" notice to the channels alerted
 *   about the problem;</li>
 *   <li>any flip cancels the monitor's pending reminders.</li>
 * </ul>
 * Slack, Teams and email alerts pass the storm gate: beyond the threshold within a window they are
 * held for the window's digest.
 */
@ApplicationScoped
public class FlipIntake {

    private final Jdbc jdbc;
    private final ChannelStore channels;
    private final NotifierConfig config;

    public FlipIntake(Jdbc jdbc, ChannelStore channels, NotifierConfig config) {
        this.jdbc = jdbc;
        this.channels = channels;
        this.config = config;
    }

    /** Records the deliveries of a batch of flips; returns how many deliveries were created. */
    @Transactional
    public int record(List<MonitorFlipped> flips, Instant now) {
        Batch batch = new Batch();
        Set<UUID> named = new java.util.HashSet<>();
        flips.stream().filter(flip -> flip.channels() != null).forEach(flip -> named.addAll(flip.channels()));
        channels.findLive(named).forEach(channel -> batch.channels.put(channel.id(), channel));
        int created = 0;
        for (MonitorFlipped flip : flips) {
            created += record(flip, now, batch);
        }
        for (Window window : batch.windows.values()) {
            jdbc.update("update storm_window set window_start = ?, alert_count = ?, digest_id = ? where channel_id = ?",
                    window.start, window.count, window.digestId, window.channelId);
        }
        return created;
    }

    /** A channel's storm window, locked for the batch's transaction and written back at its end. */
    private static final class Window {
        final UUID channelId;
        Instant start;
        int count;
        UUID digestId;

        Window(UUID channelId, Instant start, int count, UUID digestId) {
            this.channelId = channelId;
            this.start = start;
            this.count = count;
            this.digestId = digestId;
        }
    }

    /** What one batch's flips share: the channels they name and the storm windows they touched. */
    private static final class Batch {
        final Map<UUID, Channel> channels = new HashMap<>();
        final Map<UUID, Window> windows = new HashMap<>();
    }

    private List<Channel> live(Collection<UUID> ids, Batch batch) {
        List<UUID> missing = ids.stream().filter(id -> !batch.channels.containsKey(id)).toList();
        if (!missing.isEmpty()) {
            channels.findLive(missing).forEach(channel -> batch.channels.put(channel.id(), channel));
        }
        return ids.stream().distinct().map(batch.channels::get).filter(java.util.Objects::nonNull).toList();
    }

    private int record(MonitorFlipped flip, Instant now, Batch batch) {
        int inserted = jdbc.update("insert into flip (id, monitor_id, sequence, status, previous_status, payload, received_at)"
                        + " values (?, ?, ?, ?, ?, ?, ?) on conflict (id) do nothing",
                flip.eventId(), flip.monitor().id(), flip.sequence(), flip.status().name(),
                flip.previousStatus() == null ? null : flip.previousStatus().name(), new String(Json.write(flip),
                        java.nio.charset.StandardCharsets.UTF_8), now);
        if (inserted == 0) {
            Log.debugf("flip %s already taken in", flip.eventId());
            return 0;
        }
        jdbc.update("update delivery set status = 'CANCELLED' where monitor_id = ? and kind = 'reminder'"
                + " and status = 'PENDING' and flip_sequence < ?", flip.monitor().id(), flip.sequence());
        List<UUID> named = flip.channels() == null ? List.of() : flip.channels();
        int created = 0;
        switch (flip.status()) {
            case LATE, DOWN -> {
                for (Channel channel : live(named, batch)) {
                    if (channel.notifies(flip.status())) {
                        created += create(flip, channel, DeliveryKind.ALERT, now, batch);
                    }
                }
            }
            case UP -> {
                for (Channel channel : live(named, batch)) {
                    if (channel.notifies(Status.UP) && alertedAboutProblem(flip, channel.id())) {
                        created += create(flip, channel, DeliveryKind.ALERT, now, batch);
                    }
                }
            }
            case PAUSED -> {
                if (flip.previousStatus() == Status.DOWN) {
                    for (Channel channel : live(alertedChannels(flip), batch)) {
                        created += create(flip, channel, DeliveryKind.NOTICE, now, batch);
                    }
                }
            }
            default -> { }
        }
        Log.infof("flip %s of monitor %s to %s (%s): %d deliveries", flip.eventId(), flip.monitor().id(),
                flip.status(), flip.reason(), created);
        return created;
    }

    /** The sequence of the monitor's last OK flip (UP, NEW or PAUSED) before this one: the problem starts after it. */
    private long problemStart(MonitorFlipped flip) {
        Long last = jdbc.one("select max(sequence) as s from flip where monitor_id = ? and sequence < ?"
                        + " and status in ('UP', 'NEW', 'PAUSED')",
                rs -> {
                    long value = rs.getLong("s");
                    return rs.wasNull() ? null : value;
                }, flip.monitor().id(), flip.sequence());
        return last == null ? Long.MIN_VALUE : last;
    }

    private boolean alertedAboutProblem(MonitorFlipped flip, UUID channelId) {
        return alertedChannels(flip).contains(channelId);
    }

    /** The channels that got (or are getting) an alert about the problem this flip ends. */
    private Set<UUID> alertedChannels(MonitorFlipped flip) {
        return new LinkedHashSet<>(jdbc.query("select distinct channel_id from delivery where monitor_id = ? and kind = 'alert'"
                        + " and flip_status in ('LATE', 'DOWN') and status <> 'CANCELLED' and flip_sequence > ? and flip_sequence < ?",
                rs -> Jdbc.uuid(rs, "channel_id"), flip.monitor().id(), problemStart(flip), flip.sequence()));
    }

    private int create(MonitorFlipped flip, Channel channel, DeliveryKind kind, Instant now, Batch batch) {
        UUID digestId = channel.digestible() ? stormGate(flip, channel, now, batch) : null;
        DeliveryStatus status = digestId == null ? DeliveryStatus.PENDING : DeliveryStatus.HELD;
        return jdbc.update("insert into delivery (id, flip_id, monitor_id, channel_id, channel_type, kind, seq, flip_sequence,"
                        + " flip_status, status, digest_id, created_at, next_attempt_at)"
                        + " values (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?) on conflict do nothing",
                UUID.randomUUID(), flip.eventId(), flip.monitor().id(), channel.id(), channel.type().json(), kind.code(),
                flip.sequence(), flip.status().name(), status.name(), digestId, now, now);
    }

    /**
     * Counts this alert in the channel's storm window (which starts at its first alert); beyond the
     * threshold the alert is held for the window's one digest, created on the first overflow and due
     * when the window closes. Returns the digest's id, or null when the alert goes on its own.
     */
    private UUID stormGate(MonitorFlipped flip, Channel channel, Instant now, Batch batch) {
        Window window = batch.windows.get(channel.id());
        if (window == null) {
            jdbc.update("insert into storm_window (channel_id, window_start, alert_count) values (?, ?, 0)"
                    + " on conflict (channel_id) do nothing", channel.id(), now);
            window = jdbc.one("select * from storm_window where channel_id = ? for update",
                    rs -> new Window(Jdbc.uuid(rs, "channel_id"), Jdbc.instant(rs, "window_start"), rs.getInt("alert_count"),
                            Jdbc.uuid(rs, "digest_id")), channel.id());
            batch.windows.put(channel.id(), window);
        }
        if (!now.isBefore(window.start.plus(config.storm().window()))) {
            window.start = now;
            window.count = 0;
            window.digestId = null;
        }
        window.count++;
        if (window.count <= config.storm().threshold()) {
            return null;
        }
        if (window.digestId == null) {
            window.digestId = UUID.randomUUID();
            jdbc.update("insert into delivery (id, flip_id, monitor_id, channel_id, channel_type, kind, seq, flip_sequence,"
                            + " flip_status, status, created_at, next_attempt_at) values (?, ?, null, ?, ?, 'digest', 0, 0, null,"
                            + " 'PENDING', ?, ?)",
                    window.digestId, flip.eventId(), channel.id(), channel.type().json(), now,
                    window.start.plus(config.storm().window()));
            Log.infof("alert storm on channel %s: the rest of the window goes as digest %s", channel.id(), window.digestId);
        }
        return window.digestId;
    }

    /** Deliveries of a flip (for tests and the admin view). */
    public List<UUID> deliveriesOf(UUID flipId) {
        return new ArrayList<>(jdbc.query("select id from delivery where flip_id = ?", rs -> Jdbc.uuid(rs, "id"), flipId));
    }
}
