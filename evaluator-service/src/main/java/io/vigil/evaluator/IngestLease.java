package io.vigil.evaluator;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * The newest watermark one ingest instance wrote to one partition, with its lease. A lease whose expiry
 * is behind the partition's stream time (the newest watermark any instance wrote there) has expired: its
 * instance stopped, and its unacknowledged pings were never answered 200.
 */
@Entity
@Table(name = "ingest_lease")
@IdClass(IngestLease.Key.class)
public class IngestLease extends PanacheEntityBase {

    @Id
    @Column(name = "kafka_partition")
    public int partition;

    @Id
    @Column(name = "ingest_id")
    public String ingestId;

    public Instant watermark;

    @Column(name = "lease_expires_at")
    public Instant leaseExpiresAt;

    /** The composite key: partition and ingest instance. */
    public static class Key implements Serializable {
        public int partition;
        public String ingestId;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.partition == partition && Objects.equals(k.ingestId, ingestId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(partition, ingestId);
        }
    }
}
