package io.vigil.evaluator.scheduling;

import io.vigil.evaluator.config.EngineConfig;
import io.vigil.evaluator.messaging.PingConsumer;
import io.vigil.outbox.OutboxRelay;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * {@code /q/health/live}: DOWN when one of the engine's loops died or stopped making progress (a pass or a
 * batch in hand for longer than {@link #STUCK_AFTER}), so an orchestrator restarts the instance. A loop that
 * keeps retrying because a dependency is away stays live: readiness says that.
 */
@Liveness
@ApplicationScoped
public class EngineLiveness implements HealthCheck {

    /** How long one pass of a loop, or one batch of pings, may take before the loop counts as stuck. */
    static final Duration STUCK_AFTER = Duration.ofMinutes(5);

    private final EngineConfig config;
    private final SweepLoop sweep;
    private final OutboxRelay relay;
    private final PingConsumer consumer;
    private final ReleaseLoop releases;

    public EngineLiveness(EngineConfig config, SweepLoop sweep, OutboxRelay relay, PingConsumer consumer,
                          ReleaseLoop releases) {
        this.config = config;
        this.sweep = sweep;
        this.relay = relay;
        this.consumer = consumer;
        this.releases = releases;
    }

    @Override
    public HealthCheckResponse call() {
        if (!config.enabled()) {
            return HealthCheckResponse.named("vigil-engine").up().withData("engine", "disabled").build();
        }
        boolean sweeping = sweep.live(STUCK_AFTER);
        boolean relaying = relay.live(STUCK_AFTER);
        boolean consuming = consumer.live(STUCK_AFTER);
        boolean releasing = releases.live(STUCK_AFTER);
        return HealthCheckResponse.named("vigil-engine").status(sweeping && relaying && consuming && releasing)
                .withData("sweep", sweeping ? "running" : "stopped or stuck")
                .withData("outbox-relay", relaying ? "running" : "stopped or stuck")
                .withData("ping-consumer", consuming ? "running" : "stuck")
                .withData("release", releasing ? "running" : "stopped or stuck").build();
    }
}
