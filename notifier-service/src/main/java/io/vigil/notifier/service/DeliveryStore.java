package io.vigil.notifier.service;

import io.vigil.contracts.DeliveryAttempted;
import io.vigil.contracts.Json;
import io.vigil.contracts.MonitorFlipped;
import io.vigil.contracts.Status;
import io.vigil.contracts.TokenHash;
import io.vigil.contracts.Topics;
import io.vigil.notifier.Attempt;
import io.vigil.notifier.Channel;
import io.vigil.notifier.Delivery;
import io.vigil.notifier.DeliveryKind;
import io.vigil.notifier.DeliveryStatus;
import io.vigil.notifier.Flip;
import io.vigil.notifier.Notification;
import io.vigil.notifier.RetryPolicy;
import io.vigil.notifier.SendResult;
import io.vigil.notifier.StormWindow;
import io.vigil.notifier.TargetRate;
import io.vigil.notifier.config.NotifierConfig;
import io.vigil.notifier.config.RateLimits;
import io.vigil.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.hibernate.Session;

/**
 * The delivery bookkeeping behind the dispatcher: claiming due deliveries (in flip order per
 * monitor and channel, {@code FOR UPDATE SKIP LOCKED}, under the shared per-target rate limits),
 * recording each attempt with its retry decision, digests and reminders.
 */
@ApplicationScoped
public class DeliveryStore {

    /**
     * A delivery claimed for one attempt, with its channel (null when the channel is gone) and its message (null for a
     * digest, built when it is sent, and when the flip is gone).
     */
    public record Claimed(UUID id, UUID flipId, UUID monitorId, UUID channelId, String channelType, DeliveryKind kind,
                          int seq, long flipSequence, String flipStatus, int attemptCount, Instant firstAttemptAt,
                          Channel channel, Notification message) {
    }

    private static final String OPEN_EARLIER = "exists (select 1 from delivery e where e.monitor_id = d.monitor_id"
            + " and e.channel_id = d.channel_id and e.status in ('PENDING', 'HELD') and e.id <> d.id"
            + " and (e.flip_sequence < d.flip_sequence or (e.flip_sequence = d.flip_sequence and e.position < d.position)))";

    /** The alerts that made a channel's storm window go first; its digest follows them. */
    private static final String ALERTS_BEFORE_DIGEST = "exists (select 1 from delivery a where a.channel_id = d.channel_id"
            + " and a.status = 'PENDING' and a.kind in ('alert', 'notice') and a.position < d.position)";

    private final EntityManager em;
    private final ChannelStore channels;
    private final Outbox outbox;
    private final NotifierConfig config;
    private final RateLimits rates;
    private final RetryPolicy retryPolicy;
    private final RecentFlips recent;
    /** Per rate-limited target, when this instance last saw it allowed next; target_rate stays the shared truth. */
    private final Map<String, Instant> pacer = new ConcurrentHashMap<>();

    public DeliveryStore(EntityManager em, ChannelStore channels, Outbox outbox, NotifierConfig config, RateLimits rates,
                         RecentFlips recent) {
        this.em = em;
        this.recent = recent;
        this.rates = rates;
        this.channels = channels;
        this.outbox = outbox;
        this.config = config;
        this.retryPolicy = new RetryPolicy(config.retry().initialBackoff(), config.retry().maxBackoff(),
                config.retry().giveUpAfter());
    }

    /** Claims up to {@code limit} due deliveries, any target (tests, restarts). */
    @Transactional
    public List<Claimed> claim(Instant now, int limit) {
        return claim(now, limit, channel -> true);
    }

