package io.vigil.evaluator.scheduling;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vigil.evaluator.config.EngineConfig;
import io.vigil.evaluator.messaging.KafkaTopology;
import io.vigil.evaluator.messaging.PingConsumer;
import io.vigil.outbox.OutboxRelay;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Starts the monitor engine with the service: topics, the outbox relay, the deadline sweep, the ping
 * consumer and Vigil's own heartbeat; stops them in reverse order.
 */
@ApplicationScoped
public class Engine {

    private final EngineConfig config;
    private final KafkaTopology topology;
    private final OutboxRelay relay;
    private final SweepLoop sweep;
    private final PingConsumer consumer;
    private final Heartbeat heartbeat;

    public Engine(EngineConfig config, KafkaTopology topology, OutboxRelay relay, SweepLoop sweep,
                  PingConsumer consumer, Heartbeat heartbeat) {
        this.config = config;
        this.topology = topology;
        this.relay = relay;
        this.sweep = sweep;
        this.consumer = consumer;
        this.heartbeat = heartbeat;
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            Log.info("monitor engine disabled");
            return;
        }
        int partitions = topology.pingPartitions();
        relay.start();
        sweep.start();
        consumer.start();
        heartbeat.start();
        Log.infof("monitor engine started: %d partition(s) of pings", partitions);
    }

    void stop(@Observes ShutdownEvent event) {
        heartbeat.stop();
        consumer.stop();
        sweep.stop();
        relay.stop();
    }
}
