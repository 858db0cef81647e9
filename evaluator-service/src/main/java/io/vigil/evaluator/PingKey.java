package io.vigil.evaluator;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A ping key: the secret of Healthchecks' slug URLs, {@code /ping/{pingKey}/{slug}}, which ping any monitor by
 * its slug and, with {@code ?create=1}, create a missing one with the key's defaults (schedule, grace, channels,
 * tags). Only the SHA-256 of the key is stored; the key is shown once, when it is created.
 */
@Entity
@Table(name = "ping_key")
public class PingKey extends PanacheEntityBase {

    @Id
    public UUID id;

    public String name;

    @Column(name = "key_hash")
    public String keyHash;

    /** {@code interval} or {@code cron}, as {@link Monitor#scheduleType}. */
    @Column(name = "schedule_type")
    public String scheduleType;

    @Column(name = "every_ms")
    public Long everyMs;

    @Column(name = "cron_expression")
    public String cronExpression;

    public String timezone;

    @Column(name = "grace_ms")
    public long graceMs;

    @JdbcTypeCode(SqlTypes.ARRAY)
    public List<String> tags = new ArrayList<>();

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "channel_ids")
    public List<UUID> channelIds = new ArrayList<>();

    /** Orders the key's records on {@code vigil.monitors.v1}. */
    public long version = 1;

    @Column(name = "created_at")
    public Instant createdAt;

    /** The defaults' schedule. */
    public Schedule schedule() {
        Monitor probe = new Monitor();
        probe.scheduleType = scheduleType;
        probe.everyMs = everyMs;
        probe.cronExpression = cronExpression;
        probe.timezone = timezone;
        return Schedule.of(probe);
    }
}
