package io.vigil.ingest.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The readiness goal of the token registry: DOWN until every partition's records up to the end
 * offsets seen at the first assignment were applied, UP after and for good.
 */
class RegistryProgressTest {

    private static final TopicPartition P0 = new TopicPartition("vigil.monitors.test", 0);
    private static final TopicPartition P1 = new TopicPartition("vigil.monitors.test", 1);
    private static final TopicPartition P2 = new TopicPartition("vigil.monitors.test", 2);
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final RegistryProgress progress = new RegistryProgress();

    private void apply(TopicPartition partition, long from, long to) {
        for (long offset = from; offset < to; offset++) {
            progress.applied(partition, offset, T0);
        }
    }

    @Test
    void downUntilEveryPartitionReachedTheEndOffsetsReadAtStartThenUp() {
        apply(P0, 0, 10); // records applied before the goal was read count too
        progress.assigned(Map.of(P0, 0L, P1, 0L), Map.of(P0, 300L, P1, 200L));
        assertThat(progress.caughtUp()).isFalse();

        apply(P0, 10, 300);
        apply(P1, 0, 100);
        assertThat(progress.caughtUp()).isFalse();

        apply(P1, 100, 199); // one record short of P1's end offset
        assertThat(progress.caughtUp()).isFalse();

        apply(P1, 199, 200);
        assertThat(progress.caughtUp()).isTrue();

        // Later assignments (an added partition, a rebalance) and later records do not move the goal.
        progress.assigned(Map.of(P0, 0L, P1, 0L, P2, 0L), Map.of(P0, 1_000L, P1, 1_000L, P2, 5L));
        progress.positions(Map.of(P0, 300L, P1, 200L, P2, 0L), T0.plusSeconds(10));
        assertThat(progress.caughtUp()).isTrue();
    }

    @Test
    void anEmptyOrFullyCompactedAwayTopicIsCaughtUpAtOnce() {
        progress.assigned(Map.of(P0, 0L, P1, 40L), Map.of(P0, 0L, P1, 40L));
        assertThat(progress.caughtUp()).isTrue();
    }

    @Test
    void aPartitionWhoseLastOffsetsHoldNoRecordIsReachedOnceItsPositionPassedTheGoalAndItStayedQuiet() {
        progress.assigned(Map.of(P0, 0L), Map.of(P0, 10L));
        apply(P0, 0, 8); // offsets 8 and 9: e.g. a transaction marker, a removed tombstone
        progress.positions(Map.of(P0, 7L), T0);
        assertThat(progress.caughtUp()).isFalse();

        progress.positions(Map.of(P0, 10L), T0.plusMillis(100));
        assertThat(progress.caughtUp()).isFalse(); // fetched, maybe not applied yet
        progress.positions(Map.of(P0, 10L), T0.plus(RegistryProgress.QUIET));
        assertThat(progress.caughtUp()).isFalse(); // quiet counted from when the position passed
        progress.positions(Map.of(P0, 10L), T0.plusMillis(100).plus(RegistryProgress.QUIET));
        assertThat(progress.caughtUp()).isTrue();
    }

    @Test
    void aRecordAppliedAfterThePositionPassedRestartsTheQuietWait() {
        progress.assigned(Map.of(P0, 0L), Map.of(P0, 10L));
        progress.positions(Map.of(P0, 10L), T0);
        progress.applied(P0, 5, T0.plusMillis(900));
        progress.positions(Map.of(P0, 10L), T0.plusMillis(1_100));
        assertThat(progress.caughtUp()).isFalse();
        progress.positions(Map.of(P0, 10L), T0.plusMillis(1_900));
        assertThat(progress.caughtUp()).isTrue();
    }
}
