package io.vigil.outbox;

import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the service's database, answered at once from the last probe. A Scheduler job asks the pool for a
 * connection and validates it every second; the check is UP while the newest probe succeeded less than
 * {@link #STALE_AFTER} ago. It replaces the datasource's own check, which asks the pool in the health request
 * itself: with the database away the pool waits its whole acquisition timeout (5 s) before failing, so
 * {@code /q/health/ready} gave no answer at all instead of a 503.
 */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {

    /** How old the last successful probe may be; a probe stuck in the pool's acquisition wait turns the check DOWN. */
    static final Duration STALE_AFTER = Duration.ofSeconds(5);

    private static final int VALIDATION_TIMEOUT_SECONDS = 2;

    private final AgroalDataSource dataSource;
    private volatile Instant lastSuccess;
    private volatile String lastFailure = "not probed yet";

    public DatabaseReadiness(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void probe() {
        try (Connection connection = dataSource.getConnection()) {
            if (connection.isValid(VALIDATION_TIMEOUT_SECONDS)) {
                lastSuccess = Instant.now();
                lastFailure = null;
            } else {
                lastFailure = "connection not valid";
            }
        } catch (SQLException | RuntimeException e) {
            lastFailure = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    @Override
    public HealthCheckResponse call() {
        Instant success = lastSuccess;
        String failure = lastFailure;
        boolean fresh = success != null && success.isAfter(Instant.now().minus(STALE_AFTER));
        var response = HealthCheckResponse.named("database").status(fresh && failure == null);
        if (success != null) {
            response.withData("lastSuccess", success.toString());
        }
        if (failure != null) {
            response.withData("lastFailure", failure);
        }
        return response.build();
    }
}
