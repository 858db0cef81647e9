package io.vigil.ingest.scheduling;

import io.vigil.ingest.config.IngestConfig;
import io.vigil.ingest.messaging.PingWriter;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Writes this instance's watermark to every partition of the pings topic on a fixed beat (200 ms by
 * default), on a Vert.x timer: the producer's send never blocks the loop.
 */
@ApplicationScoped
public class Watermarks {

    private final Vertx vertx;
    private final PingWriter writer;
    private final IngestConfig config;
    private long timer = -1;

    public Watermarks(Vertx vertx, PingWriter writer, IngestConfig config) {
        this.vertx = vertx;
        this.writer = writer;
        this.config = config;
    }

    /** Starts the beat; the first watermark goes out at once. */
    public synchronized void start() {
        writer.writeWatermarks(config.leaseTtl());
        timer = vertx.setPeriodic(config.watermarkInterval().toMillis(), id -> writer.writeWatermarks(config.leaseTtl()));
    }

    /** Stops the beat. */
    public synchronized void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }
}
