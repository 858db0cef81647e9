package io.vigil.evaluator;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.vigil.contracts.Status;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.SecondaryTable;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.SecondaryRow;
import org.hibernate.type.SqlTypes;

/**
 * A monitor: what check-ins it expects (written by the admin API, table {@code monitor}) and where it stands
 * (written by the engine, table {@code monitor_state}: narrow, with only the key and the sweep's index, because
 * every applied ping rewrites it). Durations are kept in milliseconds; the admin API speaks ISO-8601.
 */
@Entity
@Table(name = "monitor")
@SecondaryTable(name = Monitor.STATE)
@SecondaryRow(table = Monitor.STATE, optional = false)
@DynamicUpdate // the admin API writes configuration, the engine writes state: neither overwrites the other's columns
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

    public String token;

    @Column(name = "token_hash")
    public String tokenHash;

    /** True only for the reserved {@code vigil-pipeline} monitor. */
    public boolean system;

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

    public static Monitor findBySlug(String slug) {
        return find("slug", slug).firstResult();
    }

    /**
     * Locks the monitor's {@code monitor} row: every writer of a monitor (the admin API, the applier, the sweep)
     * takes this one lock first, so the two tables are never locked in different orders.
     *
     * @return whether the monitor exists
     */
    public static boolean lockRow(UUID id) {
        return !getEntityManager().createNativeQuery("SELECT id FROM monitor WHERE id = ?1 FOR NO KEY UPDATE")
                .setParameter(1, id).getResultList().isEmpty();
    }

    /** The monitor, read after {@link #lockRow locking} it; null when there is none. */
    public static Monitor findLocked(UUID id) {
        if (!lockRow(id)) {
            return null;
        }
        Monitor monitor = findById(id);
        getEntityManager().refresh(monitor); // read again, after the lock, even when it was loaded before it
        return monitor;
    }
}
