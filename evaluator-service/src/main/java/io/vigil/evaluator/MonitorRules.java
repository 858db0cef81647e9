package io.vigil.evaluator;

import io.vigil.contracts.PingReceived;
import io.vigil.contracts.PingType;
import io.vigil.contracts.Status;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The monitor state machine of API.md section 2, as plain methods on a {@link Monitor}'s columns. Every
 * method takes the time it acts at and returns the flips it caused, in order; nothing here reads a clock.
 *
 * <p>Ordering: a monitor's pings take effect in received-at order. A ping older than what was already
 * applied is recorded but only changes what it would have changed in order: a start older than the last
 * finish is closed, a finish older than the last finish does not decide the status (it may still close
 * the run it belongs to), and a ping older than the last pause or resume changes nothing.
 */
public final class MonitorRules {

    private static final DateTimeFormatter DUE = DateTimeFormatter.ofPattern("HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DUE_DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private MonitorRules() {
    }

    /** What applying one ping did. */
    public record Applied(List<Transition> transitions, Duration runDuration, boolean ignored) {
    }

    /**
     * Declares every deadline that passed strictly before {@code until}: a snooze's end (resumed), LATE at the due
     * time, DOWN at due + grace (straight to DOWN at the due time with grace 0), a run's end at start + max runtime
     * (or grace), which is a failed run (DOWN at the failure threshold). Only call it with a time that every ping
     * before has been applied for (the watermark). Maintenance windows take their turn in time order: a window's
     * start and end are declared at their own times, and no deadline fires between them.
     */
    public static List<Transition> advance(Monitor m, Instant until) {
        List<Transition> out = new ArrayList<>();
        if (until == null || m.system) {
            m.nextAlertAt = nextAlert(m);
            return out;
        }
        if (m.status == Status.PAUSED) {
            if (m.pausedUntil == null || !m.pausedUntil.isBefore(until)) {
                m.nextAlertAt = nextAlert(m);
                return out;
            }
            out.addAll(resume(m, m.pausedUntil, "snooze ended"));
        }
        Maintenance maintenance = Maintenance.of(m);
        for (Instant boundary = windowBoundary(m, maintenance); boundary != null && boundary.isBefore(until);
             boundary = windowBoundary(m, maintenance)) {
            // a deadline before the window's start still fires first; one at the start itself is inside the window
            declareDeadlines(m, boundary, out);
            out.addAll(crossWindowBoundary(m, maintenance, boundary));
        }
        declareDeadlines(m, until, out);
        m.nextAlertAt = nextAlert(m);
        return out;
    }

    /** The deadlines of the state table (due, grace, max runtime) strictly before {@code until}; none in MAINTENANCE. */
    private static void declareDeadlines(Monitor m, Instant until, List<Transition> out) {
        if (m.status == Status.MAINTENANCE) {
            return;
        }
        if (m.running && m.status != Status.DOWN) {
            Instant deadline = runDeadline(m);
            if (deadline.isBefore(until)) {
                failed(m, new Failure("run-too-long", runTooLongText(m)), deadline, out);
                if (m.status != Status.DOWN) {
                    // under the failure threshold the overlong run is given up: the schedule takes over again
                    endRun(m);
                }
            }
        }
        if (!m.running) {
            Duration grace = Duration.ofMillis(m.graceMs);
            if (m.status == Status.UP && m.dueAt != null && m.dueAt.isBefore(until)) {
                if (grace.isZero()) {
                    out.add(flip(m, Status.DOWN, "missed", missedText(m.dueAt, grace), m.dueAt));
                } else {
                    out.add(flip(m, Status.LATE, "missed", "missed check-in: due " + DUE.format(m.dueAt), m.dueAt));
                }
            }
            if (m.status == Status.LATE && m.dueAt != null && m.dueAt.plus(grace).isBefore(until)) {
                out.add(flip(m, Status.DOWN, "missed", missedText(m.dueAt, grace), m.dueAt.plus(grace)));
            }
        }
    }

    /**
     * The monitor's next maintenance boundary, or null when none is ahead: in MAINTENANCE the end of the current
     * maintenance (the moment it began when the windows no longer hold it: they were changed), otherwise the next
     * window start, seen from {@link Monitor#maintenanceFrom}.
     */
    public static Instant windowBoundary(Monitor m, Maintenance maintenance) {
        if (m.status == Status.MAINTENANCE) {
            Instant from = m.maintenanceFrom != null ? m.maintenanceFrom : m.lastFlipAt;
            return from == null ? null : maintenance.endAt(from);
        }
        if (maintenance.isEmpty() || m.maintenanceFrom == null) {
            return null;
        }
        return maintenance.pendingStart(m.maintenanceFrom);
    }

