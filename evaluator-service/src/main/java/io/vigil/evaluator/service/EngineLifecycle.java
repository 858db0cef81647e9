package io.vigil.evaluator.service;

import io.vigil.contracts.MonitorRegistered;
import io.vigil.contracts.Status;
import io.vigil.contracts.Topics;
import io.vigil.evaluator.Monitor;
import io.vigil.evaluator.MonitorRules;
import io.vigil.evaluator.messaging.KafkaTopology;
import io.vigil.evaluator.scheduling.SweepLoop;
import io.vigil.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.InstantSource;

/**
 * The engine's side of {@link MonitorLifecycle}: every method runs in the admin API's transaction and
 * writes the monitor's state, its flips and its registry record there; after the commit the sweep is
 * re-armed, since a deadline may have moved.
 */
@ApplicationScoped
public class EngineLifecycle implements MonitorLifecycle {

    private final EntityManager em;
    private final FlipRecorder flips;
    private final Outbox outbox;
    private final KafkaTopology topology;
    private final InstantSource clock;
    private final SweepLoop sweep;
    private final TransactionSynchronizationRegistry transactions;

    public EngineLifecycle(EntityManager em, FlipRecorder flips, Outbox outbox, KafkaTopology topology,
                           InstantSource clock, SweepLoop sweep, TransactionSynchronizationRegistry transactions) {
        this.em = em;
        this.flips = flips;
        this.outbox = outbox;
        this.topology = topology;
        this.clock = clock;
        this.sweep = sweep;
        this.transactions = transactions;
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void created(Monitor monitor) {
        monitor.kafkaPartition = topology.partitionOf(monitor.id);
        if (monitor.status == null) {
            monitor.status = Status.NEW;
        }
        MonitorRules.reconfigure(monitor);
        register(monitor);
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void reconfigured(Monitor monitor) {
        monitor.version++;
        MonitorRules.reconfigure(monitor);
        register(monitor);
        rearmAfterCommit();
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void tokenRotated(Monitor monitor) {
        monitor.version++;
        register(monitor);
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void deleting(Monitor monitor) {
        if (monitor.status == Status.DOWN) {
            flips.noLongerWatched(monitor);
        }
        outbox.enqueue(Topics.MONITORS, monitor.id.toString(), null);
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void pause(Monitor monitor, Instant until) {
        lockFresh(monitor);
        flips.record(monitor, MonitorRules.pause(monitor, clock.instant(), until));
        rearmAfterCommit();
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void resume(Monitor monitor) {
        lockFresh(monitor);
        if (!MonitorRules.resumable(monitor)) {
            throw new MonitorNotPausedException(monitor.status == Status.DOWN
                    ? "monitor " + monitor.slug + " is DOWN and recovers by itself (manualResume is off), not PAUSED"
                    : "monitor " + monitor.slug + " is " + monitor.status + ", not PAUSED");
        }
        flips.record(monitor, MonitorRules.resume(monitor, clock.instant()));
        rearmAfterCommit();
    }

    /** Pause and resume act on the monitor's current state: lock it and read it again (the one locking rule). */
    private void lockFresh(Monitor monitor) {
        if (em.contains(monitor)) {
            Monitor.findLocked(monitor.id);
        }
    }

    private void register(Monitor monitor) {
        if (monitor.system) {
            return; // the reserved pipeline monitor takes no pings
        }
        outbox.enqueue(Topics.MONITORS, monitor.id.toString(),
                new MonitorRegistered(monitor.id, monitor.slug, monitor.tokenHash, monitor.version));
    }

    private void rearmAfterCommit() {
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == jakarta.transaction.Status.STATUS_COMMITTED) {
                    sweep.nudge();
                }
            }
        });
    }
}
