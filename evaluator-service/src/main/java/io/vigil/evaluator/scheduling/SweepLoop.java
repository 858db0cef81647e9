package io.vigil.evaluator.scheduling;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.vigil.evaluator.PartitionOffset;
import io.vigil.evaluator.config.EngineConfig;
import io.vigil.evaluator.messaging.KafkaTopology;
import io.vigil.evaluator.service.PipelineWatch;
import io.vigil.evaluator.service.Sweep;
import io.vigil.outbox.Wakeup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Runs the deadline sweep on its own thread. It sleeps until the earliest next alert time of any
 * partition (re-armed whenever something changes: an apply batch that moved a watermark, a lifecycle
 * change), with a slow safety poll; a partition whose watermark has not yet passed its earliest alert is
 * looked at again when the watermark moves. Each pass also checks for stalled watermarks
 * ({@code vigil-pipeline}).
 */
@ApplicationScoped
public class SweepLoop {

    private final Sweep sweep;
    private final PipelineWatch pipeline;
    private final KafkaTopology topology;
    private final InstantSource clock;
    private final EngineConfig config;
    private final Timer sweepTimer;

    private final Wakeup wakeup = new Wakeup();
    private volatile boolean running;
    private volatile Instant lastPass;
    private volatile boolean held;
    private Thread thread;
    private Instant startedAt;
    private UUID pipelineId;

    public SweepLoop(Sweep sweep, PipelineWatch pipeline, KafkaTopology topology, InstantSource clock,
                     EngineConfig config, MeterRegistry metrics) {
        this.sweep = sweep;
        this.pipeline = pipeline;
        this.topology = topology;
        this.clock = clock;
        this.config = config;
        this.sweepTimer = Timer.builder("vigil.sweep.duration").description("one pass of the deadline sweep")
                .register(metrics);
    }

    /** Starts the loop (the engine calls it once at start). */
    public synchronized void start() {
        if (running) {
            return;
        }
        startedAt = clock.instant();
        try {
            pipelineId = pipeline.ensure();
        } catch (RuntimeException raced) {
            pipelineId = pipeline.ensure(); // another instance created it at the same moment
        }
        running = true;
        thread = new Thread(this::run, "vigil-sweep");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops the loop and waits for the pass in progress. */
    public synchronized void stop() {
        running = false;
        nudge();
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * A watermark moved: look again now only when the last pass left a deadline held back by a watermark
     * (otherwise the timer armed at the next deadline is enough).
     */
    public void watermarkMoved() {
        if (held) {
            nudge();
        }
    }

    /** A deadline may have changed (pings applied, a monitor paused, resumed or reconfigured): look again now. */
    public void nudge() {
        wakeup.nudge();
    }

    /** When the last pass finished, or null before the first. */
    public Instant lastPass() {
        return lastPass;
    }

    private void run() {
        while (running) {
            Instant wakeAt;
            try {
                wakeAt = pass();
                lastPass = clock.instant();
            } catch (RuntimeException e) {
                Log.errorf(e, "deadline sweep failed; retrying");
                wakeAt = clock.instant().plusSeconds(1);
            }
            await(wakeAt);
        }
    }

    /** One pass: sweep every partition up to its watermark; answers when the next pass is due. */
    private Instant pass() {
        long started = System.nanoTime();
        int partitions = topology.pingPartitions();
        Instant now = clock.instant();
        Map<Integer, PartitionOffset> stored = sweep.partitions();
        for (var entry : stored.entrySet()) {
            Instant watermark = entry.getValue().watermark;
            if (watermark == null || entry.getKey() >= partitions) {
                continue;
            }
            Instant until = watermark.isBefore(now) ? watermark : now;
            while (sweep.sweepPartition(entry.getKey(), until, config.sweepBatch()) == config.sweepBatch()) {
                // a full batch: there may be more due monitors
            }
        }
        pipeline.check(pipelineId, stored, partitions, startedAt);
        sweepTimer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);

        Instant wakeAt = clock.instant().plus(config.safetyPoll());
        boolean anyHeld = false;
        for (var entry : sweep.earliestAlerts(partitions).entrySet()) {
            Instant alert = entry.getValue();
            if (alert.isAfter(now)) {
                // deadlines are strict: wake just after the alert time
                Instant at = alert.plusMillis(1);
                if (at.isBefore(wakeAt)) {
                    wakeAt = at;
                }
            } else {
                anyHeld = true; // held by its partition's watermark: the next batch that moves it wakes the sweep
            }
        }
        held = anyHeld;
        return wakeAt;
    }

    private void await(Instant wakeAt) {
        if (running && !wakeup.await(Duration.between(clock.instant(), wakeAt))) {
            running = false;
        }
    }
}