    /**
     * At a window's start (time {@code at}): MAINTENANCE (reason {@code maintenance}), nothing due. At its end: UP
     * due one period after the end (or after the last success, if later; reason {@code maintenance-ended}), NEW when
     * never pinged; a run still going gets its max runtime afresh from the end. A chain of windows too long for
     * {@link Maintenance#endAt} to follow at once continues without a flip.
     */
    private static List<Transition> crossWindowBoundary(Monitor m, Maintenance maintenance, Instant at) {
        List<Transition> out = new ArrayList<>();
        m.maintenanceFrom = at;
        if (m.status != Status.MAINTENANCE) {
            out.add(flip(m, Status.MAINTENANCE, "maintenance", "maintenance window until "
                    + DUE_DAY.format(maintenance.endAt(at)), at));
            m.dueAt = null;
            return out;
        }
        if (maintenance.activeAt(at)) {
            return out;
        }
        Status to = m.lastPingAt == null ? Status.NEW : Status.UP;
        out.add(flip(m, to, "maintenance-ended", "maintenance window ended", at));
        m.lifecycleAt = at;
        m.dueAt = null;
        if (to == Status.UP) {
            Schedule schedule = Schedule.of(m);
            Instant due = schedule.nextDue(at);
            if (m.lastSuccessAt != null && schedule.nextDue(m.lastSuccessAt).isAfter(due)) {
                due = schedule.nextDue(m.lastSuccessAt);
            }
            m.dueAt = due;
        }
        return out;
    }

    /**
     * Whether a ping received at {@code receivedAt} must wait until the partition's {@code watermark} passes it:
     * it would cross the monitor's next deadline, and a ping received before that deadline may not have been
     * applied yet (another ingest instance may still be sending it). Applied now, it would erase an outage that
     * may have happened; applied after the watermark, the deadlines it crossed are declared first.
     */
    public static boolean mustWait(Monitor m, Instant receivedAt, Instant watermark) {
        return m.nextAlertAt != null && !m.nextAlertAt.isAfter(receivedAt)
                && (watermark == null || watermark.isBefore(receivedAt));
    }

    /**
     * A ping the monitor does not take (a GET or HEAD to a monitor that takes POST pings only, Healthchecks'
     * {@code methods: "POST"}): counted and kept in the history as ignored, with no other effect, not even on the
     * last ping time (as Healthchecks' {@code ign}).
     * Deadlines that passed before it are declared first, as for any ping.
     */
    public static Applied applyIgnoredPing(Monitor m, PingReceived ping, Instant safeUntil) {
        Instant t = ping.receivedAt();
        List<Transition> out = new ArrayList<>(advance(m, safeUntil == null ? null : min(t, safeUntil)));
        m.pingCount++;
        return new Applied(out, null, true);
    }

    /**
     * Applies one ping. Deadlines that passed before the ping are declared first, at their own times, but
     * only up to {@code safeUntil} (the watermark: every ping received before it has been applied), so an
     * outage is never erased by a late-applied ping and none is invented by pings arriving out of order.
     */
    public static Applied applyPing(Monitor m, PingReceived ping, Instant safeUntil) {
        Instant t = ping.receivedAt();
        List<Transition> out = new ArrayList<>(advance(m, safeUntil == null ? null : min(t, safeUntil)));
        m.pingCount++;
        if (m.lastPingAt == null || t.isAfter(m.lastPingAt)) {
            m.lastPingAt = t;
        }
        if (ping.type() == PingType.LOG) {
            return new Applied(out, null, false);
        }
        if (m.lifecycleAt != null && t.isBefore(m.lifecycleAt)) {
            return new Applied(out, null, true);
        }
        if (ping.type() == PingType.START) {
            boolean closed = m.lastFinishAt != null && t.isBefore(m.lastFinishAt);
            boolean olderThanRun = m.running && m.runStartedAt != null && t.isBefore(m.runStartedAt);
            if (closed || olderThanRun) {
                return new Applied(out, null, true);
            }
            m.running = true;
            m.runStartedAt = t;
            m.runRid = ping.rid();
            m.nextAlertAt = nextAlert(m);
            return new Applied(out, null, false);
        }

        Duration runDuration = null;
        if (m.running && m.runStartedAt != null && !t.isBefore(m.runStartedAt) && sameRun(m.runRid, ping.rid())) {
            runDuration = Duration.between(m.runStartedAt, t);
            m.lastDurationMs = runDuration.toMillis();
            endRun(m);
        }
        if (m.lastFinishAt != null && t.isBefore(m.lastFinishAt)) {
            // a newer finish already decided the status
            m.nextAlertAt = nextAlert(m);
            return new Applied(out, runDuration, runDuration == null);
        }
        m.lastFinishAt = t;
        Failure failure = failure(m, ping, runDuration);
        if (failure == null) {
            succeeded(m, t, out);
        } else {
            failed(m, failure, t, out);
        }
        m.nextAlertAt = nextAlert(m);
        return new Applied(out, runDuration, false);
    }

