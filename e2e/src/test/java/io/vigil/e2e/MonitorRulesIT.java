package io.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.contracts.Json;
import io.vigil.testkit.FreePorts;
import io.vigil.testkit.HttpReceiver;
import io.vigil.testkit.SharedInfra;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The monitor rules of the state table's extensions (thresholds, run length, frequency, snooze, maintenance,
 * dependencies, manual resume, auto-provisioning) through the packaged services, as an operator sees them: each
 * rule's alert, or its absence, at a webhook receiver. The services are started once for the class; each test makes
 * its own channel and monitors, so the tests need no order.
 */
class MonitorRulesIT {

    private static final String ADMIN_KEY = "e2e-admin-" + UUID.randomUUID();
    private static final String INTERNAL_TOKEN = "e2e-internal-" + UUID.randomUUID();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private static HttpReceiver receiver;
    private static ServiceProcess ingest;
    private static ServiceProcess evaluator;
    private static ServiceProcess notifier;
    private static AdminApi admin;

    @BeforeAll
    static void startVigil() {
        receiver = HttpReceiver.start();
        int ingestPort = FreePorts.take();
        int evaluatorPort = FreePorts.take();
        int notifierPort = FreePorts.take();
        Map<String, String> env = StackEnv.of(SharedInfra.kafka().bootstrapServers(), SharedInfra.postgres().jdbcUrl(),
                ingestPort, evaluatorPort, notifierPort, ADMIN_KEY, INTERNAL_TOKEN);
        evaluator = ServiceProcess.start("evaluator-service", evaluatorPort, env);
        notifier = ServiceProcess.start("notifier-service", notifierPort, env);
        ingest = ServiceProcess.start("ingest-service", ingestPort, env);
        admin = new AdminApi(evaluator.baseUrl(), ADMIN_KEY);
    }

    @AfterAll
    static void stopVigil() {
        for (AutoCloseable closeable : new AutoCloseable[] {ingest, notifier, evaluator, receiver}) {
            if (closeable != null) {
                try {
                    closeable.close();
                } catch (Exception ignored) {
                    // stopping is best effort; the JVM's exit stops the rest
                }
            }
        }
    }

    /**
     * Rule 5, maintenance windows: a one-off window over a monitor's deadline holds its DOWN; a channel without
     * MAINTENANCE in notifyOn hears nothing of the window, one with it gets MAINTENANCE at the window's start and UP at
     * its end; after the window a missed deadline alerts DOWN again, at both.
     */
    @Test
    void aMaintenanceWindowOverTheDeadlineHoldsTheDownAndOnlyMaintenanceChannelsHearOfIt() {
        String suffix = unique();
        String plain = webhook(suffix + "-plain", List.of("DOWN", "UP"));
        String follows = webhook(suffix + "-maint", List.of("DOWN", "UP", "MAINTENANCE"));
        JsonNode monitor = admin.post("/monitors", Map.of("name", "maint-" + suffix,
                "schedule", Map.of("type", "interval", "every", "PT2S"), "grace", "PT1S", "channels", List.of(plain, follows)));
        String id = monitor.get("id").asText();
        // 404 until ingest has the monitor's token; the first 200 is its success
        await("first ping accepted").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> ping(monitor.get("pingUrl").asText()) == 200);
        // due 2 s after the ping, DOWN 1 s later: the window opens before the due time and closes after the DOWN
        Instant start = Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.MILLIS);
        Instant end = start.plusSeconds(4);
        JsonNode patched = admin.call("PATCH", "/monitors/" + id,
                Map.of("maintenance", List.of(Map.of("start", start.toString(), "end", end.toString()))), 200);
        assertThat(Instant.parse(patched.get("nextMaintenance").get("start").asText())).isEqualTo(start);
        assertThat(Instant.parse(patched.get("nextMaintenance").get("end").asText())).isEqualTo(end);

        await("DOWN after the window").atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200))
                .until(() -> alertedStatuses(suffix + "-plain").contains("DOWN")
                        && alertedStatuses(suffix + "-maint").contains("DOWN"));
        assertThat(alertedStatuses(suffix + "-plain")).as("no MAINTENANCE, no recovery from the window")
                .containsExactly("DOWN");
        assertThat(alertedStatuses(suffix + "-maint")).containsExactly("MAINTENANCE", "UP", "DOWN");
        List<JsonNode> heard = alerts(suffix + "-maint");
        assertThat(Instant.parse(heard.get(0).get("occurredAt").asText())).isEqualTo(start);
        assertThat(heard.get(0).get("reason").asText()).isEqualTo("maintenance");
        assertThat(Instant.parse(heard.get(1).get("occurredAt").asText())).isEqualTo(end);
        assertThat(heard.get(1).get("reason").asText()).isEqualTo("maintenance-ended");
        assertThat(Instant.parse(heard.get(2).get("occurredAt").asText())).as("due one period after the end, plus grace")
                .isEqualTo(end.plusSeconds(3));
        assertThat(status(id)).isEqualTo("DOWN");
    }

    /** A short random suffix that keeps one test's names, slugs and receiver paths apart from another's. */
    private static String unique() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    /**
     * A webhook channel whose requests arrive at the receiver under {@code /hook/<suffix>}, known to the notifier
     * (its test send went through) when this returns.
     *
     * @return the channel id
     */
    private static String webhook(String suffix, List<String> notifyOn) {
        String id = admin.post("/channels", Map.of("name", "rules-" + suffix, "type", "webhook",
                "config", Map.of("url", receiver.url("/hook/" + suffix)), "notifyOn", notifyOn)).get("id").asText();
        // 503 until the notifier has the channel from the topic
        await("channel known to the notifier").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> admin.send("POST", "/channels/" + id + "/test", null).statusCode() == 200);
        return id;
    }

    /** The alerts (not test sends or reminders) that reached {@code /hook/<suffix>}, oldest first, as JSON. */
    private static List<JsonNode> alerts(String suffix) {
        return receiver.requests("/hook/" + suffix).stream()
                .map(request -> readTree(request.bodyText()))
                .filter(body -> "alert".equals(body.path("type").asText()))
                .toList();
    }

    /** The statuses the alerts at {@code /hook/<suffix>} announced, oldest first. */
    private static List<String> alertedStatuses(String suffix) {
        return alerts(suffix).stream().map(body -> body.get("status").asText()).toList();
    }

    private static String status(String monitorId) {
        return admin.get("/monitors/" + monitorId).get("status").asText();
    }

    /** One ping through ingest: its HTTP status. */
    private static int ping(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode readTree(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