    /**
     * Claims up to {@code limit} due deliveries whose earlier deliveries to the same channel are done, whose target
     * {@code admits} another send (the dispatcher's per-target concurrency), and whose target's rate limit allows a
     * message now; the rate-limited others are put off until their target allows one, the refused ones stay due. Each
     * claim carries its message, built from the flip read with the whole batch, so no send reads the flip again. A
     * claim is a lease: if this instance dies mid-send, another retries after it expires.
     */
    @Transactional
    public List<Claimed> claim(Instant now, int limit, Predicate<Channel> admits) {
        @SuppressWarnings("unchecked")
        List<Delivery> due = em.createNativeQuery("select d.* from delivery d where d.status = 'PENDING'"
                        + " and d.next_attempt_at <= ?1 and (d.lease_until is null or d.lease_until < ?1)"
                        + " and (d.monitor_id is null or not " + OPEN_EARLIER + ")"
                        + " and (d.kind <> 'digest' or not " + ALERTS_BEFORE_DIGEST + ")"
                        + " order by d.next_attempt_at, d.flip_sequence limit ?2 for update of d skip locked", Delivery.class)
                .setParameter(1, now).setParameter(2, limit).getResultList();
        if (due.isEmpty()) {
            return List.of();
        }
        Map<UUID, Channel> channelCache = new HashMap<>();
        channels.findLive(due.stream().map(delivery -> delivery.channelId).distinct().toList())
                .forEach(channel -> channelCache.put(channel.id(), channel));
        Map<String, Integer> deferred = new HashMap<>();
        List<Delivery> leased = new ArrayList<>();
        for (Delivery delivery : due) {
            if (delivery.kind == DeliveryKind.REMINDER && overtaken(delivery.monitorId, delivery.flipSequence)) {
                delivery.status = DeliveryStatus.CANCELLED;
                continue;
            }
            Channel channel = channelCache.get(delivery.channelId); // null: deleted, or never known
            if (channel != null) {
                if (!admits.test(channel)) {
                    continue;
                }
                Duration spacing = spacing(channel);
                if (!spacing.isZero()) {
                    String target = targetKey(channel);
                    Instant paced = pacer.getOrDefault(target, Instant.MIN);
                    boolean acquired = !paced.isAfter(now) && !em.createNativeQuery("insert into target_rate (target,"
                                    + " next_allowed_at) values (?1, ?2) on conflict (target) do update set next_allowed_at ="
                                    + " excluded.next_allowed_at where target_rate.next_allowed_at <= ?3 returning target")
                            .setParameter(1, target).setParameter(2, now.plus(spacing)).setParameter(3, now)
                            .getResultList().isEmpty();
                    if (!acquired) {
                        // the in-memory pacer spares the table a query until the target may be free again
                        Instant allowed = paced.isAfter(now) ? paced : TargetRate.findNextAllowedAt(target);
                        pacer.put(target, allowed);
                        int queued = deferred.merge(target, 1, Integer::sum) - 1;
                        // a hint, not a reservation: when it comes due it must still win the target's slot
                        delivery.nextAttemptAt = allowed.plus(spacing.multipliedBy(queued));
                        continue;
                    }
                    pacer.put(target, now.plus(spacing));
                }
            }
            leased.add(delivery);
        }
        if (leased.isEmpty()) {
            return List.of();
        }
        Instant leaseUntil = now.plus(lease());
        List<UUID> ids = leased.stream().map(delivery -> delivery.id).toList();
        em.createQuery("update Delivery d set d.leaseUntil = ?1 where d.id in ?2")
                .setParameter(1, leaseUntil).setParameter(2, ids).executeUpdate();
        Map<UUID, MonitorFlipped> flips = flipsOf(leased);
        List<Claimed> claimed = new ArrayList<>(leased.size());
        for (Delivery delivery : leased) {
            Channel channel = channelCache.get(delivery.channelId);
            MonitorFlipped flip = delivery.flipId == null ? null : flips.get(delivery.flipId);
            Notification message = switch (delivery.kind) {
                case DIGEST, TEST -> null; // a digest is closed and built when it is sent; a test is never claimed
                default -> flip == null ? null : Notification.of(delivery.id, delivery.kind, flip);
            };
            claimed.add(claimed(delivery, channel, message));
        }
        return claimed;
    }

    /**
     * The events of the flips that the deliveries (other than digests) are about: those this instance took in lately
     * from memory, the others in one query.
     */
    private Map<UUID, MonitorFlipped> flipsOf(List<Delivery> deliveries) {
        Map<UUID, MonitorFlipped> flips = new HashMap<>();
        List<UUID> ids = new ArrayList<>();
        deliveries.stream().filter(d -> d.flipId != null && d.kind != DeliveryKind.DIGEST).map(d -> d.flipId).distinct()
                .forEach(id -> {
                    MonitorFlipped known = recent.get(id);
                    if (known != null) {
                        flips.put(id, known);
                    } else {
                        ids.add(id);
                    }
                });
        if (!ids.isEmpty()) {
            em.createQuery("select f.id, f.payload from Flip f where f.id in ?1", Object[].class).setParameter(1, ids)
                    .getResultList().forEach(row -> flips.put((UUID) row[0], flip((String) row[1])));
        }
        return flips;
    }

