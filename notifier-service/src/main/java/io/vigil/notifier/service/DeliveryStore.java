package io.vigil.notifier.service;

import io.vigil.contracts.DeliveryAttempted;
import io.vigil.contracts.Json;
import io.vigil.contracts.MonitorFlipped;
import io.vigil.contracts.TokenHash;
import io.vigil.notifier.Channel;
import io.vigil.notifier.DeliveryKind;
import io.vigil.notifier.DeliveryStatus;
import io.vigil.notifier.Notification;
import io.vigil.notifier.RetryPolicy;
import io.vigil.notifier.SendResult;
import io.vigil.notifier.config.NotifierConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The delivery bookkeeping behind the dispatcher: claiming due deliveries (in flip order per
 * monitor and channel, {@code FOR UPDATE SKIP LOCKED}, under the shared per-target rate limits),
 * recording each attempt with its retry decision, digests and reminders.
 */
@ApplicationScoped
public class DeliveryStore {

    /** A delivery claimed for one attempt, with its channel (null when the channel is gone). */
    public record Claimed(UUID id, UUID flipId, UUID monitorId, UUID channelId, String channelType, DeliveryKind kind,
                          int seq, long flipSequence, String flipStatus, int attemptCount, Instant firstAttemptAt,
                          Channel channel) {
    }

    private static final String OPEN_EARLIER = "exists (select 1 from delivery e where e.monitor_id = d.monitor_id"
            + " and e.channel_id = d.channel_id and e.status in ('PENDING', 'HELD') and e.id <> d.id"
            + " and (e.flip_sequence < d.flip_sequence or (e.flip_sequence = d.flip_sequence and e.position < d.position)))";

    /** The alerts that made a channel's storm window go first; its digest follows them. */
    private static final String ALERTS_BEFORE_DIGEST = "exists (select 1 from delivery a where a.channel_id = d.channel_id"
            + " and a.status = 'PENDING' and a.kind in ('alert', 'notice') and a.position < d.position)";

    private final Jdbc jdbc;
    private final ChannelStore channels;
    private final NotifierConfig config;
    private final RetryPolicy retryPolicy;

    public DeliveryStore(Jdbc jdbc, ChannelStore channels, NotifierConfig config) {
        this.jdbc = jdbc;
        this.channels = channels;
        this.config = config;
        this.retryPolicy = new RetryPolicy(config.retry().initialBackoff(), config.retry().maxBackoff(),
                config.retry().giveUpAfter());
    }

    /**
     * Claims up to {@code limit} due deliveries whose earlier deliveries to the same channel are done,
     * and whose target's rate limit allows a message now; the others are put off until their target
     * allows one. A claim is a lease: if this instance dies mid-send, another retries after it expires.
     */
    @Transactional
    public List<Claimed> claim(Instant now, int limit) {
        List<Claimed> due = jdbc.query("select d.* from delivery d where d.status = 'PENDING' and d.next_attempt_at <= ?"
                        + " and (d.lease_until is null or d.lease_until < ?)"
                        + " and (d.monitor_id is null or not " + OPEN_EARLIER + ")"
                        + " and (d.kind <> 'digest' or not " + ALERTS_BEFORE_DIGEST + ")"
                        + " order by d.next_attempt_at, d.flip_sequence limit ? for update of d skip locked",
                rs -> claimed(rs, null), now, now, limit);
        Map<UUID, Channel> channelCache = new HashMap<>();
        Map<String, Integer> deferred = new HashMap<>();
        List<Claimed> claimed = new ArrayList<>();
        for (Claimed row : due) {
            if (row.kind() == DeliveryKind.REMINDER && overtaken(row)) {
                jdbc.update("update delivery set status = 'CANCELLED' where id = ?", row.id());
                continue;
            }
            Channel channel = channelCache.computeIfAbsent(row.channelId(), channels::find);
            if (channel != null && !channel.deleted()) {
                Duration spacing = spacing(channel);
                if (!spacing.isZero()) {
                    String target = targetKey(channel);
                    boolean acquired = !jdbc.query("insert into target_rate (target, next_allowed_at) values (?, ?)"
                                    + " on conflict (target) do update set next_allowed_at = excluded.next_allowed_at"
                                    + " where target_rate.next_allowed_at <= ? returning target",
                            rs -> rs.getString(1), target, now.plus(spacing), now).isEmpty();
                    if (!acquired) {
                        Instant allowed = jdbc.one("select next_allowed_at from target_rate where target = ?",
                                rs -> Jdbc.instant(rs, "next_allowed_at"), target);
                        int queued = deferred.merge(target, 1, Integer::sum) - 1;
                        // a hint, not a reservation: when it comes due it must still win the target's slot
                        jdbc.update("update delivery set next_attempt_at = ? where id = ?",
                                allowed.plus(spacing.multipliedBy(queued)), row.id());
                        continue;
                    }
                }
            }
            jdbc.update("update delivery set lease_until = ? where id = ?", now.plus(lease()), row.id());
            claimed.add(withChannel(row, channel));
        }
        return claimed;
    }

