package io.vigil.ingest.config;

import io.quarkus.runtime.StartupEvent;
import io.vigil.ingest.messaging.PingWriter;
import io.vigil.ingest.messaging.Topology;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Duration;

/**
 * Starts the service's parts in order: the topics before the messaging channels connect (they do at
 * start-up, priority {@code LIBRARY_BEFORE}), then waits for the producer to know the pings topic,
 * which the watermark beat waits for. The connector flushes and closes its clients at stop.
 */
@ApplicationScoped
public class Lifecycle {

    private final Topology topology;
    private final PingWriter writer;
    private final IngestConfig config;

    public Lifecycle(Topology topology, PingWriter writer, IngestConfig config) {
        this.topology = topology;
        this.writer = writer;
        this.config = config;
    }

    /**
     * Before the messaging channels connect, so no client creates a topic by asking for it (and
     * without touching the writer, whose emitter is connected with them).
     */
    void ensureTopics(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        topology.ensure(PingWriter.maxRecordSize(config.bodyLimit()));
    }

    void onStart(@Observes StartupEvent event) {
        writer.start(Duration.ofSeconds(30));
    }
}
