package io.vigil.evaluator.service;

import io.vigil.evaluator.Monitor;

/**
 * The seam between the admin API and the monitor engine: the admin API changes a monitor's
 * configuration, the engine owns its state, flips and registry records. Every method runs inside the
 * caller's transaction, so the change, its flips and its outbox records commit together.
 */
public interface MonitorLifecycle {

    /** A new monitor was persisted: set its partition and initial state, publish its registry record. */
    void created(Monitor monitor);

    /** Schedule, grace, max runtime, slug or channels changed: recompute deadlines, publish the registry record. */
    void reconfigured(Monitor monitor);

    /** The token was rotated: publish the registry record so the old token stops working. */
    void tokenRotated(Monitor monitor);

    /** The monitor is about to be deleted: send the "no longer watched" notice when DOWN, publish a tombstone. */
    void deleting(Monitor monitor);

    /**
     * Pause (API.md section 2 table), until {@code until} when it is not null (a snooze); a PAUSED monitor only gets
     * the new end.
     */
    void pause(Monitor monitor, java.time.Instant until);

    /**
     * Resume: NEW if never pinged, else UP due one period after now. Also ends the DOWN of a monitor with manual resume.
     *
     * @throws MonitorNotPausedException when the monitor is neither PAUSED nor DOWN with manual resume (the admin API
     *                                   answers 409)
     */
    void resume(Monitor monitor);

    /** Thrown by {@link #resume(Monitor)} for a monitor that is not paused. */
    final class MonitorNotPausedException extends RuntimeException {
        public MonitorNotPausedException(String message) {
            super(message);
        }
    }
}
