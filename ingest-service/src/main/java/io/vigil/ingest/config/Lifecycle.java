package io.vigil.ingest.config;

import io.quarkus.runtime.ShutdownEvent;
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
 * start-up, priority {@code LIBRARY_BEFORE}), then the producer, which the watermark beat waits for;
 * at stop, flushes the producer briefly.
 */
@ApplicationScoped
public class Lifecycle {

    private final Topology topology;
    private final PingWriter writer;

    public Lifecycle(Topology topology, PingWriter writer) {
        this.topology = topology;
        this.writer = writer;
    }

    /** Before the messaging channels connect, so no client creates a topic by asking for it. */
    void ensureTopics(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        topology.ensure(writer.maxRecordSize());
    }

    void onStart(@Observes StartupEvent event) {
        writer.start(Duration.ofSeconds(30));
    }

    void onStop(@Observes ShutdownEvent event) {
        writer.stop(Duration.ofSeconds(2));
    }
}
