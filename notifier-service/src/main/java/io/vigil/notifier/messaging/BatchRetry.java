package io.vigil.notifier.messaging;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vigil.notifier.config.NotifierConfig;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * How one consumer records its batches: on a worker thread (the work is blocking JDBC), and, when a try fails,
 * again with exponential backoff until it succeeds. Unparseable records never get here (they are set aside
 * as part of the batch), so every failure left is the database, the broker or a timeout: worth another try,
 * never a reason to skip the batch or end the consumer. Keeps what the health checks need: whether the last try
 * failed (readiness) and whether one try has been running for longer than the stall bound (liveness).
 */
final class BatchRetry {

    private final String consumer;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration stallAfter;
    /** System.nanoTime() at which the running try started; meaningful while {@link #running}. */
    private volatile long startedAt;
    private volatile boolean running;
    private volatile boolean failing;
    private volatile String lastFailure;

    BatchRetry(String consumer, NotifierConfig config) {
        this.consumer = consumer;
        this.initialBackoff = config.consumers().initialBackoff();
        this.maxBackoff = config.consumers().maxBackoff();
        this.stallAfter = config.stallAfter();
    }

    /** The work, tried until it succeeds; the Uni completes with its result. */
    <T> Uni<T> run(Supplier<T> work) {
        return Uni.createFrom().item(() -> attempt(work))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onFailure().retry().withBackOff(initialBackoff, maxBackoff).withJitter(0.2).indefinitely();
    }

    private <T> T attempt(Supplier<T> work) {
        startedAt = System.nanoTime();
        running = true;
        try {
            T result = work.get();
            if (failing) {
                Log.infof("%s: recording works again", consumer);
            }
            failing = false;
            return result;
        } catch (RuntimeException e) {
            failing = true;
            lastFailure = e.getClass().getSimpleName() + ": " + e.getMessage();
            Log.warnf("%s could not record a batch, will try it again: %s", consumer, lastFailure);
            throw e;
        } finally {
            running = false;
        }
    }

    /** True while the last try of a batch failed (it is being retried). */
    boolean failing() {
        return failing;
    }

    /** The last failure, for the health data; null before any. */
    String lastFailure() {
        return lastFailure;
    }

    /** True when one try has been running for longer than the stall bound: the consumer is stuck, not retrying. */
    boolean stalled() {
        return running && System.nanoTime() - startedAt > stallAfter.toNanos();
    }
}
