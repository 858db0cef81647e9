package io.vigil.evaluator;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.vigil.contracts.Status;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.PrePersist;
import jakarta.persistence.SecondaryTable;
import jakarta.persistence.Table;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.hibernate.jpa.HibernateHints;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.SecondaryRow;
import org.hibernate.type.SqlTypes;

/**
 * A monitor: what check-ins it expects (written by the admin API, table {@code monitor}) and where it stands
 * (written by the engine, table {@code monitor_state}: narrow, with only the key and the sweep's index, because
 * every applied ping rewrites it). Durations are kept in milliseconds; the admin API speaks ISO-8601.
 * <p>
 * Every writer locks the monitor and reads it after the lock ({@link #lockAndRead}), so writing whole rows never
 * puts back a stale value. (Not {@code @DynamicUpdate}: with it, Hibernate left out dirty columns of the
 * {@code monitor} table when columns of both tables changed in one flush, and a PATCH that cleared a monitor's
 * error state kept its old schedule type; {@code ScheduleChangeTest} and {@code FailureIsolationTest} catch it.)
 */
@Entity
@Table(name = "monitor")
@SecondaryTable(name = Monitor.STATE)
@SecondaryRow(table = Monitor.STATE, optional = false)
public class Monitor extends PanacheEntityBase {

    /** The table of the engine's columns. */
    public static final String STATE = "monitor_state";

    /** Native SQL's source for Monitor rows: both tables, one row per monitor. */
    public static final String BOTH_TABLES = "monitor JOIN monitor_state USING (id)";

    @Id
    public UUID id;

    public String name;
    public String slug;
    public String description;

    @JdbcTypeCode(SqlTypes.ARRAY)
    public List<String> tags = new ArrayList<>();

    /** {@code interval} or {@code cron}. */
    @Column(name = "schedule_type")
    public String scheduleType;

    @Column(name = "every_ms")
    public Long everyMs;

    @Column(name = "cron_expression")
    public String cronExpression;

    public String timezone;

    @Column(name = "grace_ms")
    public long graceMs;

