package io.vigil.evaluator.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vigil.contracts.Json;
import io.vigil.contracts.PingReceived;
import io.vigil.contracts.PingType;
import io.vigil.contracts.Topics;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import io.vigil.testkit.SharedInfra;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/** The monitors list, the monitor form and the monitor page, through the console's forms as a browser sends them. */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
class MonitorsPageTest {

    private static final String KEY = "Bearer test-admin-key-0123456789abcdef";
    private static final Pattern MONITOR_URL = Pattern.compile("/monitors/([0-9a-f-]{36})");

    @Test
    void aMonitorMadeWithTheFormIsListedNewThenUpAfterAPingWithItsBodyInTheLog() throws Exception {
        ConsoleSession admin = ConsoleSession.admin();
        String name = "backup " + suffix();
        String tag = "t" + suffix();
        String id = create(admin, form(name, Map.of("tags", tag + " nightly", "every", "5m", "grace", "2m")));

        String page = admin.get("/monitors/" + id + "?done=created").then().statusCode(200).extract().asString();
        String token = api().get("/api/v1/monitors/" + id).then().extract().path("token");
        assertThat(page).contains("Monitor created.").contains("id=\"ping-url\">http://localhost:8080/ping/" + token + "<")
                .contains("/ext/heartbeat/").contains("/api/push/" + token).contains(">NEW<");
        String list = admin.get("/monitors?tag=" + tag).then().statusCode(200).extract().asString();
        assertThat(list).contains("data-monitor=\"" + id + "\"").contains(name).contains("every 5 minutes")
                .contains("after the first ping");

        publish(id, new PingReceived(PingReceived.SCHEMA, UUID.randomUUID(), UUID.fromString(id), PingType.SUCCESS, null,
                null, Instant.now(), "POST", "https", "203.0.113.5", "curl/8.5", "text/plain",
                "backup done: 42 files".getBytes(StandardCharsets.UTF_8), 21));

        // the live part of the page, as htmx asks for it every few seconds
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                admin.request().header("HX-Request", "true").get("/monitors/" + id + "/live").asString()).contains(">UP<"));
        String live = admin.request().header("HX-Request", "true").get("/monitors?tag=" + tag).then().statusCode(200)
                .extract().asString();
        assertThat(live).startsWith("<div id=\"live\"").doesNotContain("<html").contains(">UP<");
        page = admin.get("/monitors/" + id).asString();
        assertThat(page).contains("class=\"event ping\"").contains("curl/8.5").contains("class=\"event flip\"");
        Matcher body = Pattern.compile("class=\"ping-body\" href=\"(/monitors/" + id + "/pings/\\d+)\"").matcher(page);
        assertThat(body.find()).isTrue();
        assertThat(admin.get(body.group(1)).then().statusCode(200).extract().asString())
                .contains("<pre id=\"ping-body\">backup done: 42 files</pre>");
    }

    @Test
    void theEventLogShowsANotificationWithItsChannelAndEveryAttempt() throws Exception {
        ConsoleSession admin = ConsoleSession.admin();
        String channelName = "ops-" + suffix();
        String channel = api().contentType(ContentType.JSON).body(Map.of("name", channelName, "type", "slack",
                        "config", Map.of("webhookUrl", "https://203.0.113.7/services/T0/B0/" + suffix())))
                .post("/api/v1/channels").then().statusCode(201).extract().path("id");
        String id = create(admin, form("notified " + suffix(), Map.of("channels", channel)));
        UUID delivery = UUID.randomUUID();
        Instant at = Instant.now();
        publish(id, attempt(delivery, id, channel, "PENDING", at, "retry", 503, "HTTP 503 from Slack"));
        publish(id, attempt(delivery, id, channel, "SENT", at.plusSeconds(2), "delivered", 200, null));

        String page = await().atMost(Duration.ofSeconds(20)).until(() -> admin.get("/monitors/" + id).asString(),
                html -> html.contains("2 attempts"));
        assertThat(page).contains("class=\"event notification\"").contains("alert to " + channelName)
                .contains("<strong>sent</strong>").contains("retry (HTTP 503) · HTTP 503 from Slack")
                .contains("delivered (HTTP 200)");
    }

    private static io.vigil.contracts.DeliveryAttempted attempt(UUID delivery, String monitor, String channel, String status,
                                                                Instant at, String outcome, Integer http, String error) {
        return new io.vigil.contracts.DeliveryAttempted(io.vigil.contracts.DeliveryAttempted.SCHEMA, UUID.randomUUID(),
                delivery, UUID.randomUUID(), UUID.fromString(monitor), UUID.fromString(channel),
                io.vigil.contracts.ChannelType.SLACK, "alert", status, at, outcome, http, error, 120);
    }

    @Test
    void aRefusedFormComesBackWithTheApiMessagesAndTheTypedValues() {
        ConsoleSession admin = ConsoleSession.admin();
        String name = "refused " + suffix();
        Response refused = admin.post("/monitors/new", form(name, Map.of("every", "soon", "tags", "bad tag!", "grace", "-5m")));
        String html = refused.then().statusCode(400).contentType(ContentType.HTML).extract().asString();
        assertThat(html).contains("value=\"" + name + "\"").contains("value=\"soon\"").contains("id=\"every-error\"")
                .contains("id=\"tags-error\"").contains("id=\"grace-error\"").contains("Nothing was saved.");
        assertThat(api().queryParam("limit", "500").get("/api/v1/monitors").asString()).doesNotContain(name);

        String cron = admin.post("/monitors/new", form(name, Map.of("scheduleType", "cron", "expression", "0 0 30 2 *")))
                .then().statusCode(400).extract().asString();
        assertThat(cron).contains("id=\"expression-error\"").contains("never fires");
    }

    @Test
    void editingKeepsWhatTheFormDoesNotShowAndThePreviewListsFiveDueTimes() {
        ConsoleSession admin = ConsoleSession.admin();
        String id = api().contentType(ContentType.JSON).body(Map.of("name", "rules " + suffix(), "failureThreshold", 3,
                        "schedule", Map.of("type", "interval", "every", "PT1H"))).post("/api/v1/monitors")
                .then().statusCode(201).extract().path("id");
        String edit = admin.get("/monitors/" + id + "/edit").then().statusCode(200).extract().asString();
        assertThat(edit).contains("value=\"1h\"").contains("action=\"/monitors/" + id + "/edit\"");

        Map<String, Object> cron = form("nightly " + suffix(), Map.of("scheduleType", "cron", "expression", "30 2 * * *",
                "timezone", "Europe/Oslo"));
        admin.post("/monitors/" + id + "/edit", cron).then().statusCode(303);
        JsonPath saved = api().get("/api/v1/monitors/" + id).then().extract().jsonPath();
        assertThat(saved.getString("schedule.expression")).isEqualTo("30 2 * * *");
        assertThat(saved.getString("schedule.timezone")).isEqualTo("Europe/Oslo");
        assertThat(saved.getInt("failureThreshold")).isEqualTo(3);
        assertThat(admin.get("/monitors/" + id).asString()).contains("02:30 Europe/Oslo daily");

        String preview = admin.request().queryParam("scheduleType", "cron").queryParam("expression", "30 2 * * *")
                .queryParam("timezone", "Europe/Oslo").get("/monitors/preview").then().statusCode(200).extract().asString();
        assertThat(Pattern.compile("<li><time datetime=\"[^\"]+T01:30:00Z\"").matcher(preview).results().count())
                .as(preview).isEqualTo(5);
        assertThat(admin.request().queryParam("scheduleType", "cron").queryParam("expression", "61 * * * *")
                .get("/monitors/preview").asString()).contains("Next due times:").doesNotContain("<ol>");
    }

    @Test
    void pauseResumeRotateAndDeleteWorkFromThePage() {
        ConsoleSession admin = ConsoleSession.admin();
        String id = create(admin, form("actions " + suffix(), Map.of()));
        String token = api().get("/api/v1/monitors/" + id).then().extract().path("token");

        admin.post("/monitors/" + id + "/pause", Map.of()).then().statusCode(303);
        assertThat(api().get("/api/v1/monitors/" + id).then().extract().<String>path("status")).isEqualTo("PAUSED");
        assertThat(admin.get("/monitors/" + id + "?done=paused").asString()).contains("/resume\"").contains("Paused:");
        admin.post("/monitors/" + id + "/resume", Map.of()).then().statusCode(303);
        assertThat(api().get("/api/v1/monitors/" + id).then().extract().<String>path("status")).isNotEqualTo("PAUSED");
        // resuming a monitor that is not paused: an HTML page saying so
        assertThat(admin.post("/monitors/" + id + "/resume", Map.of()).then().statusCode(409).contentType(ContentType.HTML)
                .extract().asString()).contains("not paused");

        admin.post("/monitors/" + id + "/rotate-token", Map.of()).then().statusCode(303);
        assertThat(api().get("/api/v1/monitors/" + id).then().extract().<String>path("token")).isNotEqualTo(token);

        admin.post("/monitors/" + id + "/delete", Map.of()).then().statusCode(303).header("Location", Matchers.endsWith("/monitors"));
        assertThat(admin.get("/monitors/" + id).then().statusCode(404).contentType(ContentType.HTML).extract().asString())
                .contains("No monitor with id");
    }

    @Test
    void aReadOnlyUserSeesNoPingUrlOrTokenAndCannotChangeAnything() {
        String password = "read-only-password-" + suffix();
        ConsoleSession reader = ConsoleSession.signIn(ConsoleSession.newUser("read-only", password), password);
        JsonPath monitor = api().contentType(ContentType.JSON).body(Map.of("name", "secret " + suffix(),
                "schedule", Map.of("type", "interval", "every", "PT5M"))).post("/api/v1/monitors").then().statusCode(201)
                .extract().jsonPath();
        String id = monitor.getString("id");
        String token = monitor.getString("token");
        for (String path : List.of("/monitors", "/monitors/" + id)) {
            assertThat(reader.get(path).then().statusCode(200).extract().asString()).doesNotContain(token)
                    .doesNotContain("/ping/").doesNotContain("ping-url").doesNotContain("/pause\"");
        }
        reader.get("/monitors/new").then().statusCode(403).contentType(ContentType.HTML);
        reader.get("/monitors/" + id + "/edit").then().statusCode(403);
        assertThat(reader.post("/monitors/" + id + "/pause", Map.of()).then().statusCode(403).contentType(ContentType.HTML)
                .extract().asString()).contains("read-only");
        assertThat(api().get("/api/v1/monitors/" + id).then().extract().<String>path("status")).isEqualTo("NEW");
    }

    @Test
    void theListFiltersBySearchTagAndStatusAndCountsEachStatus() {
        ConsoleSession admin = ConsoleSession.admin();
        String word = "needle" + suffix();
        String tag = "f" + suffix();
        String found = create(admin, form("A " + word.toUpperCase() + " job", Map.of("tags", tag)));
        String other = create(admin, form("another " + suffix(), Map.of("tags", tag)));
        admin.post("/monitors/" + other + "/pause", Map.of()).then().statusCode(303);

        String search = admin.request().queryParam("q", word).get("/monitors").then().statusCode(200).extract().asString();
        assertThat(search).contains(found).doesNotContain(other);
        String paused = admin.request().queryParam("tag", tag).queryParam("status", "paused").get("/monitors").asString();
        assertThat(paused).contains(other).doesNotContain("data-monitor=\"" + found + "\"");
        assertThat(admin.request().queryParam("tag", tag).get("/monitors").asString()).contains(found).contains(other)
                .containsPattern("class=\"status paused\">PAUSED</span> <strong>\\d+</strong>");
        assertThat(admin.request().queryParam("q", "no such monitor " + suffix()).get("/monitors").asString())
                .contains("No monitor matches the filter.");
        admin.request().queryParam("status", "sleepy").get("/monitors").then().statusCode(400).contentType(ContentType.HTML);
        admin.request().queryParam("q", "a\u0000b").get("/monitors").then().statusCode(200);
    }

    @Test
    void aPostThatIsNotAFormIsRefusedWithoutSavingAndWithoutApiAdvice() {
        ConsoleSession admin = ConsoleSession.admin();
        String name = "multipart " + suffix();
        String answer = admin.request().multiPart("name", name).multiPart("_csrf", admin.csrf()).post("/monitors/new")
                .then().statusCode(org.hamcrest.Matchers.anyOf(Matchers.is(403), Matchers.is(415))).extract().asString();
        assertThat(answer).contains("The console takes forms only.").doesNotContain("application/json");
        assertThat(api().queryParam("limit", "500").get("/api/v1/monitors").asString()).doesNotContain(name);
    }

    private static String create(ConsoleSession session, Map<String, Object> form) {
        String location = session.post("/monitors/new", form).then().statusCode(303).extract().header("Location");
        Matcher matcher = MONITOR_URL.matcher(location);
        assertThat(matcher.find()).as(location).isTrue();
        return matcher.group(1);
    }

    private static Map<String, Object> form(String name, Map<String, Object> overrides) {
        Map<String, Object> form = new HashMap<>();
        form.put("name", name);
        form.put("scheduleType", "interval");
        form.put("every", "5m");
        form.put("expression", "0 3 * * *");
        form.put("timezone", "UTC");
        form.putAll(overrides);
        return form;
    }

    private static io.restassured.specification.RequestSpecification api() {
        return given().header("Authorization", KEY);
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static void publish(String key, Object event) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.kafka().bootstrapServers());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            String topic = event instanceof io.vigil.contracts.DeliveryAttempted ? Topics.DELIVERIES : Topics.PINGS;
            producer.send(new ProducerRecord<>(topic, key, Json.write(event))).get();
        }
    }
}
