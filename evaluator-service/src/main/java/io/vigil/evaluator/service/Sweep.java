package io.vigil.evaluator.service;

import io.vigil.evaluator.Monitor;
import io.vigil.evaluator.MonitorRules;
import io.vigil.evaluator.PartitionOffset;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The deadline sweep's transactions: claims due monitors of one partition through the
 * (partition, next alert time) index with {@code FOR UPDATE SKIP LOCKED}, in bounded batches, and declares
 * their deadlines up to a time every ping before which has been applied (the partition's watermark).
 */
@ApplicationScoped
public class Sweep {

    private final EntityManager em;
    private final FlipRecorder flips;

    public Sweep(EntityManager em, FlipRecorder flips) {
        this.em = em;
        this.flips = flips;
    }

    /**
     * Declares the deadlines before {@code until} of at most {@code limit} monitors of {@code partition}
     * that no other transaction holds.
     *
     * @return how many monitors were claimed; {@code limit} means there may be more
     */
    @Transactional
    public int sweepPartition(int partition, Instant until, int limit) {
        @SuppressWarnings("unchecked")
        List<Monitor> due = em.createNativeQuery("""
                        SELECT * FROM monitor JOIN monitor_state USING (id)
                        WHERE kafka_partition = ?1 AND next_alert_at IS NOT NULL AND next_alert_at < ?2
                        ORDER BY next_alert_at
                        LIMIT ?3
                        FOR NO KEY UPDATE OF monitor SKIP LOCKED""", Monitor.class)
                .setParameter(1, partition)
                .setParameter(2, until)
                .setParameter(3, limit)
                .getResultList();
        for (Monitor monitor : due) {
            flips.record(monitor, MonitorRules.advance(monitor, until));
        }
        return due.size();
    }

    /** The earliest pending next alert time of each partition, one index probe per partition. */
    @Transactional
    public Map<Integer, Instant> earliestAlerts(int partitions) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        SELECT p, (SELECT min(next_alert_at) FROM monitor_state
                                   WHERE kafka_partition = p AND next_alert_at IS NOT NULL)
                        FROM generate_series(0, ?1 - 1) AS p""")
                .setParameter(1, partitions)
                .getResultList();
        Map<Integer, Instant> earliest = new HashMap<>();
        for (Object[] row : rows) {
            if (row[1] != null) {
                earliest.put(((Number) row[0]).intValue(), toInstant(row[1]));
            }
        }
        return earliest;
    }

    /** The stored watermark state of every partition seen so far. */
    @Transactional
    public Map<Integer, PartitionOffset> partitions() {
        Map<Integer, PartitionOffset> out = new HashMap<>();
        for (PartitionOffset p : PartitionOffset.<PartitionOffset>listAll()) {
            em.detach(p);
            out.put(p.partition, p);
        }
        return out;
    }

    private static Instant toInstant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        throw new IllegalStateException("unexpected timestamp type " + value.getClass());
    }
}