    /** The earliest future attempt time of any pending delivery (a retry, a rate-limited one, a digest), or null. */
    public Instant nextDueAfter(Instant now) {
        return jdbc.one("select min(next_attempt_at) as due from delivery where status = 'PENDING' and next_attempt_at > ?",
                rs -> Jdbc.instant(rs, "due"), now);
    }

    /** Creates a test delivery for a channel, already claimed by the caller, who sends it at once. */
    @Transactional
    public Claimed createTest(Channel channel, Instant now) {
        UUID id = UUID.randomUUID();
        jdbc.update("insert into delivery (id, flip_id, monitor_id, channel_id, channel_type, kind, seq, flip_sequence,"
                        + " flip_status, status, created_at, next_attempt_at, lease_until)"
                        + " values (?, null, null, ?, ?, 'test', 0, 0, null, 'PENDING', ?, ?, ?)",
                id, channel.id(), channel.type().json(), now, now, now.plus(lease()));
        return new Claimed(id, null, null, channel.id(), channel.type().json(), DeliveryKind.TEST, 0, 0, null, 0, null, channel);
    }

    /**
     * What a claimed delivery says; null when there is nothing left to say (an empty digest). A digest
     * is closed to new members first: the channel's storm window is locked (so an intake transaction
     * still adding alerts to it commits first) and detached from it (later alerts of the window start
     * a new digest), so the members it names are exactly the ones its outcome settles.
     */
    @Transactional
    public Notification notification(Claimed claimed, Instant now) {
        return switch (claimed.kind()) {
            case TEST -> Notification.test(claimed.id(), claimed.channel().name(), now);
            case DIGEST -> {
                jdbc.query("select channel_id from storm_window where channel_id = ? for update", rs -> rs.getObject(1),
                        claimed.channelId());
                jdbc.update("update storm_window set digest_id = null where channel_id = ? and digest_id = ?",
                        claimed.channelId(), claimed.id());
                List<Notification.Entry> entries = jdbc.query("select f.payload from delivery d join flip f on f.id = d.flip_id"
                                + " where d.digest_id = ? and d.status = 'HELD' order by d.created_at",
                        rs -> {
                            MonitorFlipped flip = flip(rs.getString("payload"));
                            return new Notification.Entry(flip.monitor().name(), flip.status(),
                                    flip.reasonText() == null ? flip.reason() : flip.reasonText(), flip.occurredAt(), flip.link());
                        }, claimed.id());
                yield entries.isEmpty() ? null : Notification.digest(claimed.id(), entries, now);
            }
            default -> {
                String payload = jdbc.one("select payload from flip where id = ?", rs -> rs.getString("payload"), claimed.flipId());
                yield payload == null ? null : Notification.of(claimed.id(), claimed.kind(), flip(payload));
            }
        };
    }

