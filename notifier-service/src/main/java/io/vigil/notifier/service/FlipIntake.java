package io.vigil.notifier.service;

import io.quarkus.logging.Log;
import io.vigil.contracts.DeliveryAttempted;
import io.vigil.contracts.Json;
import io.vigil.contracts.MonitorFlipped;
import io.vigil.contracts.Status;
import io.vigil.contracts.Topics;
import io.vigil.notifier.Channel;
import io.vigil.notifier.Delivery;
import io.vigil.notifier.DeliveryKind;
import io.vigil.notifier.DeliveryStatus;
import io.vigil.notifier.RejectedRecord;
import io.vigil.notifier.StormWindow;
import io.vigil.notifier.config.NotifierConfig;
import io.vigil.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.hibernate.Session;

/**
 * Turns flips into deliveries (API.md section 4 routing), in one transaction per batch of records:
 * a flip already taken in is ignored, so a redelivered flip never sends twice.
 * A flip that names a channel the notifier's view does not know yet (its record is still on its way) is not
 * routed to it but waits for it ({@code flip_awaiting_channel}): when the channel arrives, {@link #releaseAwaiting}
 * routes the flips that waited, in the monitor's flip order; a tombstone ends the wait with no delivery.
 * <ul>
 *   <li>to LATE or DOWN: every channel of the monitor whose notifyOn holds the status;</li>
 *   <li>to UP: only channels whose notifyOn holds UP and that were alerted about the problem it ends;</li>
 *   <li>to MAINTENANCE, and out of it at a window's end (to UP or NEW): only channels whose notifyOn holds
 *   MAINTENANCE (never as a recovery: a DOWN that a window ended gets none);</li>
 *   <li>to PAUSED from DOWN (paused or deleted): a "no longer watched" notice to the channels alerted
 *   about the problem;</li>
 *   <li>any flip cancels the monitor's pending reminders.</li>
 * </ul>
 * Slack, Teams and email alerts pass the storm gate: beyond the threshold within a window they are
 * held for the window's digest. A LATE or DOWN that names a parent in {@code suppressedBy} (a monitor it depends on was
 * LATE or DOWN) is recorded as a {@link DeliveryStatus#SUPPRESSED} delivery per channel it would have alerted, reported
 * to the admin API with that parent, and sent nowhere; the evaluator sends the held DOWN's alert later as a flip record
 * of its own ({@code releaseOf}), routed like any DOWN.
 */
@ApplicationScoped
public class FlipIntake {

    private final EntityManager em;
    private final ChannelStore channels;
    private final DeadLetterStore deadLetters;
    private final NotifierConfig config;
    private final Outbox outbox;
    private final RecentFlips recent;

    public FlipIntake(EntityManager em, ChannelStore channels, DeadLetterStore deadLetters, NotifierConfig config,
                      Outbox outbox, RecentFlips recent) {
        this.em = em;
        this.recent = recent;
        this.channels = channels;
        this.deadLetters = deadLetters;
        this.config = config;
        this.outbox = outbox;
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
        Map<UUID, MonitorFlipped> distinct = new LinkedHashMap<>();
        flips.forEach(flip -> distinct.putIfAbsent(flip.eventId(), flip));
        Set<UUID> fresh = insertFlips(distinct.values(), now);
        List<MonitorFlipped> taken = distinct.values().stream().filter(flip -> fresh.contains(flip.eventId())).toList();
        recent.remember(taken); // should this transaction roll back, the flips are taken in again, unchanged
        cancelReminders(taken);
        batch.lookUpProblems(em, taken);
        for (MonitorFlipped flip : taken) {
            record(flip, now, batch);
        }
        batch.flush(em);
        int created = batch.created();
        if (!taken.isEmpty()) {
            Log.infof("took in %d flip(s) (%d already taken in): %d deliveries", taken.size(), flips.size() - taken.size(),
                    created);
        }
        // the storm windows touched stay locked and are written back (dirty entities) at commit
        return created;
    }

