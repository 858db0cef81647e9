package io.vigil.evaluator;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.vigil.contracts.PingType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One received ping in a monitor's history. The history is a ring buffer of the newest N pings per monitor
 * ({@code VIGIL_PING_HISTORY}, default 100): ping number {@code n} lives in slot {@code n mod N} and
 * overwrites the ping N before it, so a ping costs one upsert and nothing needs pruning. Written only by
 * the engine (native upsert); read by the admin API.
 */
@Entity
@Table(name = "ping")
@IdClass(PingRecord.Key.class)
public class PingRecord extends PanacheEntityBase {

    @Id
    @Column(name = "monitor_id")
    public UUID monitorId;

    @Id
    public int slot;

    /** The ping's number for its monitor: 1, 2, 3... (the {@code n} of the admin API). */
    public long n;

    @Column(name = "event_id")
    public UUID eventId;

    /** {@code success}, {@code start}, {@code fail} or {@code log} (see {@link #pingType()}). */
    public String type;

    @Column(name = "exit_status")
    public Integer exitStatus;

    public UUID rid;

    @Column(name = "received_at")
    public Instant receivedAt;

    public String method;
    public String scheme;

    @Column(name = "remote_addr")
    public String remoteAddr;

    @Column(name = "user_agent")
    public String userAgent;

    @Column(name = "content_type")
    public String contentType;

    /** The body as received (up to the ingest body limit), byte-exact; null when there was none. */
    public byte[] body;

    /** The whole body's size in bytes, including what was over the limit. */
    @Column(name = "body_size")
    public long bodySize;

    /** On a finish that closed a run: the run's duration. */
    @Column(name = "duration_ms")
    public Long durationMs;

    /** Applied out of received-at order in a way that changed no state (e.g. a start older than the last finish). */
    public boolean ignored;

    public PingType pingType() {
        return PingType.fromJson(type);
    }

    /** A monitor's kept pings, newest first. */
    public static List<PingRecord> newestFirst(UUID monitorId, int limit) {
        return find("monitorId = ?1 order by n desc", monitorId).page(0, limit).list();
    }

    /** Ping number {@code n} of a monitor, or null once the ring buffer has overwritten it. */
    public static PingRecord findByNumber(UUID monitorId, long n) {
        return find("monitorId = ?1 and n = ?2", monitorId, n).firstResult();
    }

    /** The composite key: monitor and slot. */
    public static class Key implements Serializable {
        public UUID monitorId;
        public int slot;

        public Key() {
        }

        public Key(UUID monitorId, int slot) {
            this.monitorId = monitorId;
            this.slot = slot;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.slot == slot && Objects.equals(k.monitorId, monitorId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(monitorId, slot);
        }
    }
}
