package io.vigil.ingest.health;

import io.vigil.ingest.config.IngestConfig;
import io.vigil.ingest.messaging.RegistryConsumer;
import io.vigil.ingest.scheduling.Watermarks;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * DOWN when one of the service's loops stopped moving for {@code vigil.ingest.liveness-timeout}: the
 * watermark job, the token registry consumer's polling thread, or its record applier stuck in one
 * batch. A broker outage stops none of them (they keep running and retrying), so it never turns this
 * DOWN. A channel the connector gave up on is reported by the connector's own liveness check.
 */
@Liveness
@ApplicationScoped
public class LivenessCheck implements HealthCheck {

    private final List<Progress> loops = new ArrayList<>();
    private final IngestConfig config;

    public LivenessCheck(Watermarks watermarks, RegistryConsumer registry, IngestConfig config) {
        this.config = config;
        loops.add(watermarks.progress());
        loops.addAll(registry.progress());
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("ingest-loops").up();
        for (Progress loop : loops) {
            String stall = loop.stall(config.livenessTimeout());
            if (stall != null) {
                response.down().withData(loop.name(), stall);
            }
        }
        return response.build();
    }
}
