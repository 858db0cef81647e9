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
import java.util.ArrayList;
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
     * Dependencies: a parent and three dependents on one webhook channel. The parent goes DOWN, then the dependents:
     * only the parent's DOWN alerts (the dependents' are held, shown as SUPPRESSED with the parent). One dependent
     * recovers meanwhile and sends nothing; when the parent is UP again, the two still DOWN alert once each, saying
     * which parent held them.
     */
    @Test
    void dependentsOfADownParentAlertOnlyIfStillDownWhenItIsBack() {
        String suffix = unique();
        String channel = webhook(suffix, List.of("DOWN", "UP"));
        Map<String, Object> schedule = Map.of("type", "interval", "every", "PT1H");
        JsonNode parent = admin.post("/monitors", Map.of("name", "db-" + suffix, "schedule", schedule, "channels", List.of(channel)));
        String parentId = parent.get("id").asText();
        List<JsonNode> dependents = new ArrayList<>();
        for (String name : List.of("app-", "web-", "api-")) {
            dependents.add(admin.post("/monitors", Map.of("name", name + suffix, "schedule", schedule,
                    "channels", List.of(channel), "dependsOn", List.of(parentId))));
        }
        assertThat(dependents.get(0).get("dependsOn").get(0).asText()).isEqualTo(parentId);
        String parentUrl = parent.get("pingUrl").asText();
        assertThat(ping(parentUrl)).isEqualTo(200);
        dependents.forEach(d -> assertThat(ping(d.get("pingUrl").asText())).isEqualTo(200));
        await().atMost(Duration.ofSeconds(20)).until(() -> "UP".equals(status(parentId))
                && dependents.stream().allMatch(d -> "UP".equals(status(d.get("id").asText()))));

        assertThat(ping(parentUrl + "/fail")).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> "DOWN".equals(status(parentId)));
        dependents.forEach(d -> assertThat(ping(d.get("pingUrl").asText() + "/fail")).isEqualTo(200));
        // every dependent's DOWN reached the notifier and was held there
        await().atMost(Duration.ofSeconds(20)).until(() -> dependents.stream().allMatch(d -> {
            JsonNode items = admin.get("/monitors/" + d.get("id").asText() + "/notifications").get("items");
            return items.size() == 1 && "SUPPRESSED".equals(items.get(0).get("status").asText())
                    && parentId.equals(items.get(0).get("suppressedBy").asText());
        }));
        JsonNode heldFlip = admin.get("/monitors/" + dependents.get(0).get("id").asText() + "/flips").get("items").get(0);
        assertThat(heldFlip.get("to").asText()).isEqualTo("DOWN");
        assertThat(heldFlip.get("suppressedBy").asText()).isEqualTo(parentId);
        await().atMost(Duration.ofSeconds(10)).until(() -> heard(suffix).size() >= 1);
        assertThat(heard(suffix).stream().map(a -> a.get("status").asText()).toList()).containsExactly("DOWN");
        assertThat(heard(suffix).get(0).get("monitor").get("id").asText()).isEqualTo(parentId);

        JsonNode recovered = dependents.get(1);
        assertThat(ping(recovered.get("pingUrl").asText())).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> "UP".equals(status(recovered.get("id").asText())));
        assertThat(ping(parentUrl)).isEqualTo(200);

        await().atMost(Duration.ofSeconds(20)).until(() -> heard(suffix).size() == 4);
        List<JsonNode> alerts = heard(suffix);
        assertThat(alerts.subList(1, 4)).extracting(a -> a.get("monitor").get("id").asText() + ":" + a.get("status").asText())
                .containsExactlyInAnyOrder(parentId + ":UP", dependents.get(0).get("id").asText() + ":DOWN",
                        dependents.get(2).get("id").asText() + ":DOWN");
        alerts.stream().filter(a -> !parentId.equals(a.get("monitor").get("id").asText())).forEach(a ->
                assertThat(a.get("reasonText").asText()).isEqualTo("failure signal (held while db-" + suffix + " was down)"));
        // nothing more comes: the recovered dependent's held DOWN and its UP send nothing
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> heard(suffix).size() == 4);
        assertThat(heard(suffix)).noneMatch(a -> recovered.get("id").asText().equals(a.get("monitor").get("id").asText()));
    }

    /** {@link #alerts}, once per eventId: a send repeated after a crash or a lost lease is the same alert. */
    private static List<JsonNode> heard(String suffix) {
        Map<String, JsonNode> distinct = new java.util.LinkedHashMap<>();
        alerts(suffix).forEach(alert -> distinct.putIfAbsent(alert.get("eventId").asText(), alert));
        return List.copyOf(distinct.values());
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
