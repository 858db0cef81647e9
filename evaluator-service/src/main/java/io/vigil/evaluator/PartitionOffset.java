package io.vigil.evaluator;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * Per partition of {@code vigil.pings.v1}: the next offset to apply and the stored watermark (every ping
 * received before it has been applied), both written in the same transaction as the pings applied, so a
 * redelivered record changes nothing and the sweep knows how far it may declare deadlines.
 */
@Entity
@Table(name = "partition_offset")
public class PartitionOffset extends PanacheEntityBase {

    @Id
    @Column(name = "kafka_partition")
    public int partition;

    @Column(name = "next_offset")
    public long nextOffset;

    /** The oldest watermark among the partition's live ingest leases; null before the first watermark record. */
    public Instant watermark;

    /** The evaluator's clock when {@link #watermark} last moved forward: how a stall is seen. */
    @Column(name = "watermark_advanced_at")
    public Instant watermarkAdvancedAt;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