    /**
     * Inserts the flips not taken in before, in one statement; answers the ids inserted now (a redelivered flip is
     * not among them, so it never sends twice).
     */
    private Set<UUID> insertFlips(Collection<MonitorFlipped> flips, Instant now) {
        if (flips.isEmpty()) {
            return Set.of();
        }
        int n = flips.size();
        UUID[] ids = new UUID[n];
        UUID[] monitors = new UUID[n];
        Long[] sequences = new Long[n];
        String[] statuses = new String[n];
        String[] previous = new String[n];
        String[] payloads = new String[n];
        int i = 0;
        for (MonitorFlipped flip : flips) {
            ids[i] = flip.eventId();
            monitors[i] = flip.monitor().id();
            sequences[i] = flip.sequence();
            statuses[i] = flip.status().name();
            previous[i] = flip.previousStatus() == null ? null : flip.previousStatus().name();
            payloads[i] = new String(Json.write(flip), StandardCharsets.UTF_8);
            i++;
        }
        return em.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("insert into flip (id, monitor_id, sequence, status,"
                    + " previous_status, payload, received_at) select f.*, ? from unnest(?::uuid[], ?::uuid[], ?::bigint[],"
                    + " ?::text[], ?::text[], ?::text[]) as f on conflict (id) do nothing returning id")) {
                insert.setObject(1, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                insert.setArray(2, connection.createArrayOf("uuid", ids));
                insert.setArray(3, connection.createArrayOf("uuid", monitors));
                insert.setArray(4, connection.createArrayOf("bigint", sequences));
                insert.setArray(5, connection.createArrayOf("text", statuses));
                insert.setArray(6, connection.createArrayOf("text", previous));
                insert.setArray(7, connection.createArrayOf("text", payloads));
                Set<UUID> inserted = new HashSet<>();
                try (ResultSet rows = insert.executeQuery()) {
                    while (rows.next()) {
                        inserted.add(rows.getObject(1, UUID.class));
                    }
                }
                return inserted;
            }
        });
    }

    /** Any flip cancels its monitor's pending reminders of earlier flips: one statement for the batch. */
    private void cancelReminders(List<MonitorFlipped> flips) {
        Map<UUID, Long> latest = new HashMap<>();
        flips.forEach(flip -> latest.merge(flip.monitor().id(), flip.sequence(), Math::max));
        if (latest.isEmpty()) {
            return;
        }
        UUID[] monitors = latest.keySet().toArray(UUID[]::new);
        Long[] sequences = Arrays.stream(monitors).map(latest::get).toArray(Long[]::new);
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement cancel = connection.prepareStatement("update delivery d set status = 'CANCELLED'"
                    + " from unnest(?::uuid[], ?::bigint[]) as v(monitor_id, flip_sequence) where d.monitor_id = v.monitor_id"
                    + " and d.kind = 'reminder' and d.status = 'PENDING' and d.flip_sequence < v.flip_sequence")) {
                cancel.setArray(1, connection.createArrayOf("uuid", monitors));
                cancel.setArray(2, connection.createArrayOf("bigint", sequences));
                cancel.executeUpdate();
            }
        });
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
        batch.flush(em);
        return batch.created();
    }

    /**
     * What one batch's flips share: the channels they name, the ones the view does not know, and the storm windows
     * they touched (locked).
     */
    private static final class Batch {
        final Map<UUID, Channel> channels = new HashMap<>();
        final Set<UUID> unknown = new HashSet<>();
        final Map<UUID, StormWindow> windows = new HashMap<>();
        /** Deliveries to insert, in creation order (their positions follow it: a digest after its alerts). */
        final List<Object[]> deliveries = new ArrayList<>();
        /** Every LATE or DOWN alert this batch created (flushed or not), for the recoveries later in the batch. */
        final List<Alerted> alerts = new ArrayList<>();
        /** Per recovery or pause of this batch: where its problem starts, and the channels alerted before the batch. */
        final Map<UUID, Problem> problems = new HashMap<>();
        int inserted;
        int digests;

        /**
         * Finds, for every flip that may end a problem (to UP, or to PAUSED), where the problem starts (the monitor's
         * last OK flip before it: UP, NEW, PAUSED or MAINTENANCE, this batch's flips included, as they are inserted) and
         * the channels alerted about it by earlier batches; in one statement for the batch. The alerts of this batch
         * are added from {@link #alerts} when a recovery is routed.
         */
        void lookUpProblems(EntityManager em, List<MonitorFlipped> flips) {
            List<MonitorFlipped> ending = flips.stream()
                    .filter(flip -> flip.status() == Status.UP || flip.status() == Status.PAUSED).toList();
            if (ending.isEmpty()) {
                return;
            }
            UUID[] monitors = ending.stream().map(flip -> flip.monitor().id()).toArray(UUID[]::new);
            Long[] sequences = ending.stream().map(MonitorFlipped::sequence).toArray(Long[]::new);
            em.unwrap(Session.class).doWork(connection -> {
                try (PreparedStatement select = connection.prepareStatement(PROBLEMS)) {
                    select.setArray(1, connection.createArrayOf("uuid", monitors));
                    select.setArray(2, connection.createArrayOf("bigint", sequences));
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            MonitorFlipped flip = ending.get(rows.getInt(1) - 1);
                            Long start = rows.getObject(2, Long.class);
                            Problem problem = problems.computeIfAbsent(flip.eventId(),
                                    id -> new Problem(start == null ? Long.MIN_VALUE : start, new LinkedHashSet<>()));
                            UUID channel = rows.getObject(3, UUID.class);
                            if (channel != null) {
                                problem.alertedBefore().add(channel);
                            }
                        }
                    }
                }
            });
        }

        /**
         * The channels that got (or are getting) an alert about the problem this flip ends: those found by
         * {@link #lookUpProblems} (looked up now, after a flush, for a flip the batch did not start with) and this
         * batch's own.
         */
        Set<UUID> alertedAbout(EntityManager em, MonitorFlipped flip) {
            Problem problem = problems.get(flip.eventId());
            if (problem == null) {
                flush(em);
                lookUpProblems(em, List.of(flip));
                problem = problems.get(flip.eventId());
            }
            Set<UUID> alerted = new LinkedHashSet<>(problem.alertedBefore());
            for (Alerted alert : alerts) {
                if (alert.monitorId().equals(flip.monitor().id()) && alert.flipSequence() > problem.start()
                        && alert.flipSequence() < flip.sequence()) {
                    alerted.add(alert.channelId());
                }
            }
            return alerted;
        }

        /** The alerts, reminders and notices inserted (digests are not counted). */
        int created() {
            return inserted - digests;
        }

        /**
         * Inserts the deliveries queued so far in one JDBC batch: at the end of the batch (and before a recovery that
         * the batch did not start with looks up its problem).
         */
        void flush(EntityManager em) {
            if (deliveries.isEmpty()) {
                return;
            }
            int[] counts = em.unwrap(Session.class).doReturningWork(connection -> {
                try (PreparedStatement insert = connection.prepareStatement(INSERT_DELIVERY)) {
                    for (Object[] row : deliveries) {
                        for (int i = 0; i < row.length; i++) {
                            insert.setObject(i + 1, row[i]);
                        }
                        insert.addBatch();
                    }
                    return insert.executeBatch();
                }
            });
            deliveries.clear();
            inserted += Arrays.stream(counts).map(count -> count == PreparedStatement.SUCCESS_NO_INFO ? 1 : count).sum();
        }
    }

    /** A LATE or DOWN alert of this batch. */
    private record Alerted(UUID monitorId, UUID channelId, long flipSequence) {
    }

    /** Where a problem starts (the sequence of the last OK flip before it), and the channels alerted before the batch. */
    private record Problem(long start, Set<UUID> alertedBefore) {
    }

    /**
     * Per flip (ordinality, monitor, sequence): its problem's start and each channel a LATE or DOWN alert went to since
     * (a row with a null channel when none did).
     */
    private static final String PROBLEMS = "select v.i, p.start, d.channel_id"
            + " from unnest(?::uuid[], ?::bigint[]) with ordinality as v(monitor_id, sequence, i)"
            + " cross join lateral (select max(f.sequence) as start from flip f where f.monitor_id = v.monitor_id"
            + " and f.sequence < v.sequence and f.status in ('UP', 'NEW', 'PAUSED', 'MAINTENANCE')) p"
            + " left join lateral (select distinct a.channel_id from delivery a where a.monitor_id = v.monitor_id"
            + " and a.kind = 'alert' and a.flip_status in ('LATE', 'DOWN') and a.status not in ('CANCELLED', 'SUPPRESSED')"
            + " and a.flip_sequence > coalesce(p.start, -9223372036854775808) and a.flip_sequence < v.sequence) d on true";

    private static final String INSERT_DELIVERY = "insert into delivery (id, flip_id, monitor_id, channel_id, channel_type,"
            + " kind, seq, flip_sequence, flip_status, status, digest_id, created_at, next_attempt_at)"
            + " values (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?) on conflict do nothing";

    private List<Channel> live(Collection<UUID> ids, Batch batch) {
        List<UUID> missing = ids.stream().filter(id -> !batch.channels.containsKey(id)).toList();
        if (!missing.isEmpty()) {
            channels.findLive(missing).forEach(channel -> batch.channels.put(channel.id(), channel));
        }
        return ids.stream().distinct().map(batch.channels::get).filter(Objects::nonNull).toList();
    }

    /** Routes one flip just inserted (its monitor's reminders already cancelled), queueing its deliveries. */
    private void record(MonitorFlipped flip, Instant now, Batch batch) {
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
        Log.debugf("flip %s of monitor %s to %s (%s): %d deliveries", flip.eventId(), flip.monitor().id(),
                flip.status(), flip.reason(), created);
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
            case MAINTENANCE -> created += toMaintenanceChannels(flip, named, now, batch);
            case UP, NEW -> {
                if (flip.previousStatus() == Status.MAINTENANCE) {
                    // a window's end: news for the channels that follow maintenance, never a recovery
                    created += toMaintenanceChannels(flip, named, now, batch);
                    break;
                }
                if (flip.status() == Status.NEW) {
                    break;
                }
                Set<UUID> alerted = batch.alertedAbout(em, flip);
                for (Channel channel : live(named, batch)) {
                    if (channel.notifies(Status.UP) && alerted.contains(channel.id())) {
                        created += create(flip, channel, DeliveryKind.ALERT, now, batch);
                    }
                }
            }
            case PAUSED -> {
                if (flip.previousStatus() == Status.DOWN) {
                    Set<UUID> alerted = batch.alertedAbout(em, flip);
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

    /** A flip into or out of maintenance: an alert to each channel whose notifyOn holds MAINTENANCE, and to no other. */
    private int toMaintenanceChannels(MonitorFlipped flip, List<UUID> named, Instant now, Batch batch) {
        int created = 0;
        for (Channel channel : live(named, batch)) {
            if (channel.notifies(Status.MAINTENANCE)) {
                created += create(flip, channel, DeliveryKind.ALERT, now, batch);
            }
        }
        return created;
    }

    private int create(MonitorFlipped flip, Channel channel, DeliveryKind kind, Instant now, Batch batch) {
        if (flip.suppressedBy() != null && (flip.status() == Status.LATE || flip.status() == Status.DOWN)) {
            return suppress(flip, channel, now, batch);
        }
        UUID digestId = channel.digestible() ? stormGate(flip, channel, now, batch) : null;
        DeliveryStatus status = digestId == null ? DeliveryStatus.PENDING : DeliveryStatus.HELD;
        if (kind == DeliveryKind.ALERT && (flip.status() == Status.LATE || flip.status() == Status.DOWN)) {
            batch.alerts.add(new Alerted(flip.monitor().id(), channel.id(), flip.sequence()));
        }
        OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        batch.deliveries.add(new Object[] {UUID.randomUUID(), flip.eventId(), flip.monitor().id(), channel.id(),
            channel.type().json(), kind.code(), flip.sequence(), flip.status().name(), status.name(), digestId, at, at});
        return 1;
    }

    /**
     * Records the alert a parent holds: a delivery that is never claimed (nor counted in a storm window), and its one
     * outcome for the admin API, in this transaction.
     */
    private int suppress(MonitorFlipped flip, Channel channel, Instant now, Batch batch) {
        UUID id = UUID.randomUUID();
        OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        batch.deliveries.add(new Object[] {id, flip.eventId(), flip.monitor().id(), channel.id(), channel.type().json(),
            DeliveryKind.ALERT.code(), flip.sequence(), flip.status().name(), DeliveryStatus.SUPPRESSED.name(), null, at, at});
        outbox.enqueue(Topics.DELIVERIES, flip.monitor().id().toString(), new DeliveryAttempted(DeliveryAttempted.SCHEMA,
                UUID.randomUUID(), id, flip.eventId(), flip.monitor().id(), channel.id(), channel.type(),
                DeliveryKind.ALERT.code(), DeliveryStatus.SUPPRESSED.name(), now, "suppressed", null, null, 0, null,
                flip.suppressedBy()));
        Log.infof("alert of monitor %s (%s) to channel %s held: parent %s is not up", flip.monitor().id(), flip.status(),
                channel.id(), flip.suppressedBy());
        return 1;
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
            // queued with the alerts around it, so its position (creation order) follows the alerts before it
            batch.deliveries.add(new Object[] {window.digestId, flip.eventId(), null, channel.id(), channel.type().json(),
                DeliveryKind.DIGEST.code(), 0L, null, DeliveryStatus.PENDING.name(), null,
                OffsetDateTime.ofInstant(now, ZoneOffset.UTC),
                OffsetDateTime.ofInstant(window.windowStart.plus(config.storm().window()), ZoneOffset.UTC)});
            batch.digests++;
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
