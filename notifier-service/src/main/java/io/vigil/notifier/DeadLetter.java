package io.vigil.notifier;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;

/**
 * A record set aside because it could not be parsed (table {@code dead_letter}): one row per topic,
 * partition and offset. {@code payload} is kept as read for an operator and never logged or served, as a
 * channel record holds unmasked config.
 */
@Entity
@Table(name = "dead_letter")
public class DeadLetter extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String topic;

    @Column(name = "kafka_partition")
    public int partition;

    @Column(name = "record_offset")
    public long offset;

    @Column(name = "record_key")
    public String key;

    public byte[] payload;

    public String reason;

    @Column(name = "received_at")
    public Instant receivedAt;

    /** The newest dead letters first, at most {@code limit}. */
    public static List<DeadLetter> findNewest(int limit) {
        return find("order by id desc").page(0, limit).list();
    }
}
