package io.vigil.evaluator.scheduling;

import io.vigil.evaluator.config.EngineConfig;
import io.vigil.evaluator.service.HeldAlerts;
import io.vigil.outbox.DeadlineLoop;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * Runs the release pass of dependencies ({@link HeldAlerts}) on a {@link DeadlineLoop}: right after a transaction that
 * recorded a flip out of LATE or DOWN (or changed or deleted parents) commits, and every
 * {@code vigil.evaluator.engine.release-poll} (a parent recovered on another instance). Its own transactions, apart
 * from the parent's: locking dependents from inside a parent's transaction could deadlock with the ping applier.
 */
@ApplicationScoped
public class ReleaseLoop {

    private static final Object NUDGE = new Object();

    private final HeldAlerts held;
    private final EngineConfig config;
    private final InstantSource clock;
    private final TransactionSynchronizationRegistry transactions;
    private final DeadlineLoop loop;

    public ReleaseLoop(HeldAlerts held, EngineConfig config, InstantSource clock,
                       TransactionSynchronizationRegistry transactions) {
        this.held = held;
        this.config = config;
        this.clock = clock;
        this.transactions = transactions;
        this.loop = new DeadlineLoop("vigil-release", clock, this::pass);
    }

    public void start() {
        loop.start();
    }

    public void stop() {
        loop.stop(false, Duration.ofSeconds(10));
    }

    /** Whether the loop runs and no pass is stuck (for liveness). */
    public boolean live(Duration stuckAfter) {
        return loop.live(stuckAfter);
    }

    /** Runs a pass once the current transaction has committed (at most one nudge per transaction). */
    public void nudgeAfterCommit() {
        if (transactions.getResource(NUDGE) != null) {
            return;
        }
        transactions.putResource(NUDGE, Boolean.TRUE);
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == jakarta.transaction.Status.STATUS_COMMITTED) {
                    loop.nudge();
                }
            }
        });
    }

    private Instant pass() {
        int limit = config.sweepBatch();
        HeldAlerts.Pass pass = held.releaseDue(limit);
        if (pass.candidates() == limit && pass.settled() > 0) {
            return clock.instant(); // a full batch: there may be more
        }
        return clock.instant().plus(config.releasePoll());
    }
}
