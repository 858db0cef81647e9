package io.vigil.ingest.scheduling;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vigil.ingest.config.IngestConfig;
import io.vigil.ingest.health.Progress;
import io.vigil.ingest.messaging.PingWriter;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.InstantSource;

/**
 * Writes this instance's watermark to every partition of the pings topic on a fixed beat
 * ({@code vigil.ingest.watermark-interval}, 200 ms by default), on a Vert.x periodic timer: the
 * Quarkus Scheduler available here (its simple scheduler) checks its triggers once a second, so an
 * {@code @Scheduled} job would beat at most once a second and hold every ping in the evaluator up to
 * five times longer. Each beat that completes moves its {@link Progress}, so a beat that stops turns
 * liveness DOWN; a broker outage does not stop it (the records fail, the next beat writes newer ones).
 */
@ApplicationScoped
public class Watermarks {

    private final Vertx vertx;
    private final PingWriter writer;
    private final IngestConfig config;
    private final Progress progress;
    private long timer = -1;

    public Watermarks(Vertx vertx, PingWriter writer, IngestConfig config, InstantSource clock) {
        this.vertx = vertx;
        this.writer = writer;
        this.config = config;
        this.progress = Progress.beating("the watermark beat", clock);
    }

    /** After the producer started (its observer runs first): the first watermark goes out at once. */
    void start(@Observes @Priority(Interceptor.Priority.APPLICATION + 900) StartupEvent event) {
        resume();
    }

    /** Starts the beat unless it runs; the first watermark goes out at once. */
    public synchronized void resume() {
        if (timer < 0) {
            beat();
            timer = vertx.setPeriodic(config.watermarkInterval().toMillis(), id -> beat());
        }
    }

    void beat() {
        writer.writeWatermarks(config.leaseTtl());
        progress.beat();
    }

    /** How the beat moves, for the liveness check. */
    public Progress progress() {
        return progress;
    }

    /** Stops the beat, before the producer is closed. */
    synchronized void stop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }

    /** Stops the beat (tests: a beat that no longer moves). */
    public void pause() {
        stop(null);
    }
}
