package io.vigil.outbox;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The wake-up of a background loop that sleeps until a deadline unless something happens first: the
 * outbox relay (woken after a commit) and the evaluator's deadline sweep (woken when a deadline changes)
 * both wait on one. A nudge that comes while the loop is busy is kept, so the next wait returns at once.
 */
public final class Wakeup {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition condition = lock.newCondition();
    private boolean nudged;

    /** Wakes the waiting thread now, or makes its next wait return at once. */
    public void nudge() {
        lock.lock();
        try {
            nudged = true;
            condition.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until nudged or until {@code timeout} has passed, then clears the nudge.
     *
     * @return false when the thread was interrupted (its interrupt flag is set again)
     */
    public boolean await(Duration timeout) {
        lock.lock();
        try {
            long nanos = timeout.toNanos();
            while (!nudged && nanos > 0) {
                nanos = condition.awaitNanos(nanos);
            }
            nudged = false;
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }
}