    /** Why a finish counts as a failed run (its signal, its exit status, a run too short, a success too soon), or null. */
    private static Failure failure(Monitor m, PingReceived ping, Duration runDuration) {
        Integer exit = ping.exitStatus();
        boolean success = exit != null ? exit == 0 : ping.type() == PingType.SUCCESS;
        if (!success) {
            boolean byExit = exit != null;
            return byExit ? new Failure("exit-status " + exit, "exit status " + exit) : new Failure("fail", "failure signal");
        }
        if (runDuration != null && m.minRuntimeMs != null && runDuration.toMillis() < m.minRuntimeMs) {
            return new Failure("run-too-short", "run took " + Durations.human(runDuration) + ", expected at least "
                    + Durations.human(Duration.ofMillis(m.minRuntimeMs)));
        }
        if (m.minIntervalMs != null && m.lastSuccessAt != null) {
            Duration since = Duration.between(m.lastSuccessAt, ping.receivedAt());
            if (since.toMillis() < m.minIntervalMs) {
                return new Failure("too-frequent", "check-in " + Durations.human(since) + " after the previous success, expected at least "
                        + Durations.human(Duration.ofMillis(m.minIntervalMs)) + " apart");
            }
        }
        return null;
    }

    /**
     * A successful run at {@code t}: the failure count starts again, and the check-in is due one period later. A DOWN
     * monitor recovers on the {@code recoveryThreshold}th success in a row, and never by itself with manual resume.
     */
    private static void succeeded(Monitor m, Instant t, List<Transition> out) {
        m.lastSuccessAt = t;
        m.consecutiveFailures = 0;
        if (m.status == Status.MAINTENANCE) {
            return; // recorded; the window's end takes the last success into account
        }
        if (m.status == Status.DOWN) {
            if (m.manualResume) {
                return; // recorded; only a resume through the admin API ends this DOWN
            }
            m.consecutiveSuccesses++;
            if (m.consecutiveSuccesses < m.recoveryThreshold) {
                return;
            }
            m.consecutiveSuccesses = 0;
            m.dueAt = Schedule.of(m).nextDue(t);
            out.add(flip(m, Status.UP, "recovered", m.recoveryThreshold > 1
                    ? "check-in received, recovered after " + m.recoveryThreshold + " consecutive successes"
                    : "check-in received, recovered", t));
            return;
        }
        m.dueAt = Schedule.of(m).nextDue(t);
        switch (m.status) {
            case NEW, LATE -> out.add(flip(m, Status.UP, "ok", "check-in received", t));
            case PAUSED -> {
                out.add(flip(m, Status.UP, "resumed", "check-in received, resumed", t));
                m.maintenanceFrom = t; // windows that passed while paused are over
            }
            default -> { }
        }
    }

    /**
     * A failed run at {@code at}: DOWN on the {@code failureThreshold}th failure in a row. Under the threshold the run
     * still reported, so a check-in that was due (UP or LATE) is due one period after it, and a LATE monitor is UP
     * again; NEW and PAUSED stay as they are. In MAINTENANCE it changes nothing.
     */
    private static void failed(Monitor m, Failure failure, Instant at, List<Transition> out) {
        if (m.status == Status.MAINTENANCE) {
            return; // recorded in the history; inside a window it changes nothing
        }
        m.consecutiveSuccesses = 0;
        if (m.consecutiveFailures < Integer.MAX_VALUE) {
            m.consecutiveFailures++;
        }
        if (m.status == Status.DOWN) {
            return;
        }
        if (m.consecutiveFailures >= m.failureThreshold) {
            out.add(flip(m, Status.DOWN, failure.reason(), m.failureThreshold > 1
                    ? failure.text() + " (" + m.consecutiveFailures + " consecutive failures)" : failure.text(), at));
            return;
        }
        if (m.status == Status.UP || m.status == Status.LATE) {
            m.dueAt = Schedule.of(m).nextDue(at);
        }
        if (m.status == Status.LATE) {
            out.add(flip(m, Status.UP, "ok", failure.text() + ", failure " + m.consecutiveFailures + " of "
                    + m.failureThreshold + " before DOWN", at));
        }
    }