    /**
     * Records one attempt and decides what comes next: SENT, FAILED (permanent, a test, or past the
     * give-up time) or PENDING again at the backoff / Retry-After time. A finished digest settles its
     * held alerts; a finished DOWN alert schedules its reminder. Returns the events to publish.
     */
    @Transactional
    public List<DeliveryAttempted> recordAttempt(Claimed claimed, SendResult result, Instant startedAt, long durationMs,
                                                 Instant now) {
        int attempts = claimed.attemptCount() + 1;
        Instant first = claimed.firstAttemptAt() == null ? startedAt : claimed.firstAttemptAt();
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
        jdbc.update("insert into attempt (id, delivery_id, at, outcome, http_status, error, duration_ms) values (?, ?, ?, ?, ?, ?, ?)",
                UUID.randomUUID(), claimed.id(), startedAt, outcome, result.httpStatus(), error, durationMs);
        jdbc.update("update delivery set status = ?, attempt_count = ?, first_attempt_at = ?, last_attempt_at = ?,"
                        + " last_http_status = ?, last_error = ?, next_attempt_at = ?, lease_until = null where id = ?",
                status.name(), attempts, first, startedAt, result.httpStatus(), error, next, claimed.id());
        List<DeliveryAttempted> events = new ArrayList<>();
        events.add(event(claimed.id(), claimed.flipId(), claimed.monitorId(), claimed, claimed.kind().code(), status,
                startedAt, outcome, result.httpStatus(), error, durationMs));
        boolean finished = status != DeliveryStatus.PENDING;
        if (finished && claimed.kind() == DeliveryKind.DIGEST) {
            record Member(UUID id, UUID flipId, UUID monitorId, String kind, long flipSequence, String flipStatus) { }
            List<Member> members = jdbc.query("update delivery set status = ?, last_attempt_at = ?, last_http_status = ?,"
                            + " last_error = ? where digest_id = ? and status = 'HELD'"
                            + " returning id, flip_id, monitor_id, kind, flip_sequence, flip_status",
                    rs -> new Member(Jdbc.uuid(rs, "id"), Jdbc.uuid(rs, "flip_id"), Jdbc.uuid(rs, "monitor_id"),
                            rs.getString("kind"), rs.getLong("flip_sequence"), rs.getString("flip_status")),
                    status.name(), startedAt, result.httpStatus(), error, claimed.id());
            for (Member member : members) {
                events.add(event(member.id(), member.flipId(), member.monitorId(), claimed, member.kind(), status,
                        startedAt, outcome, result.httpStatus(), error, durationMs));
                if ("DOWN".equals(member.flipStatus()) && "alert".equals(member.kind())) {
                    scheduleReminder(member.monitorId(), claimed.channelId(), claimed.channelType(), member.flipId(),
                            member.flipSequence(), 0, now);
                }
            }
        }
        if (finished && (claimed.kind() == DeliveryKind.ALERT || claimed.kind() == DeliveryKind.REMINDER)
                && "DOWN".equals(claimed.flipStatus())) {
            scheduleReminder(claimed.monitorId(), claimed.channelId(), claimed.channelType(), claimed.flipId(),
                    claimed.flipSequence(), claimed.seq(), now);
        }
        return events;
    }

    /** Marks a claimed delivery that has nothing to send (an empty digest, a vanished flip) as cancelled. */
    @Transactional
    public void cancel(Claimed claimed) {
        jdbc.update("update delivery set status = 'CANCELLED', lease_until = null where id = ?", claimed.id());
    }

    private void scheduleReminder(UUID monitorId, UUID channelId, String channelType, UUID flipId, long flipSequence,
                                  int seq, Instant now) {
        Channel channel = channels.find(channelId);
        if (channel == null || channel.deleted() || channel.remindEvery() == null) {
            return;
        }
        Long latest = jdbc.one("select max(sequence) as s from flip where monitor_id = ?", rs -> rs.getLong("s"), monitorId);
        if (latest != null && latest > flipSequence) {
            return; // the monitor has moved on
        }
        jdbc.update("insert into delivery (id, flip_id, monitor_id, channel_id, channel_type, kind, seq, flip_sequence,"
                        + " flip_status, status, created_at, next_attempt_at) values (?, ?, ?, ?, ?, 'reminder', ?, ?, 'DOWN',"
                        + " 'PENDING', ?, ?) on conflict do nothing",
                UUID.randomUUID(), flipId, monitorId, channelId, channelType, seq + 1, flipSequence, now,
                now.plus(channel.remindEvery()));
    }

