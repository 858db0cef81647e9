package io.vigil.evaluator;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.vigil.contracts.Status;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A monitor: what check-ins it expects (written by the admin API) and where it stands (written by the
 * engine). Durations are kept in milliseconds; the admin API speaks ISO-8601.
 */
@Entity
@Table(name = "monitor")
@DynamicUpdate // the admin API writes configuration, the engine writes state: neither overwrites the other's columns
public class Monitor extends PanacheEntityBase {

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
    public Status status = Status.NEW;

    public boolean running;

    @Column(name = "run_started_at")
    public Instant runStartedAt;

    @Column(name = "run_rid")
    public UUID runRid;

    @Column(name = "last_ping_at")
    public Instant lastPingAt;

    @Column(name = "last_success_at")
    public Instant lastSuccessAt;

    @Column(name = "last_duration_ms")
    public Long lastDurationMs;

    @Column(name = "ping_count")
    public long pingCount;

    /** The next due time without grace; null when nothing is expected. */
    @Column(name = "due_at")
    public Instant dueAt;

    /** When the sweep must look at this monitor next; null when never. */
    @Column(name = "next_alert_at")
    public Instant nextAlertAt;

    @Column(name = "down_since")
    public Instant downSince;

    @Column(name = "paused_at")
    public Instant pausedAt;

    /** The last ping's body as text, at most 1000 characters, for alerts. */
    @Column(name = "last_body")
    public String lastBody;

    @Column(name = "flip_sequence")
    public long flipSequence;

    /** The partition of vigil.pings.v1 this monitor's pings travel on (its key's partition). */
    @Column(name = "kafka_partition")
    public int kafkaPartition;

    /** Grows with every change; orders the registry records ingest sees. */
    public long version = 1;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    /** Received-at of the newest applied finish (success or fail): a start or finish older than it is closed. */
    @Column(name = "last_finish_at")
    public Instant lastFinishAt;

    /** When the monitor was last paused or resumed: a ping received before it changes no state. */
    @Column(name = "lifecycle_at")
    public Instant lifecycleAt;

    /** The {@code at} of the newest flip; later flips never go before it. */
    @Column(name = "last_flip_at")
    public Instant lastFlipAt;

    public static Monitor findBySlug(String slug) {
        return find("slug", slug).firstResult();
    }
}