    /** A failure signal's reason code and its text for people. */
    private record Failure(String reason, String text) {
    }

    private static void endRun(Monitor m) {
        m.running = false;
        m.runStartedAt = null;
        m.runRid = null;
    }

    /** Pause at request time {@code now} until resumed or pinged; no change when already PAUSED but the end. */
    public static List<Transition> pause(Monitor m, Instant now) {
        return pause(m, now, null);
    }

    /**
     * Pause at request time {@code now}; with {@code until} (a snooze) the monitor resumes by itself then, exactly as
     * a resume request at that time would. Pausing a PAUSED monitor only replaces its end (null: none).
     */
    public static List<Transition> pause(Monitor m, Instant now, Instant until) {
        List<Transition> out = new ArrayList<>();
        if (m.status != Status.PAUSED) {
            out.add(flip(m, Status.PAUSED, "paused", until == null ? "paused" : "paused until " + DUE_DAY.format(until), now));
            m.pausedAt = now;
            m.lifecycleAt = now;
        }
        m.pausedUntil = until;
        m.nextAlertAt = nextAlert(m);
        return out;
    }

    /**
     * Resume at {@code now}: NEW if never pinged, else UP due one period after now. Also ends a DOWN of a monitor with
     * manual resume.
     *
     * @throws IllegalStateException when the monitor is neither PAUSED nor DOWN with manual resume
     */
    public static List<Transition> resume(Monitor m, Instant now) {
        if (!resumable(m)) {
            throw new IllegalStateException("monitor " + m.slug + " is " + m.status + ", not PAUSED");
        }
        return resume(m, now, m.status == Status.DOWN ? "resumed by hand" : "resumed");
    }

    /** Whether a resume request applies: PAUSED, or DOWN with manual resume. */
    public static boolean resumable(Monitor m) {
        return m.status == Status.PAUSED || (m.status == Status.DOWN && m.manualResume);
    }

    private static List<Transition> resume(Monitor m, Instant now, String text) {
        List<Transition> out = new ArrayList<>();
        m.consecutiveFailures = 0;
        m.consecutiveSuccesses = 0;
        // windows that passed while paused are over; one that holds now applies at once
        m.maintenanceFrom = now;
        Maintenance maintenance = Maintenance.of(m);
        if (maintenance.activeAt(now)) {
            out.add(flip(m, Status.MAINTENANCE, "resumed", "resumed inside a maintenance window until "
                    + DUE_DAY.format(maintenance.endAt(now)), now));
            m.lifecycleAt = now;
            m.dueAt = null;
            m.nextAlertAt = nextAlert(m);
            return out;
        }
        Status to = m.lastPingAt == null ? Status.NEW : Status.UP;
        out.add(flip(m, to, "resumed", text, now));
        m.lifecycleAt = now;
        m.dueAt = to == Status.UP ? Schedule.of(m).nextDue(now) : null;
        m.nextAlertAt = nextAlert(m);
        return out;
    }

    /** After a change of schedule, grace or max runtime: the due time follows the new schedule. */
    public static void reconfigure(Monitor m) {
        // a change to the monitor is the operator's answer to its error state: evaluate it (and its kept pings) again
        m.errorText = null;
        m.errorAt = null;
        if (m.status == Status.UP || m.status == Status.LATE) {
            Instant base = max(m.lastSuccessAt, m.lifecycleAt);
            if (base != null) {
                m.dueAt = Schedule.of(m).nextDue(base);
            }
        }
        m.nextAlertAt = nextAlert(m);
    }

    /**
     * Dependencies: the parent that holds the alert of a dependent's flip to {@code to}, or null when it alerts as
     * usual. Only LATE and DOWN are held, while a parent is DOWN (the first such in {@code dependsOn}) or else LATE
     * (parents and dependents often miss the same deadline, and the parent's DOWN may be recorded a moment after the
     * dependent's). A parent absent from {@code parents} (deleted) holds nothing.
     */
    public static UUID heldBy(List<UUID> dependsOn, Map<UUID, Status> parents, Status to) {
        if (to != Status.LATE && to != Status.DOWN) {
            return null;
        }
        UUID late = null;
        for (UUID parent : dependsOn) {
            Status status = parents.get(parent);
            if (status == Status.DOWN) {
                return parent;
            }
            if (status == Status.LATE && late == null) {
                late = parent;
            }
        }
        return late;
    }