    @Column(name = "max_runtime_ms")
    public Long maxRuntimeMs;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "channel_ids")
    public List<UUID> channelIds = new ArrayList<>();

    /**
     * The monitors this one depends on ({@code dependsOn}): while one of them is LATE or DOWN, this monitor's LATE
     * and DOWN are recorded but their alerts are held ({@code Dependencies}).
     */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "depends_on")
    public List<UUID> dependsOn = new ArrayList<>();

    public String token;

    @Column(name = "token_hash")
    public String tokenHash;

    /**
     * The maintenance windows as JSON ({@link Maintenance#toJson}): {@code []} when none. Text, not jsonb: only the
     * evaluator reads it, through {@link Maintenance#of(Monitor)}.
     */
    public String maintenance = "[]";

    /** True only for the reserved {@code vigil-pipeline} monitor. */
    public boolean system;

    /** A failure signal makes the monitor DOWN only when it is the Nth failure in a row (1: the first). */
    @Column(name = "failure_threshold")
    public int failureThreshold = 1;

    /** A DOWN monitor goes UP only on the Nth success in a row (1: the first). */
    @Column(name = "recovery_threshold")
    public int recoveryThreshold = 1;

    /** A finish that closes a run shorter than this is a failure ({@code run-too-short}); null: none. */
    @Column(name = "min_runtime_ms")
    public Long minRuntimeMs;

    /** A success less than this after the previous success is a failure ({@code too-frequent}); null: none. */
    @Column(name = "min_interval_ms")
    public Long minIntervalMs;

    /** A DOWN monitor stays DOWN, whatever it is sent, until it is resumed through the admin API. */
    @Column(name = "manual_resume")
    public boolean manualResume;

    @Enumerated(EnumType.STRING)
    @Column(table = STATE)
    public Status status = Status.NEW;

    @Column(table = STATE)
    public boolean running;

    @Column(name = "run_started_at", table = STATE)
    public Instant runStartedAt;

    @Column(name = "run_rid", table = STATE)
    public UUID runRid;

    @Column(name = "last_ping_at", table = STATE)
    public Instant lastPingAt;

    @Column(name = "last_success_at", table = STATE)
    public Instant lastSuccessAt;

    @Column(name = "last_duration_ms", table = STATE)
    public Long lastDurationMs;

    @Column(name = "ping_count", table = STATE)
    public long pingCount;

    /** The next due time without grace; null when nothing is expected. */
    @Column(name = "due_at", table = STATE)
    public Instant dueAt;

    /** When the sweep must look at this monitor next; null when never. */
    @Column(name = "next_alert_at", table = STATE)
    public Instant nextAlertAt;

    @Column(name = "down_since", table = STATE)
    public Instant downSince;

    @Column(name = "paused_at", table = STATE)
    public Instant pausedAt;

    /** The last ping's body as text, at most 1000 characters, for alerts. */
    @Column(name = "last_body", table = STATE)
    public String lastBody;

    @Column(name = "flip_sequence", table = STATE)
    public long flipSequence;

    /** The partition of vigil.pings.v1 this monitor's pings travel on (its key's partition). */
    @Column(name = "kafka_partition", table = STATE)
    public int kafkaPartition;

    /** Grows with every change; orders the registry records ingest sees. */
    public long version = 1;

    /**
     * The unguessable part of the monitor's badge URLs (160 random bits, URL-safe): badges need no API key, so
     * knowing this id is what lets one see the status; {@code rotate-badge} replaces it.
     */
    @Column(name = "badge_id")
    public String badgeId;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    /** Received-at of the newest applied finish (success or fail): a start or finish older than it is closed. */
    @Column(name = "last_finish_at", table = STATE)
    public Instant lastFinishAt;

    /** When the monitor was last paused or resumed: a ping received before it changes no state. */
    @Column(name = "lifecycle_at", table = STATE)
    public Instant lifecycleAt;

    /** The {@code at} of the newest flip; later flips never go before it. */
    @Column(name = "last_flip_at", table = STATE)
    public Instant lastFlipAt;

    /**
     * Why the engine cannot evaluate this monitor (its pings wait in {@code held_ping}), or null while it is
     * healthy; a change to the monitor clears it.
     */
    @Column(name = "error_text", table = STATE)
    public String errorText;

    /** Since when {@link #errorText} holds. */
    @Column(name = "error_at", table = STATE)
    public Instant errorAt;

    /** Failure signals in a row since the last success (counted towards {@link #failureThreshold}). */
    @Column(name = "consecutive_failures", table = STATE)
    public int consecutiveFailures;

    /** Successes in a row while DOWN (counted towards {@link #recoveryThreshold}). */
    @Column(name = "consecutive_successes", table = STATE)
    public int consecutiveSuccesses;

    /** When a snoozed (PAUSED with an end) monitor resumes by itself; null: paused until resumed or pinged. */
    @Column(name = "paused_until", table = STATE)
    public Instant pausedUntil;

    /**
     * Where the engine stands in the maintenance windows: outside MAINTENANCE, windows are declared from this instant
     * on (one holding it, or starting after it); in MAINTENANCE, the instant the current maintenance began (or was
     * last extended), its end computed from it. Set to the request time when the windows change or the monitor
     * resumes, so windows never apply retroactively.
     */
    @Column(name = "maintenance_from", table = STATE)
    public Instant maintenanceFrom;

    public static Monitor findBySlug(String slug) {
        return find("slug", slug).firstResult();
    }

    /**
     * The columns of {@code monitor_state} the engine writes, in one place: the applier's batched UPDATE is
     * generated from this list, and a test checks it against the entity's mapping and the table (only
     * {@code id} and {@code kafka_partition}, fixed at creation, are left out).
     */
    public static final List<StateColumn> ENGINE_COLUMNS = List.of(
            new StateColumn("status", "text", m -> m.status.name()),
            new StateColumn("running", "bool", m -> m.running),
            new StateColumn("run_started_at", "timestamptz", m -> text(m.runStartedAt)),
            new StateColumn("run_rid", "uuid", m -> m.runRid),
            new StateColumn("last_ping_at", "timestamptz", m -> text(m.lastPingAt)),
            new StateColumn("last_success_at", "timestamptz", m -> text(m.lastSuccessAt)),
            new StateColumn("last_duration_ms", "int8", m -> m.lastDurationMs),
            new StateColumn("ping_count", "int8", m -> m.pingCount),
            new StateColumn("due_at", "timestamptz", m -> text(m.dueAt)),
            new StateColumn("next_alert_at", "timestamptz", m -> text(m.nextAlertAt)),
            new StateColumn("down_since", "timestamptz", m -> text(m.downSince)),
            new StateColumn("paused_at", "timestamptz", m -> text(m.pausedAt)),
            new StateColumn("last_body", "text", m -> m.lastBody),
            new StateColumn("flip_sequence", "int8", m -> m.flipSequence),
            new StateColumn("last_finish_at", "timestamptz", m -> text(m.lastFinishAt)),
            new StateColumn("lifecycle_at", "timestamptz", m -> text(m.lifecycleAt)),
            new StateColumn("last_flip_at", "timestamptz", m -> text(m.lastFlipAt)),
            new StateColumn("error_text", "text", m -> m.errorText),
            new StateColumn("error_at", "timestamptz", m -> text(m.errorAt)),
            new StateColumn("consecutive_failures", "int4", m -> m.consecutiveFailures),
            new StateColumn("consecutive_successes", "int4", m -> m.consecutiveSuccesses),
            new StateColumn("paused_until", "timestamptz", m -> text(m.pausedUntil)),
            new StateColumn("maintenance_from", "timestamptz", m -> text(m.maintenanceFrom)));

    /** One engine column: its name, its PostgreSQL array element type, and its value as sent in an array. */
    public record StateColumn(String name, String sqlType, Function<Monitor, Object> value) {
    }

    /** An instant as PostgreSQL reads it in a timestamptz array. */
    private static String text(Instant at) {
        return at == null ? null : at.toString();
    }

    /**
     * The one locking rule for a monitor's state, taken by every writer (the admin API, the applier, the sweep):
     * lock the {@code monitor} rows (in id order, so two writers never deadlock), then read both tables in a new
     * statement. Under READ COMMITTED that statement sees what the previous holder of the lock committed; reading
     * in the locking statement would not (PostgreSQL re-reads only the locked row, not the joined state row).
     *
     * @return the monitors that exist, read after their locks were taken
     */
    public static List<Monitor> lockAndRead(Collection<UUID> ids) {
        return lockAndRead(ids, false);
    }

    /**
     * {@link #lockAndRead(Collection)}, optionally as read-only entities (no dirty checking: the caller writes
     * the state itself, from {@link #ENGINE_COLUMNS}).
     */
    public static List<Monitor> lockAndRead(Collection<UUID> ids, boolean readOnly) {
        if (ids.isEmpty()) {
            return List.of();
        }
        getEntityManager().createNativeQuery("SELECT id FROM monitor WHERE id IN (:ids) ORDER BY id FOR NO KEY UPDATE")
                .setParameter("ids", ids).getResultList();
        return read(ids, readOnly);
    }

    /**
     * Claims at most {@code limit} monitors of {@code partition} whose next alert time is before {@code until}
     * and that no other writer holds ({@code SKIP LOCKED}), then reads them as {@link #lockAndRead} does. A
     * claimed monitor may have moved on meanwhile: callers decide on the state read after the lock.
     */
    @SuppressWarnings("unchecked")
    public static List<Monitor> claimDue(int partition, Instant until, int limit) {
        List<UUID> ids = getEntityManager().createNativeQuery("""
                        SELECT id FROM monitor JOIN monitor_state USING (id)
                        WHERE kafka_partition = ?1 AND next_alert_at IS NOT NULL AND next_alert_at < ?2
                        ORDER BY next_alert_at
                        LIMIT ?3
                        FOR NO KEY UPDATE OF monitor SKIP LOCKED""", UUID.class)
                .setParameter(1, partition)
                .setParameter(2, until)
                .setParameter(3, limit)
                .getResultList();
        return ids.isEmpty() ? List.of() : read(ids, false);
    }

    /**
     * Reads both tables of {@code ids}. A monitor the transaction had already loaded comes back as that instance,
     * with its old values: callers lock before they load, or refresh (as {@link #findLocked} does).
     */
    @SuppressWarnings("unchecked")
    private static List<Monitor> read(Collection<UUID> ids, boolean readOnly) {
        return getEntityManager().createNativeQuery("SELECT * FROM " + BOTH_TABLES + " WHERE id IN (:ids) ORDER BY id",
                        Monitor.class)
                .setParameter("ids", ids)
                .setHint(HibernateHints.HINT_READ_ONLY, readOnly)
                .getResultList();
    }

    /**
     * The monitor, locked by the one rule and read after the lock (even when the transaction had loaded it
     * before); null when there is none. Loaded by id, so Hibernate keeps it as it keeps any entity it loads.
     */
    public static Monitor findLocked(UUID id) {
        List<?> locked = getEntityManager().createNativeQuery("SELECT id FROM monitor WHERE id = ?1 FOR NO KEY UPDATE")
                .setParameter(1, id).getResultList();
        if (locked.isEmpty()) {
            return null;
        }
        Monitor monitor = findById(id);
        getEntityManager().refresh(monitor); // loaded before the lock: read it again
        return monitor;
    }

    private static final SecureRandom BADGE_IDS = new SecureRandom();

    /** A new badge id: 160 random bits as 27 URL-safe characters. */
    public static String newBadgeId() {
        byte[] bytes = new byte[20];
        BADGE_IDS.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @PrePersist
    void giveBadgeId() {
        if (badgeId == null) {
            badgeId = newBadgeId();
        }
    }
}
