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
import java.util.List;
import java.util.UUID;

/**
 * A recorded status change of a monitor (API.md section 2): {@code at} is when it happened (the due time
 * for LATE, due + grace for DOWN, the ping or request time otherwise), {@code detectedAt} when the
 * evaluator recorded it. Written by the engine in the same transaction as the state change and its
 * outbox record; deleted with its monitor.
 */
@Entity
@Table(name = "flip")
public class Flip extends PanacheEntityBase {

    /** Also the {@code eventId} of the {@code MonitorFlipped} relayed for it. */
    @Id
    public UUID id;

    @Column(name = "monitor_id")
    public UUID monitorId;

    /** Per monitor, 1, 2, 3...: the order of its flips. */
    public long sequence;

    public Instant at;

    @Column(name = "detected_at")
    public Instant detectedAt;

    @Enumerated(EnumType.STRING)
    @Column(name = "from_status")
    public Status fromStatus;

    @Enumerated(EnumType.STRING)
    @Column(name = "to_status")
    public Status toStatus;

    /** missed, fail, exit-status N, run-too-long, ok, recovered, paused, resumed. */
    public String reason;

    /** The reason for people, as alerts show it. */
    @Column(name = "reason_text")
    public String reasonText;

    /** The parent that was LATE or DOWN when this LATE or DOWN was recorded (its alerts were held), or null. */
    @Column(name = "suppressed_by")
    public UUID suppressedBy;

    /** A held DOWN whose alert waits for every parent to be neither LATE nor DOWN. */
    public boolean held;

    /** When the held DOWN's alert was sent, or null. */
    @Column(name = "released_at")
    public Instant releasedAt;

    /** A monitor's flips, newest first (served by {@code GET /monitors/{id}/flips}). */
    public static List<Flip> newestFirst(UUID monitorId, int limit) {
        return find("monitorId = ?1 order by at desc, sequence desc", monitorId).page(0, limit).list();
    }
}
