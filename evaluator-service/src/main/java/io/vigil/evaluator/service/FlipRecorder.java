package io.vigil.evaluator.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.vigil.contracts.MonitorFlipped;
import io.vigil.contracts.Status;
import io.vigil.contracts.Topics;
import io.vigil.evaluator.Flip;
import io.vigil.evaluator.Monitor;
import io.vigil.evaluator.Transition;
import io.vigil.evaluator.config.EngineConfig;
import io.vigil.evaluator.scheduling.ReleaseLoop;
import io.vigil.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.UUID;

/**
 * The one place a flip is recorded: a {@link Flip} row and its {@link MonitorFlipped} in the outbox, in the
 * caller's transaction (the one that changed the monitor's state). A dependent's LATE or DOWN recorded while a parent
 * is LATE or DOWN carries that parent as {@code suppressedBy} (the notifier holds its alerts), and a held DOWN waits
 * for {@link HeldAlerts} to send it once the parents are back.
 */
@ApplicationScoped
public class FlipRecorder {

    private final Outbox outbox;
    private final InstantSource clock;
    private final EngineConfig config;
    private final MeterRegistry metrics;
    private final Dependencies dependencies;
    private final ReleaseLoop releases;

    public FlipRecorder(Outbox outbox, InstantSource clock, EngineConfig config, MeterRegistry metrics,
                        Dependencies dependencies, ReleaseLoop releases) {
        this.outbox = outbox;
        this.clock = clock;
        this.config = config;
        this.metrics = metrics;
        this.dependencies = dependencies;
        this.releases = releases;
    }

    /** Records {@code transitions} of {@code monitor}, whose last ping at the time was the monitor's current one. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void record(Monitor monitor, List<Transition> transitions) {
        record(monitor, transitions, monitor.lastPingAt, monitor.lastBody);
    }

    /**
     * Records {@code transitions}; {@code lastPingAt} and {@code lastBody} are what the monitor had last seen
     * when they happened (a late-applied ping's catch-up flips happened before that ping).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void record(Monitor monitor, List<Transition> transitions, Instant lastPingAt, String lastBody) {
        Instant now = clock.instant();
        for (Transition t : transitions) {
            Flip flip = new Flip();
            flip.id = UUID.randomUUID();
            flip.monitorId = monitor.id;
            flip.sequence = t.sequence();
            flip.at = t.at();
            flip.detectedAt = now;
            flip.fromStatus = t.from();
            flip.toStatus = t.to();
            flip.reason = t.reason();
            flip.reasonText = t.reasonText();
            flip.suppressedBy = dependencies.holder(monitor, t.to());
            flip.held = flip.suppressedBy != null && t.to() == Status.DOWN;
            flip.persist();
            dependencies.recorded(monitor, t.to());
            outbox.enqueue(Topics.FLIPS, monitor.id.toString(),
                    event(monitor, flip.id, t, now, lastPingAt, lastBody, flip.suppressedBy, null));
            metrics.counter("vigil.flips", "status", t.to().name()).increment();
            if (flip.suppressedBy != null) {
                Log.infof("monitor %s %s -> %s (%s) at %s: alert held, parent %s is not up", monitor.slug, t.from(), t.to(),
                        t.reasonText(), t.at(), flip.suppressedBy);
            } else {
                Log.infof("monitor %s %s -> %s (%s) at %s", monitor.slug, t.from(), t.to(), t.reasonText(), t.at());
            }
            if (t.from() == Status.LATE || t.from() == Status.DOWN) {
                releases.nudgeAfterCommit(); // a parent back from LATE or DOWN may release its dependents' alerts
            }
        }
    }

    /**
     * The alert of {@code held}, a DOWN of {@code monitor} whose alerts a parent held, sent now that no parent is LATE
     * or DOWN: a {@link MonitorFlipped} with its own event id and the held flip's sequence and times, naming the held
     * flip in {@code releaseOf}. Not a flip: the status did not change.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void release(Monitor monitor, Flip held, String reasonText) {
        Instant now = clock.instant();
        Transition t = new Transition(held.sequence, held.fromStatus, held.toStatus, held.reason, reasonText, held.at, null);
        outbox.enqueue(Topics.FLIPS, monitor.id.toString(),
                event(monitor, UUID.randomUUID(), t, now, monitor.lastPingAt, monitor.lastBody, null, held.id));
        metrics.counter("vigil.flips.released").increment();
        Log.infof("monitor %s still DOWN (%s) since %s: the held alert is sent", monitor.slug, reasonText, held.at);
    }

    /** A "no longer watched" notice for a monitor being deleted while DOWN; it is not stored as a flip. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void noLongerWatched(Monitor monitor) {
        Instant now = clock.instant();
        Transition t = new Transition(monitor.flipSequence + 1, monitor.status, Status.PAUSED, "deleted",
                "monitor deleted: no longer watched", now, null);
        outbox.enqueue(Topics.FLIPS, monitor.id.toString(),
                event(monitor, UUID.randomUUID(), t, now, monitor.lastPingAt, monitor.lastBody, null, null));
        Log.infof("monitor %s deleted while %s: no longer watched", monitor.slug, monitor.status);
    }

    private MonitorFlipped event(Monitor m, UUID id, Transition t, Instant now, Instant lastPingAt, String lastBody,
                                 UUID suppressedBy, UUID releaseOf) {
        return new MonitorFlipped(MonitorFlipped.SCHEMA, id, t.sequence(),
                new MonitorFlipped.MonitorRef(m.id, m.name, m.slug, List.copyOf(m.tags)),
                t.from(), t.to(), t.reason(), t.reasonText(), t.at(), now, lastPingAt, t.downtime(),
                config.adminUrl() + "/api/v1/monitors/" + m.id, lastBody, List.copyOf(m.channelIds), suppressedBy, releaseOf);
    }
}
