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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
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

    @Test
    void autoProvisioningMakesOneMonitorOfTenSimultaneousFirstPingsWithTheKeysDefaultsAndAlertsItsChannel() {
        String suffix = unique();
        String channel = webhook(suffix, List.of("DOWN", "UP"));
        String tag = "auto-" + suffix;
        JsonNode key = admin.post("/ping-keys", Map.of("name", "auto " + suffix, "defaults", Map.of(
                "schedule", Map.of("type", "interval", "every", "PT2S"), "grace", "PT1S",
                "channels", List.of(channel), "tags", List.of(tag))));
        String base = key.get("pingUrl").asText().replace("/{slug}", "");
        // the key has reached ingest once a monitor made through the admin API answers under it
        String known = "known-" + suffix;
        admin.post("/monitors", Map.of("name", known, "slug", known, "schedule", Map.of("type", "interval", "every", "PT1H")));
        await("ping key known to ingest").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> ping(base + "/" + known + "/log") == 200);
        assertThat(ping(base + "/unknown-" + suffix)).isEqualTo(404);
        assertThat(ping(base + "/Not.A.Slug?create=1")).isEqualTo(400);
        assertThat(ping(base.replace("/ping/", "/ping/x") + "/" + known)).isEqualTo(404);

        String slug = "job-" + suffix;
        ExecutorService senders = Executors.newFixedThreadPool(10);
        List<Integer> answers;
        try {
            List<CompletableFuture<Integer>> sent = IntStream.range(0, 10).mapToObj(i -> CompletableFuture.supplyAsync(
                    () -> ping(base + "/" + slug + "?create=1"), senders)).toList();
            answers = sent.stream().map(CompletableFuture::join).toList();
        } finally {
            senders.shutdown();
        }
        // 201 while ingest does not know the slug; a sender that came after the monitor reached ingest gets 200
        assertThat(answers).containsAnyOf(201).allMatch(code -> code == 201 || code == 200);

        await("one monitor with ten pings").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> admin.monitors(tag).size() == 1 && admin.monitors(tag).get(0).get("pingCount").asLong() == 10);
        JsonNode monitor = admin.monitors(tag).get(0);
        assertThat(monitor.get("slug").asText()).isEqualTo(slug);
        assertThat(monitor.get("status").asText()).isEqualTo("UP");
        assertThat(monitor.get("schedule").get("every").asText()).isEqualTo("PT2S");
        assertThat(monitor.get("grace").asText()).isEqualTo("PT1S");
        assertThat(monitor.get("channels").get(0).asText()).isEqualTo(channel);

        await("DOWN alert at the webhook").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> alerts(suffix).stream().anyMatch(alert -> alert.get("status").asText().equals("DOWN")
                        && alert.get("monitor").get("slug").asText().equals(slug)));
        assertThat(status(monitor.get("id").asText())).isEqualTo("DOWN");
        assertThat(ping(base + "/" + slug + "/fail?create=1")).isEqualTo(200);
        assertThat(admin.monitors(tag)).hasSize(1);
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