    /** The earliest future attempt time of any pending delivery (a retry, a rate-limited one, a digest), or null. */
    @Transactional
    public Instant nextDueAfter(Instant now) {
        return Delivery.findNextDueAfter(now);
    }

    /** Creates a test delivery for a channel, already claimed by the caller, who sends it at once. */
    @Transactional
    public Claimed createTest(Channel channel, Instant now) {
        Delivery delivery = new Delivery();
        delivery.id = UUID.randomUUID();
        delivery.channelId = channel.id();
        delivery.channelType = channel.type().json();
        delivery.kind = DeliveryKind.TEST;
        delivery.status = DeliveryStatus.PENDING;
        delivery.createdAt = now;
        delivery.nextAttemptAt = now;
        delivery.leaseUntil = now.plus(lease());
        delivery.persist();
        return claimed(delivery, channel, Notification.test(delivery.id, channel.name(), now));
    }

    /**
     * What a claimed delivery says: the message built at claim time, or for a digest the digest of its held alerts;
     * null when there is nothing left to say (an empty digest, a vanished flip). A digest is closed to new members
     * first: the channel's storm window is locked (so an intake transaction still adding alerts to it commits first)
     * and detached from it (later alerts of the window start a new digest), so the members it names are exactly the
     * ones its outcome settles.
     */
    @Transactional
    public Notification digest(Claimed claimed, Instant now) {
        StormWindow window = StormWindow.findLocked(claimed.channelId());
        if (window != null && claimed.id().equals(window.digestId)) {
            window.digestId = null;
        }
        List<Notification.Entry> entries = Delivery.findHeldPayloads(claimed.id()).stream().map(payload -> {
            MonitorFlipped flip = flip(payload);
            return new Notification.Entry(flip.monitor().name(), flip.status(),
                    flip.reasonText() == null ? flip.reason() : flip.reasonText(), flip.occurredAt(), flip.link());
        }).toList();
        return entries.isEmpty() ? null : Notification.digest(claimed.id(), entries, now);
    }

    /**
     * Records one attempt and decides what comes next: SENT, FAILED (permanent, a test, or past the
     * give-up time) or PENDING again at the backoff / Retry-After time. A finished digest settles its
     * held alerts; a finished DOWN alert schedules its reminder. The outcomes ({@link DeliveryAttempted},
     * one per delivery settled) go to the outbox in the same transaction, keyed by monitor id (by channel
     * id for a test or a digest, which have no monitor).
     */
    @Transactional
    public void recordAttempt(Claimed claimed, SendResult result, Instant startedAt, long durationMs, Instant now) {
        recordAttempts(List.of(new Finished(claimed, result, startedAt, durationMs)), now);
    }

    /** One finished attempt, waiting to be recorded. */
    public record Finished(Claimed claimed, SendResult result, Instant startedAt, long durationMs) {
    }

    /** What an attempt decided for its delivery: the columns the recorder writes. */
    private record Decision(Finished finished, DeliveryStatus status, int attempts, Instant firstAttemptAt,
                           Instant nextAttemptAt, String outcome, String error) {
    }

    /**
     * {@link #recordAttempt} for a batch of attempts, in one transaction: the deliveries' new columns in one statement,
     * then the attempts, outcomes, digests and reminders of those that still exist.
     */
    @Transactional
    public void recordAttempts(List<Finished> finished, Instant now) {
        List<Decision> decisions = finished.stream().map(f -> decide(f, now)).toList();
        Set<UUID> recorded = writeOutcomes(decisions);
        // a reminder goes only to a channel that wanted one when claimed and still exists and wants one now
        Map<UUID, Channel> live = new HashMap<>();
        channels.findLive(finished.stream().map(Finished::claimed)
                        .filter(c -> c.channel() != null && c.channel().remindEvery() != null)
                        .map(Claimed::channelId).distinct().toList())
                .forEach(channel -> live.put(channel.id(), channel));
        List<Decision> existing = decisions.stream().filter(d -> recorded.contains(d.finished().claimed().id())).toList();
        insertAttempts(existing);
        existing.forEach(decision -> record(decision, now, live));
    }

    private static final String INSERT_ATTEMPTS = "insert into attempt (id, delivery_id, at, outcome, http_status, error,"
            + " duration_ms) select * from unnest(?::uuid[], ?::uuid[], ?::timestamptz[], ?::text[], ?::int[], ?::text[],"
            + " ?::bigint[])";

