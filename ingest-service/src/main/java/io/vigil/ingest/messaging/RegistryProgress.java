package io.vigil.ingest.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Whether the token registry view holds everything the topic held when this instance started: the
 * goal is the end offsets seen at the first assignment, reached once every partition's records up to
 * them were applied. Once reached it stays reached, so a broker outage later does not make the
 * service unready; records written after start do not move the goal.
 * <p>
 * A partition counts as reached when a record at or past {@code goal - 1} was applied, when it held
 * nothing at start (beginning = end), or when the consumer's position passed the goal and no record
 * of it was applied for {@link #QUIET}: the offsets just below an end can hold no record to deliver
 * (a transaction marker, a tombstone removed by compaction).
 */
public final class RegistryProgress {

    static final Duration QUIET = Duration.ofSeconds(1);

    private Map<TopicPartition, Long> goal;
    private final Map<TopicPartition, Long> applied = new HashMap<>();
    private final Map<TopicPartition, Instant> lastApplied = new HashMap<>();
    private final Map<TopicPartition, Instant> positionPassed = new HashMap<>();
    private volatile boolean caughtUp;

    /** Sets the goal at the first assignment; later assignments (added partitions, rebalances) keep it. */
    public synchronized void assigned(Map<TopicPartition, Long> beginnings, Map<TopicPartition, Long> ends) {
        if (goal != null) {
            return;
        }
        Map<TopicPartition, Long> remaining = new HashMap<>();
        ends.forEach((partition, end) -> {
            if (end > beginnings.getOrDefault(partition, 0L)) {
                remaining.put(partition, end);
            }
        });
        goal = remaining;
        check(null);
    }

    /** A record of the partition at {@code offset} was applied to the view. */
    public synchronized void applied(TopicPartition partition, long offset, Instant now) {
        if (caughtUp) {
            return;
        }
        applied.merge(partition, offset, Math::max);
        lastApplied.put(partition, now);
        check(now);
    }

    /** The consumer's positions (next offsets to fetch), read on its polling thread. */
    public synchronized void positions(Map<TopicPartition, Long> positions, Instant now) {
        if (caughtUp || goal == null) {
            return;
        }
        positions.forEach((partition, position) -> {
            Long end = goal.get(partition);
            if (end != null && position >= end) {
                positionPassed.putIfAbsent(partition, now);
            }
        });
        check(now);
    }

    private void check(Instant now) {
        if (goal == null) {
            return;
        }
        for (Map.Entry<TopicPartition, Long> e : goal.entrySet()) {
            if (!reached(e.getKey(), e.getValue(), now)) {
                return;
            }
        }
        caughtUp = true;
    }

    private boolean reached(TopicPartition partition, long end, Instant now) {
        Long last = applied.get(partition);
        if (last != null && last + 1 >= end) {
            return true;
        }
        Instant passed = positionPassed.get(partition);
        if (passed == null || now == null) {
            return false;
        }
        Instant quietFrom = passed;
        Instant appliedAt = lastApplied.get(partition);
        if (appliedAt != null && appliedAt.isAfter(quietFrom)) {
            quietFrom = appliedAt;
        }
        return Duration.between(quietFrom, now).compareTo(QUIET) >= 0;
    }

    /** Whether the goal is set (the first assignment was seen). */
    public synchronized boolean hasGoal() {
        return goal != null;
    }

    /** Whether the view holds everything the topic held at start. */
    public boolean caughtUp() {
        return caughtUp;
    }
}
