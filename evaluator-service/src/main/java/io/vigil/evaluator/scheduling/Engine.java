package io.vigil.evaluator.scheduling;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vigil.evaluator.config.EngineConfig;
import io.vigil.evaluator.messaging.KafkaTopology;
import io.vigil.outbox.OutboxRelay;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Starts the monitor engine with the service: topics, the outbox relay, the deadline sweep, the release pass of
 * dependencies and Vigil's own
 * heartbeat; stops them in reverse order. The ping consumer is a channel ({@code vigil-pings}) that the
 * messaging runtime starts and stops; it is off when the engine is.
 */
@ApplicationScoped
public class Engine {

    private final EngineConfig config;
    private final KafkaTopology topology;
    private final OutboxRelay relay;
    private final SweepLoop sweep;
    private final Heartbeat heartbeat;
    private final ReleaseLoop releases;

    public Engine(EngineConfig config, KafkaTopology topology, OutboxRelay relay, SweepLoop sweep, Heartbeat heartbeat,
                  ReleaseLoop releases) {
        this.config = config;
        this.topology = topology;
        this.relay = relay;
        this.sweep = sweep;
        this.heartbeat = heartbeat;
        this.releases = releases;
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            Log.info("monitor engine disabled");
            return;
        }
        int partitions = topology.pingPartitions();
        relay.start();
        sweep.start();
        releases.start();
        heartbeat.start();
        Log.infof("monitor engine started: %d partition(s) of pings", partitions);
    }

    void stop(@Observes ShutdownEvent event) {
        heartbeat.stop();
        releases.stop();
        sweep.stop();
        relay.stop();
    }
}
