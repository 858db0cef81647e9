package io.vigil.outbox;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.jboss.logging.Logger;

/**
 * The one hand-written background loop of Vigil, for work that sleeps until a deadline unless nudged (the
 * deadline sweep, the outbox relay, the notifier's dispatcher); fixed-rate jobs are {@code @Scheduled} instead.
 * It runs a {@link Pass} that answers when it wants to run next, and runs it again at that time or as soon as
 * {@link #nudge()} is called. A pass that throws is retried with exponential backoff (100 ms doubling to 5 s):
 * no exception ends the loop. {@link #live(Duration)} tells a liveness check whether the loop still runs and no
 * pass has been stuck for too long.
 */
public final class DeadlineLoop {

    /** One pass of the loop's work. */
    @FunctionalInterface
    public interface Pass {
        /**
         * Does the work that is due.
         *
         * @return when to run again unless nudged before; null to wait for a nudge only
         */
        Instant run() throws Exception;
    }

    private static final Logger LOG = Logger.getLogger(DeadlineLoop.class);
    private static final long FIRST_BACKOFF_MS = 100;
    private static final long MAX_BACKOFF_MS = 5_000;
    private static final Duration IDLE = Duration.ofHours(1);

    private final String name;
    private final InstantSource clock;
    private final Pass pass;
    private final Wakeup wakeup = new Wakeup();

    private volatile boolean running;
    private volatile long passStartedNanos;
    private volatile boolean inPass;
    private volatile Instant lastSuccess;
    private volatile int failures;
    private Thread thread;
    private boolean finalPass;

    /**
     * @param name  the thread's name, also used in log lines
     * @param clock the time source the pass's answers are measured against
     * @param pass  the work
     */
    public DeadlineLoop(String name, InstantSource clock, Pass pass) {
        this.name = name;
        this.clock = clock;
        this.pass = pass;
    }

    /** Starts the loop's thread; its first pass runs at once. Does nothing when already running. */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        finalPass = false;
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Stops the loop after the pass in progress and waits for it (at most {@code wait}).
     *
     * @param lastPass run one more pass before the thread ends (the relay sends what was written before the stop)
     */
    public synchronized void stop(boolean lastPass, Duration wait) {
        if (!running) {
            return;
        }
        finalPass = lastPass;
        running = false;
        wakeup.nudge();
        try {
            thread.join(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs the pass again now, or right after the one in progress. */
    public void nudge() {
        wakeup.nudge();
    }

    /** When a pass last completed without an exception; null before the first. */
    public Instant lastSuccess() {
        return lastSuccess;
    }

    /** How many passes in a row have failed. */
    public int consecutiveFailures() {
        return failures;
    }

    /**
     * Whether the loop is alive: started, its thread running, and no pass running for longer than
     * {@code stuckAfter}. A loop whose passes keep failing (a dependency is away) is alive: it is retrying.
     */
    public boolean live(Duration stuckAfter) {
        Thread t = thread;
        if (!running || t == null || !t.isAlive()) {
            return false;
        }
        return !inPass || System.nanoTime() - passStartedNanos < stuckAfter.toNanos();
    }

    private void run() {
        long backoff = FIRST_BACKOFF_MS;
        while (running) {
            Instant next = runPass();
            if (failures == 0) {
                backoff = FIRST_BACKOFF_MS;
                Duration sleep = next == null ? IDLE : Duration.between(clock.instant(), next);
                await(sleep.isNegative() ? Duration.ZERO : sleep.compareTo(IDLE) > 0 ? IDLE : sleep);
            } else {
                await(Duration.ofMillis(backoff));
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
            }
        }
        if (finalPass) {
            runPass();
        }
    }

    private Instant runPass() {
        passStartedNanos = System.nanoTime();
        inPass = true;
        try {
            Instant next = pass.run();
            if (failures > 0) {
                LOG.infof("%s recovered after %d failed pass(es)", name, failures);
            }
            failures = 0;
            lastSuccess = clock.instant();
            return next;
        } catch (Exception e) {
            failures++;
            if (failures == 1) {
                LOG.errorf(e, "%s failed; retrying with backoff", name);
            } else if (Integer.bitCount(failures) == 1) {
                LOG.errorf("%s still failing (%d passes in a row): %s", name, failures, e);
            }
            return null;
        } finally {
            inPass = false;
        }
    }

    private void await(Duration timeout) {
        if (running && !wakeup.await(timeout)) {
            running = false; // interrupted: the service is going away
        }
    }
}
