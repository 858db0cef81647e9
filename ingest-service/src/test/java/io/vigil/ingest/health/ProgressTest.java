package io.vigil.ingest.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A loop's progress on a clock the test moves: stalled when it stops beating or hangs in one unit of work. */
class ProgressTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration BOUND = Duration.ofSeconds(30);

    private final Instant[] now = {T0};
    private final Progress progress = Progress.beating("the loop", () -> now[0]);

    @Test
    void aLoopThatNeverRanStallsOnceTheBoundPassedSinceItWasCreated() {
        now[0] = T0.plus(BOUND);
        assertThat(progress.stall(BOUND)).isNull();
        now[0] = T0.plus(BOUND).plusMillis(1);
        assertThat(progress.stall(BOUND)).contains("the loop has not run");
    }

    @Test
    void aBeatingLoopIsAliveAndStallsWhenItStopsBeating() {
        for (int i = 0; i < 10; i++) {
            now[0] = now[0].plusSeconds(20);
            progress.beat();
            assertThat(progress.stall(BOUND)).isNull();
        }
        now[0] = now[0].plusSeconds(31);
        assertThat(progress.stall(BOUND)).contains("last moved at");
        progress.beat();
        assertThat(progress.stall(BOUND)).isNull();
    }

    @Test
    void anIdleOnDemandLoopIsAliveAndStallsOnlyWhenOneUnitOfWorkHangs() {
        Progress applier = Progress.onDemand("the applier", () -> now[0]);
        now[0] = T0.plusSeconds(300);
        assertThat(applier.stall(BOUND)).isNull();
        applier.busy();
        now[0] = now[0].plusSeconds(31);
        assertThat(applier.stall(BOUND)).contains("the applier busy");
        applier.done();
        assertThat(applier.stall(BOUND)).isNull();
    }

    @Test
    void oneUnitOfWorkRunningLongerThanTheBoundIsAStallEvenWhileOtherBeatsCome() {
        progress.busy();
        now[0] = T0.plusSeconds(20);
        progress.beat();
        assertThat(progress.stall(BOUND)).isNull();
        now[0] = T0.plusSeconds(31);
        progress.beat();
        assertThat(progress.stall(BOUND)).contains("busy");
        progress.done();
        assertThat(progress.stall(BOUND)).isNull();
    }
}
