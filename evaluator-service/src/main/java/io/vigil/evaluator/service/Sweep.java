package io.vigil.evaluator.service;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.vigil.evaluator.Monitor;
import io.vigil.evaluator.MonitorRules;
import io.vigil.evaluator.PartitionOffset;
import io.vigil.evaluator.Transition;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The deadline sweep's transactions: claims due monitors of one partition through the
 * (partition, next alert time) index with {@code FOR UPDATE SKIP LOCKED}, in bounded batches, and declares
 * their deadlines up to a time every ping before which has been applied (the partition's watermark).
 */
@ApplicationScoped
public class Sweep {

    private final EntityManager em;
    private final FlipRecorder flips;
    private final InstantSource clock;

    public Sweep(EntityManager em, FlipRecorder flips, InstantSource clock) {
        this.em = em;
        this.flips = flips;
        this.clock = clock;
    }

    /**
     * Declares the deadlines before {@code until} of at most {@code limit} monitors of {@code partition}
     * that no other transaction holds.
     *
     * @return how many monitors were claimed; {@code limit} means there may be more
     */
    @Transactional
    public int sweepPartition(int partition, Instant until, int limit) {
        List<Monitor> due = Monitor.claimDue(partition, until, limit);
        for (Monitor monitor : due) {
            List<Transition> transitions;
            try {
                transitions = MonitorRules.advance(monitor, until);
            } catch (RuntimeException e) {
                // the monitor's own rules cannot be evaluated (a schedule with no next tick): it must not hold the rest
                em.refresh(monitor);
                markBroken(monitor, PingBatches.describe(e));
                continue;
            }
            flips.record(monitor, transitions);
        }
        return due.size();
    }

    /**
     * The slow path after {@link #sweepPartition} failed for a reason that is not transient: each due monitor in a
     * transaction of its own, and the one that still fails is put in its error state, so one monitor never holds
     * its partition's deadlines.
     *
     * @return how many monitors were looked at
     */
    public int sweepEach(int partition, Instant until, int limit) {
        @SuppressWarnings("unchecked")
        List<UUID> ids = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                        SELECT id FROM monitor_state
                        WHERE kafka_partition = ?1 AND next_alert_at IS NOT NULL AND next_alert_at < ?2
                        ORDER BY next_alert_at LIMIT ?3""", UUID.class)
                .setParameter(1, partition).setParameter(2, until).setParameter(3, limit).getResultList());
        for (UUID id : ids) {
            try {
                QuarkusTransaction.requiringNew().run(() -> {
                    Monitor monitor = Monitor.findLocked(id);
                    if (monitor != null) {
                        flips.record(monitor, MonitorRules.advance(monitor, until));
                    }
                });
            } catch (RuntimeException e) {
                if (PingBatches.isTransient(e)) {
                    throw e;
                }
                QuarkusTransaction.requiringNew().run(() -> {
                    Monitor monitor = Monitor.findLocked(id);
                    if (monitor != null) {
                        markBroken(monitor, PingBatches.describe(e));
                    }
                });
            }
        }
        return ids.size();
    }

    private void markBroken(Monitor monitor, String why) {
        if (monitor.errorText == null) {
            monitor.errorText = why;
            monitor.errorAt = clock.instant();
            Log.errorf("monitor %s cannot be evaluated, its deadlines are held until it is changed: %s", monitor.slug, why);
        }
        monitor.nextAlertAt = null;
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
