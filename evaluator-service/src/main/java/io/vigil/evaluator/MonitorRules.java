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

    private MonitorRules() {
    }

    /** What applying one ping did. */
    public record Applied(List<Transition> transitions, Duration runDuration, boolean ignored) {
    }

    /**
     * Declares every deadline that passed strictly before {@code until}: LATE at the due time, DOWN at due
     * + grace (straight to DOWN at the due time with grace 0), DOWN at start + max runtime (or grace) for a
     * run. Only call it with a time that every ping before has been applied for (the watermark).
     */
    public static List<Transition> advance(Monitor m, Instant until) {
        List<Transition> out = new ArrayList<>();
        if (until == null || m.system || m.status == Status.PAUSED) {
            m.nextAlertAt = nextAlert(m);
            return out;
        }
        if (m.running) {
            if (m.status != Status.DOWN) {
                Instant deadline = runDeadline(m);
                if (deadline.isBefore(until)) {
                    out.add(flip(m, Status.DOWN, "run-too-long", runTooLongText(m), deadline));
                }
            }
        } else {
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
        m.nextAlertAt = nextAlert(m);
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
            m.running = false;
            m.runStartedAt = null;
            m.runRid = null;
        }
        if (m.lastFinishAt != null && t.isBefore(m.lastFinishAt)) {
            // a newer finish already decided the status
            m.nextAlertAt = nextAlert(m);
            return new Applied(out, runDuration, runDuration == null);
        }
        m.lastFinishAt = t;
        boolean success = ping.exitStatus() != null ? ping.exitStatus() == 0 : ping.type() == PingType.SUCCESS;
        if (success) {
            m.lastSuccessAt = t;
            m.dueAt = Schedule.of(m).nextDue(t);
            switch (m.status) {
                case NEW, LATE -> out.add(flip(m, Status.UP, "ok", "check-in received", t));
                case DOWN -> out.add(flip(m, Status.UP, "recovered", "check-in received, recovered", t));
                case PAUSED -> out.add(flip(m, Status.UP, "resumed", "check-in received, resumed", t));
                case UP -> { }
            }
        } else if (m.status != Status.DOWN) {
            Integer exit = ping.exitStatus();
            boolean byExit = exit != null && exit != 0;
            out.add(flip(m, Status.DOWN, byExit ? "exit-status " + exit : "fail",
                    byExit ? "exit status " + exit : "failure signal", t));
        }
        m.nextAlertAt = nextAlert(m);
        return new Applied(out, runDuration, false);
    }

    /** Pause at request time {@code now}; no change when already PAUSED. */
    public static List<Transition> pause(Monitor m, Instant now) {
        List<Transition> out = new ArrayList<>();
        if (m.status != Status.PAUSED) {
            out.add(flip(m, Status.PAUSED, "paused", "paused", now));
            m.pausedAt = now;
            m.lifecycleAt = now;
        }
        m.nextAlertAt = nextAlert(m);
        return out;
    }

    /**
     * Resume at {@code now}: NEW if never pinged, else UP due one period after now.
     *
     * @throws IllegalStateException when the monitor is not PAUSED
     */
    public static List<Transition> resume(Monitor m, Instant now) {
        if (m.status != Status.PAUSED) {
            throw new IllegalStateException("monitor " + m.slug + " is " + m.status + ", not PAUSED");
        }
        List<Transition> out = new ArrayList<>();
        Status to = m.lastPingAt == null ? Status.NEW : Status.UP;
        out.add(flip(m, to, "resumed", "resumed", now));
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

    /** When the sweep must look at the monitor next, or null when no deadline is pending. */
    public static Instant nextAlert(Monitor m) {
        if (m.system || m.status == Status.PAUSED) {
            return null;
        }
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