    /** The batch's attempt rows ({@link Attempt}), in one statement. */
    private void insertAttempts(List<Decision> decisions) {
        if (decisions.isEmpty()) {
            return;
        }
        int n = decisions.size();
        UUID[] ids = new UUID[n];
        UUID[] deliveries = new UUID[n];
        String[] at = new String[n];
        String[] outcomes = new String[n];
        Integer[] httpStatuses = new Integer[n];
        String[] errors = new String[n];
        Long[] durations = new Long[n];
        for (int i = 0; i < n; i++) {
            Decision decision = decisions.get(i);
            ids[i] = UUID.randomUUID();
            deliveries[i] = decision.finished().claimed().id();
            at[i] = decision.finished().startedAt().toString();
            outcomes[i] = decision.outcome();
            httpStatuses[i] = decision.finished().result().httpStatus();
            errors[i] = decision.error();
            durations[i] = decision.finished().durationMs();
        }
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(INSERT_ATTEMPTS)) {
                insert.setArray(1, connection.createArrayOf("uuid", ids));
                insert.setArray(2, connection.createArrayOf("uuid", deliveries));
                insert.setArray(3, connection.createArrayOf("timestamptz", at));
                insert.setArray(4, connection.createArrayOf("text", outcomes));
                insert.setArray(5, connection.createArrayOf("int4", httpStatuses));
                insert.setArray(6, connection.createArrayOf("text", errors));
                insert.setArray(7, connection.createArrayOf("int8", durations));
                insert.executeUpdate();
            }
        });
    }

    private static final String WRITE_OUTCOMES = "update delivery d set status = v.status, attempt_count = v.attempts,"
            + " first_attempt_at = v.first_at, last_attempt_at = v.last_at, last_http_status = v.http_status,"
            + " last_error = v.error, next_attempt_at = v.next_at, lease_until = null"
            + " from unnest(?::uuid[], ?::text[], ?::int[], ?::timestamptz[], ?::timestamptz[], ?::int[], ?::text[],"
            + " ?::timestamptz[]) as v(id, status, attempts, first_at, last_at, http_status, error, next_at)"
            + " where d.id = v.id returning d.id";

    /** Writes the batch's decisions to their deliveries in one statement; answers the ids of those that exist. */
    private Set<UUID> writeOutcomes(List<Decision> decisions) {
        int n = decisions.size();
        UUID[] ids = new UUID[n];
        String[] statuses = new String[n];
        Integer[] attempts = new Integer[n];
        String[] firstAt = new String[n];
        String[] lastAt = new String[n];
        Integer[] httpStatuses = new Integer[n];
        String[] errors = new String[n];
        String[] nextAt = new String[n];
        for (int i = 0; i < n; i++) {
            Decision decision = decisions.get(i);
            ids[i] = decision.finished().claimed().id();
            statuses[i] = decision.status().name();
            attempts[i] = decision.attempts();
            firstAt[i] = decision.firstAttemptAt().toString();
            lastAt[i] = decision.finished().startedAt().toString();
            httpStatuses[i] = decision.finished().result().httpStatus();
            errors[i] = decision.error();
            nextAt[i] = decision.nextAttemptAt().toString();
        }
        return em.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement update = connection.prepareStatement(WRITE_OUTCOMES)) {
                update.setArray(1, connection.createArrayOf("uuid", ids));
                update.setArray(2, connection.createArrayOf("text", statuses));
                update.setArray(3, connection.createArrayOf("int4", attempts));
                update.setArray(4, connection.createArrayOf("timestamptz", firstAt));
                update.setArray(5, connection.createArrayOf("timestamptz", lastAt));
                update.setArray(6, connection.createArrayOf("int4", httpStatuses));
                update.setArray(7, connection.createArrayOf("text", errors));
                update.setArray(8, connection.createArrayOf("timestamptz", nextAt));
                Set<UUID> written = new HashSet<>();
                try (ResultSet rows = update.executeQuery()) {
                    while (rows.next()) {
                        written.add(rows.getObject(1, UUID.class));
                    }
                }
                return written;
            }
        });
    }

    /**
     * The retry decision of one attempt: SENT, FAILED (permanent, a test, or past the give-up time) or PENDING again at
     * the backoff / Retry-After time.
     */
    private Decision decide(Finished f, Instant now) {
        Claimed claimed = f.claimed();
        SendResult result = f.result();
        int attempts = claimed.attemptCount() + 1;
        Instant first = claimed.firstAttemptAt() == null ? f.startedAt() : claimed.firstAttemptAt();
        DeliveryStatus status;
        Instant next = now;
        String error = result.error();
        String outcome = result.outcome().code();
        switch (result.outcome()) {
            case DELIVERED -> status = DeliveryStatus.SENT;
            case FAILED -> status = DeliveryStatus.FAILED;
            default -> {
                next = claimed.kind() == DeliveryKind.TEST ? null
                        : retryPolicy.nextAttempt(attempts, first, result.retryAfter(), now, ThreadLocalRandom.current()::nextDouble);
                if (next == null) {
                    status = DeliveryStatus.FAILED;
                    outcome = SendResult.Outcome.FAILED.code();
                    if (claimed.kind() != DeliveryKind.TEST) {
                        error = error + "; gave up after " + attempts + " attempts";
                    }
                    next = now;
                } else {
                    status = DeliveryStatus.PENDING;
                }
            }
        }
        return new Decision(f, status, attempts, first, next, outcome, error);
    }

    /** The rest of a recorded attempt: its outcome events, a digest's members, a reminder. */
    private void record(Decision decided, Instant now, Map<UUID, Channel> live) {
        Claimed claimed = decided.finished().claimed();
        SendResult result = decided.finished().result();
        Instant startedAt = decided.finished().startedAt();
        long durationMs = decided.finished().durationMs();
        DeliveryStatus status = decided.status();
        String outcome = decided.outcome();
        String error = decided.error();
        List<DeliveryAttempted> events = new ArrayList<>();
        events.add(event(claimed.id(), claimed.flipId(), claimed.monitorId(), claimed, claimed.kind().code(), status,
                startedAt, outcome, result.httpStatus(), error, durationMs).withConfigChange(result.configChange()));
        if (result.configChange() != null) {
            // the evaluator owns the channel and republishes it changed; until then this view sends to the new place
            channels.move(claimed.channelId(), result.configChange(), now);
        }
        boolean finished = status != DeliveryStatus.PENDING;
        if (finished && claimed.kind() == DeliveryKind.DIGEST) {
            for (Delivery member : Delivery.findHeldFor(claimed.id())) {
                member.status = status;
                member.lastAttemptAt = startedAt;
                member.lastHttpStatus = result.httpStatus();
                member.lastError = error;
                events.add(event(member.id, member.flipId, member.monitorId, claimed, member.kind.code(), status,
                        startedAt, outcome, result.httpStatus(), error, durationMs));
                if (member.flipStatus == Status.DOWN && member.kind == DeliveryKind.ALERT) {
                    scheduleReminder(live, member.monitorId, claimed.channelId(), claimed.channelType(), member.flipId,
                            member.flipSequence, 0, now);
                }
            }
        }
        if (finished && (claimed.kind() == DeliveryKind.ALERT || claimed.kind() == DeliveryKind.REMINDER)
                && "DOWN".equals(claimed.flipStatus())) {
            scheduleReminder(live, claimed.monitorId(), claimed.channelId(), claimed.channelType(), claimed.flipId(),
                    claimed.flipSequence(), claimed.seq(), now);
        }
        for (DeliveryAttempted event : events) {
            String key = (event.monitorId() != null ? event.monitorId() : event.channelId()).toString();
            outbox.enqueue(Topics.DELIVERIES, key, event);
        }
    }

    /** Marks a claimed delivery that has nothing to send (an empty digest, a vanished flip) as cancelled. */
    @Transactional
    public void cancel(Claimed claimed) {
        Delivery delivery = Delivery.findById(claimed.id());
        delivery.status = DeliveryStatus.CANCELLED;
        delivery.leaseUntil = null;
    }

    private void scheduleReminder(Map<UUID, Channel> live, UUID monitorId, UUID channelId, String channelType,
                                  UUID flipId, long flipSequence, int seq, Instant now) {
        Channel channel = live.get(channelId);
        if (channel == null || channel.deleted() || channel.remindEvery() == null) {
            return;
        }
        Long latest = Flip.findLatestSequence(monitorId);
        if (latest != null && latest > flipSequence) {
            return; // the monitor has moved on
        }
        // SQL for ON CONFLICT: an attempt recorded twice (a lease that ran out) must not schedule two reminders
        em.createNativeQuery("insert into delivery (id, flip_id, monitor_id, channel_id, channel_type, kind, seq,"
                        + " flip_sequence, flip_status, status, created_at, next_attempt_at)"
                        + " values (?1, ?2, ?3, ?4, ?5, 'reminder', ?6, ?7, 'DOWN', 'PENDING', ?8, ?9) on conflict do nothing")
                .setParameter(1, UUID.randomUUID()).setParameter(2, flipId).setParameter(3, monitorId)
                .setParameter(4, channelId).setParameter(5, channelType).setParameter(6, seq + 1)
                .setParameter(7, flipSequence).setParameter(8, now).setParameter(9, now.plus(channel.remindEvery()))
                .executeUpdate();
    }

    private static boolean overtaken(UUID monitorId, long flipSequence) {
        Long latest = Flip.findLatestSequence(monitorId);
        return latest != null && latest > flipSequence;
    }

    private Duration lease() {
        return config.dispatch().sendTimeout().plus(config.dispatch().leaseMargin());
    }

    /** The least time between two messages to the channel's target, with the jitter guard; zero when unlimited. */
    public Duration spacing(Channel channel) {
        return rates.spacing(channel.type());
    }

    /**
     * Marks a send to the channel's target as in flight, if the last one to it finished at least the
     * spacing ago. Until {@link #finishSend} the target counts as busy (up to the send timeout, in case
     * this instance dies), so the next message leaves at least the spacing after this one was answered,
     * hence arrives at least the spacing after it.
     *
     * @return null when the send may go now, else the earliest time to try again
     */
    @Transactional
    public Instant stampSend(Channel channel, Instant now) {
        Duration spacing = spacing(channel);
        if (spacing.isZero()) {
            return null;
        }
        String target = targetKey(channel);
        em.createNativeQuery("insert into target_rate (target, next_allowed_at) values (?1, ?2)"
                        + " on conflict (target) do nothing")
                .setParameter(1, target).setParameter(2, now).executeUpdate();
        TargetRate rate = TargetRate.findById(target, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        Instant last = rate.lastSentAt;
        if (last != null && now.isBefore(last.plus(spacing))) {
            return last.plus(spacing);
        }
        rate.lastSentAt = now.plus(config.dispatch().sendTimeout());
        return null;
    }

    /** Records that the send to the channel's target has been answered (or has failed) now. */
    @Transactional
    public void finishSend(Channel channel, Instant now) {
        if (!spacing(channel).isZero()) {
            TargetRate.update("lastSentAt = ?1 where target = ?2", now, targetKey(channel));
        }
    }

    /** Gives a claimed delivery back without an attempt, to be claimed again from {@code at}. */
    @Transactional
    public void release(Claimed claimed, Instant at) {
        Delivery.update("leaseUntil = null, nextAttemptAt = ?1 where id = ?2", at, claimed.id());
    }

    /**
     * The rate-limited target: the values of its type's rate key (a webhook URL, a bot and chat), hashed so the table
     * holds no secret, or the channel itself when the type has none.
     */
    public static String targetKey(Channel channel) {
        List<String> key = channel.type().definition().rateKey();
        return key.isEmpty() ? channel.type().json() + ":" + channel.id()
                : channel.type().json() + ":" + TokenHash.of(String.join("\n", key.stream().map(channel::text).toList()));
    }

    private static MonitorFlipped flip(String payload) {
        return Json.read(payload.getBytes(StandardCharsets.UTF_8), MonitorFlipped.class);
    }

    private static DeliveryAttempted event(UUID deliveryId, UUID flipId, UUID monitorId, Claimed claimed, String kind,
                                           DeliveryStatus status, Instant at, String outcome, Integer httpStatus,
                                           String error, long durationMs) {
        return new DeliveryAttempted(DeliveryAttempted.SCHEMA, UUID.randomUUID(), deliveryId, flipId, monitorId,
                claimed.channelId(), io.vigil.contracts.ChannelType.fromJson(claimed.channelType()), kind, status.name(),
                at, outcome, httpStatus, error, durationMs);
    }

    private static Claimed claimed(Delivery d, Channel channel, Notification message) {
        return new Claimed(d.id, d.flipId, d.monitorId, d.channelId, d.channelType, d.kind, d.seq, d.flipSequence,
                d.flipStatus == null ? null : d.flipStatus.name(), d.attemptCount, d.firstAttemptAt, channel, message);
    }

    /** A delivery's status, for tests and operators. */
    @Transactional
    public String statusOf(UUID deliveryId) {
        Delivery delivery = Delivery.findById(deliveryId);
        return delivery == null ? null : delivery.status.name();
    }
}
