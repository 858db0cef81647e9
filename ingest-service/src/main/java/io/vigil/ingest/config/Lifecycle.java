package io.vigil.ingest.config;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vigil.ingest.messaging.PingWriter;
import io.vigil.ingest.messaging.RegistryFollower;
import io.vigil.ingest.messaging.Topology;
import io.vigil.ingest.scheduling.Watermarks;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;

/**
 * Starts the service's parts in order (topics, producer, registry follower, watermarks) and stops
 * them in reverse, flushing the producer briefly.
 */
@ApplicationScoped
public class Lifecycle {

    private final Topology topology;
    private final PingWriter writer;
    private final RegistryFollower follower;
    private final Watermarks watermarks;

    public Lifecycle(Topology topology, PingWriter writer, RegistryFollower follower, Watermarks watermarks) {
        this.topology = topology;
        this.writer = writer;
        this.follower = follower;
        this.watermarks = watermarks;
    }

    void onStart(@Observes StartupEvent event) {
        topology.ensure(writer.maxRecordSize());
        writer.start(Duration.ofSeconds(30));
        follower.start();
        watermarks.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        watermarks.stop();
        follower.stop();
        writer.stop(Duration.ofSeconds(2));
    }
}
