package io.vigil.outbox;

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
 * A record bound for Kafka, written in the same transaction as the change that caused it and relayed in id
 * order; a null payload is a tombstone. Each service has its own {@code outbox} table in its own schema.
 */
@Entity
@Table(name = "outbox")
public class OutboxEvent extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String topic;

    @Column(name = "record_key")
    public String key;

    /** The event as JSON, or null for a tombstone. */
    public byte[] payload;

    @Column(name = "created_at")
    public Instant createdAt;

    /** The oldest waiting rows, in the order they were written. */
    public static List<OutboxEvent> findOldest(int limit) {
        return find("order by id").page(0, limit).list();
    }
}