    private boolean overtaken(Claimed reminder) {
        Long latest = jdbc.one("select max(sequence) as s from flip where monitor_id = ?", rs -> rs.getLong("s"),
                reminder.monitorId());
        return latest != null && latest > reminder.flipSequence();
    }

    private Duration lease() {
        return config.dispatch().sendTimeout().plus(config.dispatch().leaseMargin());
    }

    /** The least time between two messages to the channel's target, with the jitter guard; zero when unlimited. */
    public Duration spacing(Channel channel) {
        Duration interval = switch (channel.type()) {
            case SLACK -> config.rate().slack();
            case TEAMS -> config.rate().teams();
            case EMAIL -> config.rate().email();
            case WEBHOOK -> config.rate().webhook();
        };
        if (interval.isZero() || interval.isNegative()) {
            return Duration.ZERO;
        }
        Duration guard = config.rate().guard();
        return interval.plus(guard.compareTo(interval.dividedBy(10)) < 0 ? guard : interval.dividedBy(10));
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
        jdbc.update("insert into target_rate (target, next_allowed_at) values (?, ?) on conflict (target) do nothing",
                target, now);
        Instant last = jdbc.one("select last_sent_at from target_rate where target = ? for update",
                rs -> Jdbc.instant(rs, "last_sent_at"), target);
        if (last != null && now.isBefore(last.plus(spacing))) {
            return last.plus(spacing);
        }
        jdbc.update("update target_rate set last_sent_at = ? where target = ?", now.plus(config.dispatch().sendTimeout()), target);
        return null;
    }

    /** Records that the send to the channel's target has been answered (or has failed) now. */
    @Transactional
    public void finishSend(Channel channel, Instant now) {
        if (!spacing(channel).isZero()) {
            jdbc.update("update target_rate set last_sent_at = ? where target = ?", now, targetKey(channel));
        }
    }

    /** Gives a claimed delivery back without an attempt, to be claimed again from {@code at}. */
    @Transactional
    public void release(Claimed claimed, Instant at) {
        jdbc.update("update delivery set lease_until = null, next_attempt_at = ? where id = ?", at, claimed.id());
    }

    /** The rate-limited target: the webhook URL (hashed, so the table holds no secret) or the email channel. */
    static String targetKey(Channel channel) {
        String url = channel.targetUrl();
        return url == null ? channel.type().json() + ":" + channel.id()
                : channel.type().json() + ":" + TokenHash.of(url);
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

    private static Claimed withChannel(Claimed row, Channel channel) {
        return new Claimed(row.id(), row.flipId(), row.monitorId(), row.channelId(), row.channelType(), row.kind(),
                row.seq(), row.flipSequence(), row.flipStatus(), row.attemptCount(), row.firstAttemptAt(), channel);
    }

    private static Claimed claimed(ResultSet rs, Channel channel) throws SQLException {
        return new Claimed(Jdbc.uuid(rs, "id"), Jdbc.uuid(rs, "flip_id"), Jdbc.uuid(rs, "monitor_id"),
                Jdbc.uuid(rs, "channel_id"), rs.getString("channel_type"), DeliveryKind.of(rs.getString("kind")),
                rs.getInt("seq"), rs.getLong("flip_sequence"), rs.getString("flip_status"), rs.getInt("attempt_count"),
                Jdbc.instant(rs, "first_attempt_at"), channel);
    }

    /** A delivery's status, for tests and operators. */
    public String statusOf(UUID deliveryId) {
        return jdbc.one("select status from delivery where id = ?", rs -> rs.getString(1), deliveryId);
    }
}
