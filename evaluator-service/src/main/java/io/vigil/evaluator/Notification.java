package io.vigil.evaluator;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A notification the notifier sent or tried to send (one delivery), as reported on
 * {@code vigil.deliveries.v1}; its status is the one reported with its newest attempt.
 */
@Entity
@Table(name = "notification")
public class Notification extends PanacheEntityBase {

    /** The notifier's delivery id. */
    @Id
    public UUID id;

    @Column(name = "monitor_id")
    public UUID monitorId;

    @Column(name = "flip_id")
    public UUID flipId;

    @Column(name = "channel_id")
    public UUID channelId;

    /** The channel type's JSON form ({@code slack}), or null. */
    @Column(name = "channel_type")
    public String channelType;

    /** {@code alert}, {@code reminder}, {@code digest}, {@code notice} or {@code test}. */
    public String kind;

    /** {@code PENDING}, {@code SENT}, {@code FAILED} or {@code SUPPRESSED}. */
    public String status;

    /** On a notification held while a parent was LATE or DOWN (status {@code SUPPRESSED}): that parent. */
    @Column(name = "suppressed_by")
    public UUID suppressedBy;

    /** The newest attempt's time. */
    @Column(name = "last_at")
    public Instant lastAt;

    @Column(name = "created_at")
    public Instant createdAt;
}
