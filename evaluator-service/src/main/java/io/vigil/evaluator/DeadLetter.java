package io.vigil.evaluator;

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
 * A record of a topic that could not be parsed, set aside so that it holds nothing up (DESIGN.md's failure
 * policy: only an unparseable record is ever skipped, and never silently). Listed in the admin API.
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

    @Column(name = "kafka_offset")
    public long offset;

    @Column(name = "record_key")
    public String key;

    public byte[] value;

    /** Why it could not be parsed. */
    public String error;

    @Column(name = "recorded_at")
    public Instant recordedAt;

    /** Newest first, before the record with id {@code beforeId} when given. */
    public static List<DeadLetter> newestFirst(Long beforeId, int limit) {
        return beforeId == null
                ? find("order by id desc").page(0, limit).list()
                : find("id < ?1 order by id desc", beforeId).page(0, limit).list();
    }
}