    /** What becomes of a held DOWN alert, decided on the dependent's current state and its parents'. */
    public enum HeldAlert {
        /** A parent is still LATE or DOWN: keep holding. */
        HOLD,
        /** No parent is LATE or DOWN and the monitor is still DOWN from the held flip: send the alert now, once. */
        SEND,
        /** The monitor has flipped since (it recovered, was paused, went DOWN again): nothing is sent for it. */
        DROP
    }

    /** The held DOWN of flip {@code heldSequence} of {@code m}, with its parents' statuses in {@code parents}. */
    public static HeldAlert release(Monitor m, long heldSequence, Map<UUID, Status> parents) {
        if (m.status != Status.DOWN || m.flipSequence != heldSequence) {
            return HeldAlert.DROP;
        }
        return heldBy(m.dependsOn, parents, Status.DOWN) != null ? HeldAlert.HOLD : HeldAlert.SEND;
    }

    /** The reason text of a held DOWN's alert sent at release: "{@code <text> (held while <parent> was down)}". */
    public static String releasedText(String reasonText, String parentName, boolean parentWasDown) {
        return reasonText + " (held while " + parentName + " was " + (parentWasDown ? "down" : "late") + ")";
    }

    /**
     * When the sweep must look at the monitor next: a snooze's end; else its next deadline or maintenance boundary (a
     * window's start, or in MAINTENANCE its end), whichever comes first; null when none is pending.
     */
    public static Instant nextAlert(Monitor m) {
        if (m.system) {
            return null;
        }
        if (m.status == Status.PAUSED) {
            return m.pausedUntil;
        }
        Instant boundary = windowBoundary(m, Maintenance.of(m));
        if (m.status == Status.MAINTENANCE) {
            return boundary;
        }
        Instant deadline = nextDeadline(m);
        return deadline == null || (boundary != null && boundary.isBefore(deadline)) ? boundary : deadline;
    }

    /** The state table's next deadline (due, grace, max runtime), or null. */
    private static Instant nextDeadline(Monitor m) {
        if (m.running) {
            return m.status == Status.DOWN ? null : runDeadline(m);
        }
        if (m.dueAt == null) {
            return null;
        }
        return switch (m.status) {
            case UP -> m.dueAt;
            case LATE -> m.dueAt.plusMillis(m.graceMs);
            default -> null;
        };
    }

    /** The end of a run: its start (or the resume after it) plus max runtime, or plus grace when none is set. */
    public static Instant runDeadline(Monitor m) {
        Instant from = max(m.runStartedAt, m.lifecycleAt);
        return from.plusMillis(m.maxRuntimeMs != null ? m.maxRuntimeMs : m.graceMs);
    }

    /**
     * Records a flip on the monitor: status, sequence, the time of its newest flip and its down time.
     * A flip never goes before the monitor's previous one.
     */
    public static Transition flip(Monitor m, Status to, String reason, String reasonText, Instant at) {
        if (m.lastFlipAt != null && at.isBefore(m.lastFlipAt)) {
            at = m.lastFlipAt;
        }
        Status from = m.status;
        Duration downtime = from == Status.DOWN && m.downSince != null ? Duration.between(m.downSince, at) : null;
        m.status = to;
        m.flipSequence++;
        m.lastFlipAt = at;
        if (to == Status.DOWN) {
            m.downSince = at;
            m.dueAt = null;
        } else if (to != Status.PAUSED) {
            m.downSince = null;
        }
        if (from == Status.PAUSED) {
            m.pausedAt = null;
            m.pausedUntil = null;
        }
        return new Transition(m.flipSequence, from, to, reason, reasonText, at, downtime);
    }

    private static boolean sameRun(UUID runRid, UUID finishRid) {
        return finishRid == null || runRid == null || finishRid.equals(runRid);
    }

    private static String missedText(Instant due, Duration grace) {
        return "missed check-in: due " + DUE.format(due) + ", grace " + Durations.human(grace);
    }

    private static String runTooLongText(Monitor m) {
        return m.maxRuntimeMs != null
                ? "run exceeded max runtime " + Durations.human(Duration.ofMillis(m.maxRuntimeMs))
                : "run exceeded max runtime " + Durations.human(Duration.ofMillis(m.graceMs)) + " (the grace)";
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.isAfter(b) ? a : b;
    }
}
