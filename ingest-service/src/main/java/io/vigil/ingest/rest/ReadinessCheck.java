package io.vigil.ingest.rest;

import io.vigil.ingest.messaging.RegistryConsumer;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the token registry has been read to the end offsets seen at start; stays ready while
 * the broker is away (pings are then answered 503, which senders retry).
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    private final RegistryConsumer registry;

    public ReadinessCheck(RegistryConsumer registry) {
        this.registry = registry;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("token-registry").status(registry.caughtUp()).build();
    }
}
