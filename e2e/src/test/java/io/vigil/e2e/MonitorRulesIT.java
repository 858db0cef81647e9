package io.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.contracts.Json;
import io.vigil.testkit.HttpReceiver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
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

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private static HttpReceiver receiver;
    private static VigilStack vigil;
    private static AdminApi admin;

    @BeforeAll
    static void startVigil() {
        receiver = HttpReceiver.start();
        vigil = VigilStack.start();
        admin = vigil.admin();
    }

    @AfterAll
    static void stopVigil() {
        VigilStack.stop(vigil, receiver);
    }

    /** A monitor alerting {@code channel}, with {@code fields} on top of an hourly schedule: its JSON. */
    private static JsonNode monitor(String suffix, String channel, Map<String, Object> fields) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("name", "rules-" + suffix,
                "schedule", Map.of("type", "interval", "every", "PT1H"), "channels", List.of(channel)));
        body.putAll(fields);
        return admin.post("/monitors", body);
    }

    @Test
    void failedRunsAlertAtTheThresholdAndTooShortOrTooFrequentRunsAreFailures() {
        String s = unique();
        JsonNode threshold = monitor(s, webhook(s, List.of("DOWN", "UP")), Map.of("failureThreshold", 2));
        String url = threshold.get("pingUrl").asText();
        firstPing(url);
        assertThat(ping(url + "/fail")).isEqualTo(200);
        await("one failure counted").atMost(Duration.ofSeconds(20))
                .until(() -> admin.get("/monitors/" + threshold.get("id").asText()).get("consecutiveFailures").asInt() == 1);
        assertThat(ping(url + "/3")).isEqualTo(200);
        await("DOWN alert").atMost(Duration.ofSeconds(30)).until(() -> !alerts(s).isEmpty());
        assertThat(alertedStatuses(s)).containsExactly("DOWN");
        assertThat(alerts(s).get(0).get("reasonText").asText()).isEqualTo("exit status 3 (2 consecutive failures)");

        String shortRun = unique();
        String shortUrl = monitor(shortRun, webhook(shortRun, List.of("DOWN", "UP")), Map.of("minRuntime", "PT1M"))
                .get("pingUrl").asText();
        firstPing(shortUrl + "/start");
        assertThat(ping(shortUrl)).isEqualTo(200);
        await("run-too-short alert").atMost(Duration.ofSeconds(30)).until(() -> !alerts(shortRun).isEmpty());
        assertThat(alerts(shortRun).get(0).get("reason").asText()).isEqualTo("run-too-short");

        String frequent = unique();
        String frequentUrl = monitor(frequent, webhook(frequent, List.of("DOWN", "UP")), Map.of("minInterval", "PT1H"))
                .get("pingUrl").asText();
        firstPing(frequentUrl);
        assertThat(ping(frequentUrl)).isEqualTo(200);
        await("too-frequent alert").atMost(Duration.ofSeconds(30)).until(() -> !alerts(frequent).isEmpty());
        assertThat(alerts(frequent).get(0).get("reason").asText()).isEqualTo("too-frequent");
    }

    @Test
    void aSnoozeEndsByItselfAndTheMonitorIsWatchedFromThatMoment() {
        String s = unique();
        JsonNode monitor = monitor(s, webhook(s, List.of("DOWN", "UP")),
                Map.of("schedule", Map.of("type", "interval", "every", "PT5S"), "grace", "PT1S"));
        String id = monitor.get("id").asText();
        firstPing(monitor.get("pingUrl").asText());
        await("UP").atMost(Duration.ofSeconds(20)).until(() -> status(id).equals("UP"));
        JsonNode paused = admin.call("POST", "/monitors/" + id + "/pause", Map.of("for", "PT3S"), 200);
        java.time.Instant until = java.time.Instant.parse(paused.get("pausedUntil").asText());

        await("DOWN alert after the snooze").atMost(Duration.ofSeconds(30)).until(() -> !alerts(s).isEmpty());
        assertThat(alertedStatuses(s)).containsExactly("DOWN");
        assertThat(java.time.Instant.parse(alerts(s).get(0).get("occurredAt").asText())).isEqualTo(until.plusSeconds(6));
        assertThat(admin.flips(id)).extracting(flip -> flip.get("to").asText())
                .containsExactly("UP", "PAUSED", "UP", "LATE", "DOWN");
    }

    @Test
    void withManualResumeOnlyTheResumeEndsTheDown() {
        String s = unique();
        JsonNode monitor = monitor(s, webhook(s, List.of("DOWN", "UP")), Map.of("manualResume", true));
        String id = monitor.get("id").asText();
        String url = monitor.get("pingUrl").asText();
        firstPing(url + "/fail");
        await("DOWN alert").atMost(Duration.ofSeconds(30)).until(() -> !alerts(s).isEmpty());
        assertThat(ping(url)).isEqualTo(200);
        await("the success recorded").atMost(Duration.ofSeconds(20))
                .until(() -> admin.get("/monitors/" + id).get("pingCount").asInt() == 2);
        assertThat(status(id)).isEqualTo("DOWN");

        admin.call("POST", "/monitors/" + id + "/resume", null, 200);
        await("UP alert").atMost(Duration.ofSeconds(30)).until(() -> alerts(s).size() >= 2);
        assertThat(alertedStatuses(s)).containsExactly("DOWN", "UP");
        assertThat(alerts(s).get(1).get("reasonText").asText()).isEqualTo("resumed by hand");
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

    /** Pings {@code url} until ingest knows the new monitor's token (404 until its registry record arrives). */
    private static void firstPing(String url) {
        await("ingest knows the monitor").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> ping(url) == 200);
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
