package io.vigil.notifier.service;

import io.quarkus.logging.Log;
import io.vigil.contracts.Json;
import io.vigil.contracts.MonitorFlipped;
import io.vigil.contracts.Status;
import io.vigil.notifier.Channel;
import io.vigil.notifier.Delivery;
import io.vigil.notifier.DeliveryKind;
import io.vigil.notifier.DeliveryStatus;
import io.vigil.notifier.Flip;
import io.vigil.notifier.RejectedRecord;
import io.vigil.notifier.StormWindow;
import io.vigil.notifier.config.NotifierConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.hibernate.query.TypedParameterValue;
import org.hibernate.type.StandardBasicTypes;

/**
 * Turns flips into deliveries (API.md section 4 routing), in one transaction per batch of records:
 * a flip already taken in is ignored, so a redelivered flip never sends twice.
 * A flip that names a channel the notifier's view does not know yet (its record is still on its way) is not
 * routed to it but waits for it ({@code flip_awaiting_channel}): when the channel arrives, {@link #releaseAwaiting}
 * routes the flips that waited, in the monitor's flip order; a tombstone ends the wait with no delivery.
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

    private final EntityManager em;
    private final ChannelStore channels;
    private final DeadLetterStore deadLetters;
    private final NotifierConfig config;

    public FlipIntake(EntityManager em, ChannelStore channels, DeadLetterStore deadLetters, NotifierConfig config) {
        this.em = em;
        this.channels = channels;
        this.deadLetters = deadLetters;
        this.config = config;
    }

    /** Records one batch of the flips topic: the flips' deliveries and the records that could not be parsed. */
    @Transactional
    public Taken take(List<MonitorFlipped> flips, List<RejectedRecord> rejected, Instant now) {
        int setAside = deadLetters.setAside(rejected, now);
        return new Taken(record(flips, now), setAside);
    }

    /** Records the deliveries of a batch of flips; returns how many deliveries were created. */
    @Transactional
    public int record(List<MonitorFlipped> flips, Instant now) {
        Batch batch = new Batch();
        Set<UUID> named = new HashSet<>();
        flips.stream().filter(flip -> flip.channels() != null).forEach(flip -> named.addAll(flip.channels()));
        Set<UUID> unknown = channels.unknown(named);
        if (!unknown.isEmpty()) {
            // a channel being applied right now commits before this sees it again, or finds this batch's waits
            channels.lock(unknown);
            unknown = channels.unknown(unknown);
        }
        batch.unknown.addAll(unknown);
        channels.findLive(named).forEach(channel -> batch.channels.put(channel.id(), channel));
        int created = 0;
        for (MonitorFlipped flip : flips) {
            created += record(flip, now, batch);
        }
        // the storm windows touched stay locked and are written back (dirty entities) at commit
        return created;
    }

    /**
     * Routes the flips that waited for this channel, now that the view holds it (same transaction, under the
     * channel's lock), in each monitor's flip order; returns how many deliveries were created. A channel deleted
     * before the notifier knew it ends their wait with none.
     */
    @Transactional
    public int releaseAwaiting(UUID channelId, Instant now) {
        @SuppressWarnings("unchecked")
        List<String> waiting = em.createNativeQuery("select f.payload from flip_awaiting_channel w join flip f on f.id = w.flip_id"
                        + " where w.channel_id = ?1 order by w.monitor_id, w.flip_sequence")
                .setParameter(1, channelId).getResultList();
        if (waiting.isEmpty()) {
            return 0;
        }
        em.createNativeQuery("delete from flip_awaiting_channel where channel_id = ?1").setParameter(1, channelId)
                .executeUpdate();
        Channel channel = channels.find(channelId);
        if (channel == null || channel.deleted()) {
            Log.infof("channel %s was deleted before the notifier knew it: %d flip(s) that named it send nothing to it",
                    channelId, waiting.size());
            return 0;
        }
        Batch batch = new Batch();
        batch.channels.put(channelId, channel);
        int created = 0;
        for (String payload : waiting) {
            MonitorFlipped flip = Json.read(payload.getBytes(StandardCharsets.UTF_8), MonitorFlipped.class);
            int routed = route(flip, Set.of(channelId), now, batch);
            Log.infof("flip %s of monitor %s to %s, which waited for channel %s: %d deliveries", flip.eventId(),
                    flip.monitor().id(), flip.status(), channelId, routed);
            created += routed;
        }
        return created;
    }

    /**
     * What one batch's flips share: the channels they name, the ones the view does not know, and the storm windows
     * they touched (locked).
     */
    private static final class Batch {
        final Map<UUID, Channel> channels = new HashMap<>();
        final Set<UUID> unknown = new HashSet<>();
        final Map<UUID, StormWindow> windows = new HashMap<>();
    }

    private List<Channel> live(Collection<UUID> ids, Batch batch) {
        List<UUID> missing = ids.stream().filter(id -> !batch.channels.containsKey(id)).toList();
        if (!missing.isEmpty()) {
            channels.findLive(missing).forEach(channel -> batch.channels.put(channel.id(), channel));
        }
        return ids.stream().distinct().map(batch.channels::get).filter(Objects::nonNull).toList();
    }

    private int record(MonitorFlipped flip, Instant now, Batch batch) {
        int inserted = em.createNativeQuery("insert into flip (id, monitor_id, sequence, status, previous_status, payload,"
                        + " received_at) values (?1, ?2, ?3, ?4, ?5, ?6, ?7) on conflict (id) do nothing")
                .setParameter(1, flip.eventId()).setParameter(2, flip.monitor().id()).setParameter(3, flip.sequence())
                .setParameter(4, flip.status().name())
                .setParameter(5, new TypedParameterValue<>(StandardBasicTypes.STRING,
                        flip.previousStatus() == null ? null : flip.previousStatus().name()))
                .setParameter(6, new String(Json.write(flip), StandardCharsets.UTF_8)).setParameter(7, now)
                .executeUpdate();
        if (inserted == 0) {
            Log.debugf("flip %s already taken in", flip.eventId());
            return 0;
        }
        em.createNativeQuery("update delivery set status = 'CANCELLED' where monitor_id = ?1 and kind = 'reminder'"
                        + " and status = 'PENDING' and flip_sequence < ?2")
                .setParameter(1, flip.monitor().id()).setParameter(2, flip.sequence()).executeUpdate();
        List<UUID> named = flip.channels() == null ? List.of() : flip.channels();
        for (UUID channelId : new LinkedHashSet<>(named)) {
            if (batch.unknown.contains(channelId)) {
                em.createNativeQuery("insert into flip_awaiting_channel (channel_id, flip_id, monitor_id, flip_sequence, since)"
                                + " values (?1, ?2, ?3, ?4, ?5) on conflict do nothing")
                        .setParameter(1, channelId).setParameter(2, flip.eventId()).setParameter(3, flip.monitor().id())
                        .setParameter(4, flip.sequence()).setParameter(5, now).executeUpdate();
                Log.infof("flip %s of monitor %s waits for channel %s, which the notifier does not know yet",
                        flip.eventId(), flip.monitor().id(), channelId);
            }
        }
        int created = route(flip, null, now, batch);
        Log.infof("flip %s of monitor %s to %s (%s): %d deliveries", flip.eventId(), flip.monitor().id(),
                flip.status(), flip.reason(), created);
        return created;
    }

    /** Creates the flip's deliveries, to every channel it concerns or, with {@code only}, to those of these it concerns. */
    private int route(MonitorFlipped flip, Set<UUID> only, Instant now, Batch batch) {
        List<UUID> named = flip.channels() == null ? List.of() : flip.channels();
        if (only != null) {
            named = named.stream().filter(only::contains).toList();
        }
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
                    Set<UUID> alerted = alertedChannels(flip);
                    if (only != null) {
                        alerted.retainAll(only);
                    }
                    for (Channel channel : live(alerted, batch)) {
                        created += create(flip, channel, DeliveryKind.NOTICE, now, batch);
                    }
                }
            }
            default -> { }
        }
        return created;
    }

    /** The sequence of the monitor's last OK flip (UP, NEW or PAUSED) before this one: the problem starts after it. */
    private long problemStart(MonitorFlipped flip) {
        Long last = Flip.findLastOkSequenceBefore(flip.monitor().id(), flip.sequence());
        return last == null ? Long.MIN_VALUE : last;
    }

    private boolean alertedAboutProblem(MonitorFlipped flip, UUID channelId) {
        return alertedChannels(flip).contains(channelId);
    }

    /** The channels that got (or are getting) an alert about the problem this flip ends. */
    private Set<UUID> alertedChannels(MonitorFlipped flip) {
        return new LinkedHashSet<>(Delivery.findChannelsAlertedBetween(flip.monitor().id(), problemStart(flip),
                flip.sequence()));
    }

    private int create(MonitorFlipped flip, Channel channel, DeliveryKind kind, Instant now, Batch batch) {
        UUID digestId = channel.digestible() ? stormGate(flip, channel, now, batch) : null;
        DeliveryStatus status = digestId == null ? DeliveryStatus.PENDING : DeliveryStatus.HELD;
        return em.createNativeQuery("insert into delivery (id, flip_id, monitor_id, channel_id, channel_type, kind, seq,"
                        + " flip_sequence, flip_status, status, digest_id, created_at, next_attempt_at)"
                        + " values (?1, ?2, ?3, ?4, ?5, ?6, 0, ?7, ?8, ?9, ?10, ?11, ?12) on conflict do nothing")
                .setParameter(1, UUID.randomUUID()).setParameter(2, flip.eventId()).setParameter(3, flip.monitor().id())
                .setParameter(4, channel.id()).setParameter(5, channel.type().json()).setParameter(6, kind.code())
                .setParameter(7, flip.sequence()).setParameter(8, flip.status().name()).setParameter(9, status.name())
                .setParameter(10, new TypedParameterValue<>(StandardBasicTypes.UUID, digestId))
                .setParameter(11, now).setParameter(12, now).executeUpdate();
    }

    /**
     * Counts this alert in the channel's storm window (which starts at its first alert); beyond the
     * threshold the alert is held for the window's one digest, created on the first overflow and due
     * when the window closes. Returns the digest's id, or null when the alert goes on its own.
     */
    private UUID stormGate(MonitorFlipped flip, Channel channel, Instant now, Batch batch) {
        StormWindow window = batch.windows.get(channel.id());
        if (window == null) {
            em.createNativeQuery("insert into storm_window (channel_id, window_start, alert_count) values (?1, ?2, 0)"
                            + " on conflict (channel_id) do nothing")
                    .setParameter(1, channel.id()).setParameter(2, now).executeUpdate();
            window = StormWindow.findLocked(channel.id());
            batch.windows.put(channel.id(), window);
        }
        if (!now.isBefore(window.windowStart.plus(config.storm().window()))) {
            window.windowStart = now;
            window.alertCount = 0;
            window.digestId = null;
        }
        window.alertCount++;
        if (window.alertCount <= config.storm().threshold()) {
            return null;
        }
        if (window.digestId == null) {
            window.digestId = UUID.randomUUID();
            // SQL, like the alerts around it, so its position (creation order) follows the alerts before it
            em.createNativeQuery("insert into delivery (id, flip_id, monitor_id, channel_id, channel_type, kind, seq,"
                            + " flip_sequence, flip_status, status, created_at, next_attempt_at)"
                            + " values (?1, ?2, null, ?3, ?4, 'digest', 0, 0, null, 'PENDING', ?5, ?6)")
                    .setParameter(1, window.digestId).setParameter(2, flip.eventId()).setParameter(3, channel.id())
                    .setParameter(4, channel.type().json()).setParameter(5, now)
                    .setParameter(6, window.windowStart.plus(config.storm().window())).executeUpdate();
            Log.infof("alert storm on channel %s: the rest of the window goes as digest %s", channel.id(), window.digestId);
        }
        return window.digestId;
    }

    /** Deliveries of a flip (for tests and the admin view). */
    @Transactional
    public List<UUID> deliveriesOf(UUID flipId) {
        return Delivery.findIdsOfFlip(flipId);
    }
}
