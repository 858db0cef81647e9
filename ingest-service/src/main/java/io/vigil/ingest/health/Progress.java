package io.vigil.ingest.health;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * The last time a loop of this service proved it is moving (a job run completed, a consumer's
 * polling thread answered), judged against a stall bound: a loop that died or hangs stops beating,
 * and {@code /q/health/live} turns DOWN so an orchestrator restarts the service.
 */
public final class Progress {

    private final String name;
    private final InstantSource clock;
    private final boolean beats;
    private final Instant created;
    private volatile Instant last;
    /** When the loop began a unit of work it has not finished (null: idle). */
    private volatile Instant busySince;

    private Progress(String name, InstantSource clock, boolean beats) {
        this.name = name;
        this.clock = clock;
        this.beats = beats;
        this.created = clock.instant();
    }

    /** A loop that beats on its own (a timer, a polling thread): stalled when it stops beating. */
    public static Progress beating(String name, InstantSource clock) {
        return new Progress(name, clock, true);
    }

    /** A loop that works when work arrives (a record applier): stalled only when one unit of work hangs. */
    public static Progress onDemand(String name, InstantSource clock) {
        return new Progress(name, clock, false);
    }

    /** The loop moved. */
    public void beat() {
        last = clock.instant();
    }

    /** The loop starts a unit of work (e.g. applying a batch); {@link #done()} ends it. */
    public void busy() {
        busySince = clock.instant();
    }

    /** The unit of work begun by {@link #busy()} ended. */
    public void done() {
        busySince = null;
        beat();
    }

    /**
     * Why the loop counts as stalled at this moment, or null while it moves: one unit of work running
     * longer than {@code bound}, or (a beating loop) no beat within it, counted from creation before the first.
     */
    public String stall(Duration bound) {
        Instant now = clock.instant();
        Instant since = last == null ? created : last;
        Instant busy = busySince;
        if (busy != null && Duration.between(busy, now).compareTo(bound) > 0) {
            return name + " busy with one unit of work since " + busy;
        }
        if (beats && Duration.between(since, now).compareTo(bound) > 0) {
            return last == null ? name + " has not run since " + created : name + " last moved at " + last;
        }
        return null;
    }

    public String name() {
        return name;
    }
}
