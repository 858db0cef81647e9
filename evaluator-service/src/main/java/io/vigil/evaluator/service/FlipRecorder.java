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
import io.vigil.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.UUID;

/**
 * The one place a flip is recorded: a {@link Flip} row and its {@link MonitorFlipped} in the outbox, in the
 * caller's transaction (the one that changed the monitor's state).
 */
@ApplicationScoped
public class FlipRecorder {

    private final Outbox outbox;
    private final InstantSource clock;
    private final EngineConfig config;
    private final MeterRegistry metrics;

    public FlipRecorder(Outbox outbox, InstantSource clock, EngineConfig config, MeterRegistry metrics) {
        this.outbox = outbox;
        this.clock = clock;
        this.config = config;
        this.metrics = metrics;
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
            flip.persist();
            outbox.enqueue(Topics.FLIPS, monitor.id.toString(), event(monitor, flip.id, t, now, lastPingAt, lastBody));
            metrics.counter("vigil.flips", "status", t.to().name()).increment();
            Log.infof("monitor %s %s -> %s (%s) at %s", monitor.slug, t.from(), t.to(), t.reasonText(), t.at());
        }
    }

    /** A "no longer watched" notice for a monitor being deleted while DOWN; it is not stored as a flip. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void noLongerWatched(Monitor monitor) {
        Instant now = clock.instant();
        Transition t = new Transition(monitor.flipSequence + 1, monitor.status, Status.PAUSED, "deleted",
                "monitor deleted: no longer watched", now, null);
        outbox.enqueue(Topics.FLIPS, monitor.id.toString(),
                event(monitor, UUID.randomUUID(), t, now, monitor.lastPingAt, monitor.lastBody));
        Log.infof("monitor %s deleted while %s: no longer watched", monitor.slug, monitor.status);
    }

    private MonitorFlipped event(Monitor m, UUID id, Transition t, Instant now, Instant lastPingAt, String lastBody) {
        return new MonitorFlipped(MonitorFlipped.SCHEMA, id, t.sequence(),
                new MonitorFlipped.MonitorRef(m.id, m.name, m.slug, List.copyOf(m.tags)),
                t.from(), t.to(), t.reason(), t.reasonText(), t.at(), now, lastPingAt, t.downtime(),
                config.adminUrl() + "/api/v1/monitors/" + m.id, lastBody, List.copyOf(m.channelIds));
    }
}
