package io.vigil.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The one hand-written loop: nudges, answers of the pass, failures retried, liveness. */
class DeadlineLoopTest {

    private final InstantSource clock = InstantSource.system();

    @Test
    void runsAtOnceThenWhenNudgedOrWhenThePassAsks() {
        AtomicInteger passes = new AtomicInteger();
        DeadlineLoop loop = new DeadlineLoop("test-loop", clock, () -> {
            passes.incrementAndGet();
            return null; // wait for a nudge only
        });
        loop.start();
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> passes.get() == 1);
            loop.nudge();
            await().atMost(Duration.ofSeconds(5)).until(() -> passes.get() == 2);
            assertThat(loop.lastSuccess()).isNotNull();
        } finally {
            loop.stop(false, Duration.ofSeconds(5));
        }
        assertThat(loop.live(Duration.ofMinutes(1))).isFalse();
    }

    @Test
    void aPassThatAsksForALaterRunIsRunThen() {
        AtomicInteger passes = new AtomicInteger();
        DeadlineLoop loop = new DeadlineLoop("test-loop", clock, () -> {
            passes.incrementAndGet();
            return clock.instant().plusMillis(50);
        });
        loop.start();
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> passes.get() >= 3);
        } finally {
            loop.stop(false, Duration.ofSeconds(5));
        }
    }

    @Test
    void aFailingPassIsRetriedWithBackoffAndTheLoopStaysAlive() {
        AtomicInteger calls = new AtomicInteger();
        DeadlineLoop loop = new DeadlineLoop("test-loop", clock, () -> {
            if (calls.incrementAndGet() <= 3) {
                throw new IllegalStateException("the database is away");
            }
            return null;
        });
        loop.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() == 4 && loop.consecutiveFailures() == 0);
            assertThat(loop.live(Duration.ofMinutes(1))).isTrue();
            assertThat(loop.lastSuccess()).isNotNull();
        } finally {
            loop.stop(false, Duration.ofSeconds(5));
        }
    }

    @Test
    void aPassStuckForTooLongIsNotLive() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        DeadlineLoop loop = new DeadlineLoop("test-loop", clock, () -> {
            release.await();
            return null;
        });
        loop.start();
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> !loop.live(Duration.ofMillis(200)));
            assertThat(loop.live(Duration.ofMinutes(1))).isTrue();
        } finally {
            release.countDown();
            loop.stop(false, Duration.ofSeconds(5));
        }
    }

    @Test
    void stoppingWithALastPassRunsItOnceMore() {
        AtomicInteger passes = new AtomicInteger();
        DeadlineLoop loop = new DeadlineLoop("test-loop", clock, () -> {
            passes.incrementAndGet();
            return Instant.MAX;
        });
        loop.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> passes.get() == 1);
        loop.stop(true, Duration.ofSeconds(5));
        assertThat(passes.get()).isEqualTo(2);
    }
}
