package io.vigil.notifier;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.vigil.contracts.Status;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.DynamicUpdate;

/**
 * One message to send: a flip's alert, a reminder, a storm digest, a "no longer watched" notice or a
 * test, unique per flip, channel, kind and seq. Claimed by one dispatcher at a time through its lease;
 * updates write only the columns that changed, as several transactions touch a delivery's columns.
 */
@Entity
@Table(name = "delivery")
@DynamicUpdate
public class Delivery extends PanacheEntityBase {

    @Id
    public UUID id;

    /** The flip it is about (for a digest: the flip that opened it); null for a test. */
    @Column(name = "flip_id")
    public UUID flipId;

    /** Null for a digest and a test. */
    @Column(name = "monitor_id")
    public UUID monitorId;

    @Column(name = "channel_id")
    public UUID channelId;

    /** The channel type's JSON name. */
    @Column(name = "channel_type")
    public String channelType;

    @Convert(converter = DeliveryKind.Column.class)
    public DeliveryKind kind;

    /** 0 for an alert; a reminder counts up from 1. */
    public int seq;

    @Column(name = "flip_sequence")
    public long flipSequence;

    @Enumerated(EnumType.STRING)
    @Column(name = "flip_status")
    public Status flipStatus;

    @Enumerated(EnumType.STRING)
    public DeliveryStatus status;

    /** The digest a held alert waits for. */
    @Column(name = "digest_id")
    public UUID digestId;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;

    /** Until when a dispatcher holds it; null when nobody does. */
    @Column(name = "lease_until")
    public Instant leaseUntil;

    @Column(name = "attempt_count")
    public int attemptCount;

    @Column(name = "first_attempt_at")
    public Instant firstAttemptAt;

    @Column(name = "last_attempt_at")
    public Instant lastAttemptAt;

    @Column(name = "last_http_status")
    public Integer lastHttpStatus;

    @Column(name = "last_error")
    public String lastError;

    /** Creation order (the database assigns it): a digest waits for its channel's alerts created before it. */
    @Column(insertable = false, updatable = false)
    public Long position;

    /** The ids of a flip's deliveries. */
    public static List<UUID> findIdsOfFlip(UUID flipId) {
        return getEntityManager().createQuery("select d.id from Delivery d where d.flipId = ?1", UUID.class)
                .setParameter(1, flipId).getResultList();
    }

    /** The earliest future attempt time of any pending delivery, or null. */
    public static Instant findNextDueAfter(Instant now) {
        return getEntityManager().createQuery("select min(d.nextAttemptAt) from Delivery d"
                        + " where d.status = ?1 and d.nextAttemptAt > ?2", Instant.class)
                .setParameter(1, DeliveryStatus.PENDING).setParameter(2, now).getSingleResult();
    }

    /** The alerts held for a digest, locked, oldest first. */
    public static List<Delivery> findHeldFor(UUID digestId) {
        return find("digestId = ?1 and status = ?2 order by createdAt", digestId, DeliveryStatus.HELD)
                .withLock(LockModeType.PESSIMISTIC_WRITE).list();
    }

    /** The flip payloads of the alerts held for a digest, oldest first. */
    public static List<String> findHeldPayloads(UUID digestId) {
        return getEntityManager().createQuery("select f.payload from Delivery d join Flip f on f.id = d.flipId"
                        + " where d.digestId = ?1 and d.status = ?2 order by d.createdAt", String.class)
                .setParameter(1, digestId).setParameter(2, DeliveryStatus.HELD).getResultList();
    }
}
