package io.vigil.evaluator.rest;

import static io.vigil.evaluator.rest.Admin.full;
import static io.vigil.evaluator.rest.Admin.suffix;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vigil.contracts.ChannelChanged;
import io.vigil.contracts.ChannelType;
import io.vigil.contracts.Json;
import io.vigil.contracts.SecretsKeyring;
import io.vigil.contracts.Status;
import io.vigil.contracts.Topics;
import io.vigil.testkit.HttpReceiver;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = NotifierStandIn.class, restrictToAnnotatedClass = false)
class ChannelResourceTest {

    @Inject
    SecretsKeyring keys;

    private static final String PROBLEM = "application/problem+json";

    @Test
    void slackChannelIsMaskedInAnswersAndSealedOnKafka() throws Exception {
        String url = "https://203.0.113.7/services/T0/B0/" + suffix();
        JsonPath created = full().contentType(ContentType.JSON)
                .body(Map.of("name", "ops-slack", "type", "slack", "config", Map.of("webhookUrl", url), "remindEvery", "4h"))
                .post("/api/v1/channels").then().statusCode(201)
                .header("Location", org.hamcrest.Matchers.containsString("/api/v1/channels/"))
                .body("type", equalTo("slack")).body("config.webhookUrl", equalTo("https://203.0.113.7/****"))
                .body("notifyOn", equalTo(List.of("DOWN", "UP"))).body("remindEvery", equalTo("PT4H"))
                .extract().jsonPath();
        String id = created.getString("id");
        assertThat(full().get("/api/v1/channels/" + id).then().statusCode(200).extract().asString()).doesNotContain(url);
        assertThat(full().get("/api/v1/channels?limit=500").then().statusCode(200).extract().asString()).doesNotContain(url);

        List<byte[]> records = TopicReader.await(Topics.CHANNELS, id, values -> !values.isEmpty());
        // on the topic the settings are sealed: the webhook URL is not there to read
        assertThat(new String(records.get(0), StandardCharsets.UTF_8)).doesNotContain(url).doesNotContain("\"config\"");
        ChannelChanged changed = Json.read(records.get(0), ChannelChanged.class).openedWith(keys);
        assertThat(changed.type()).isEqualTo(ChannelType.SLACK);
        assertThat(changed.config()).containsEntry("webhookUrl", url);
        assertThat(changed.notifyOn()).containsExactly(Status.DOWN, Status.UP);
        assertThat(changed.remindEvery()).isEqualTo(Duration.ofHours(4));
        assertThat(changed.version()).isEqualTo(1);
    }

    @Test
    void aGetBodyPutBackKeepsTheSecretsAndBumpsTheVersion() throws Exception {
        Map<String, Object> config = new HashMap<>();
        config.put("url", "https://203.0.113.9/hooks/" + suffix());
        config.put("headers", Map.of("Authorization", "Bearer abc"));
        config.put("secret", "s3cret-" + suffix());
        String id = full().contentType(ContentType.JSON)
                .body(Map.of("name", "pager", "type", "webhook", "config", config, "notifyOn", List.of("down", "LATE", "UP")))
                .post("/api/v1/channels").then().statusCode(201)
                .body("config.url", equalTo("https://203.0.113.9/****")).body("config.secret", equalTo("****"))
                .body("config.headers.Authorization", equalTo("****")).body("config.method", equalTo("POST"))
                .body("notifyOn", equalTo(List.of("DOWN", "LATE", "UP")))
                .extract().path("id");
        String body = full().get("/api/v1/channels/" + id).then().extract().asString();
        String renamed = body.replace("\"name\":\"pager\"", "\"name\":\"pager-2\"");
        full().contentType(ContentType.JSON).body(renamed).put("/api/v1/channels/" + id).then().statusCode(200)
                .body("name", equalTo("pager-2")).body("config.secret", equalTo("****"));
        // a masked value that matches nothing stored is refused, never stored as the target
        full().contentType(ContentType.JSON)
                .body(Map.of("name", "pager-3", "type", "slack", "config", Map.of("webhookUrl", "https://203.0.113.9/****")))
                .put("/api/v1/channels/" + id).then().statusCode(400).body("errors.field", equalTo(List.of("config.webhookUrl")));
        Map<String, Object> maskedSecret = new HashMap<>(config);
        maskedSecret.put("secret", "****");
        full().contentType(ContentType.JSON).body(Map.of("name", "p", "type", "webhook", "config", maskedSecret))
                .post("/api/v1/channels").then().statusCode(400).body("errors.field", equalTo(List.of("config.secret")));
        List<byte[]> records = TopicReader.await(Topics.CHANNELS, id, values -> values.size() >= 2);
        assertThat(new String(records.get(records.size() - 1), StandardCharsets.UTF_8))
                .doesNotContain((String) config.get("secret")).doesNotContain("Bearer abc");
        ChannelChanged latest = Json.read(records.get(records.size() - 1), ChannelChanged.class).openedWith(keys);
        assertThat(latest.name()).isEqualTo("pager-2");
        assertThat(latest.version()).isEqualTo(2);
        assertThat(latest.config()).containsEntry("url", config.get("url")).containsEntry("secret", config.get("secret"))
                .containsEntry("headers", Map.of("Authorization", "Bearer abc"));
    }

    @Test
    void patchMergesAndCanChangeTheTarget() {
        String id = Admin.createSlackChannel();
        full().contentType("application/merge-patch+json").body("{\"notifyOn\":[\"DOWN\"],\"remindEvery\":\"every 30 minutes\"}")
                .patch("/api/v1/channels/" + id).then().statusCode(200)
                .body("notifyOn", equalTo(List.of("DOWN"))).body("remindEvery", equalTo("PT30M")).body("type", equalTo("slack"));
        String newUrl = "https://203.0.113.8/services/new-" + suffix();
        full().contentType(ContentType.JSON).body(Map.of("config", Map.of("webhookUrl", newUrl), "remindEvery", "")).patch("/api/v1/channels/" + id)
                .then().statusCode(400).body("errors.field", equalTo(List.of("remindEvery")));
        full().contentType(ContentType.JSON).body("{\"config\":{\"webhookUrl\":\"" + newUrl + "\"},\"remindEvery\":null}")
                .patch("/api/v1/channels/" + id).then().statusCode(200)
                .body("config.webhookUrl", equalTo("https://203.0.113.8/****")).body("remindEvery", nullValue());
        TopicReader.await(Topics.CHANNELS, id, values -> values.stream().anyMatch(value -> value != null
                && newUrl.equals(opened(value).config().get("webhookUrl"))));
    }

    private ChannelChanged opened(byte[] record) {
        try {
            return Json.read(record, ChannelChanged.class).openedWith(keys);
        } catch (SecretsKeyring.SealException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void everyChannelRuleNamesItsField() {
        refused(Map.of("name", "x", "type", "pigeon", "config", Map.of()), "type");
        refused(Map.of("type", "email", "config", Map.of("to", List.of("a@example.com"))), "name");
        refused(Map.of("name", "x", "type", "email"), "config");
        refused(Map.of("name", "x", "type", "email", "config", Map.of("to", List.of())), "config.to");
        refused(Map.of("name", "x", "type", "email", "config", Map.of("to", List.of("not-an-address"))), "config.to[0]");
        refused(Map.of("name", "x", "type", "email", "config", Map.of("to", List.of("a@example.com"), "cc", "b@example.com")), "config.cc");
        refused(Map.of("name", "x", "type", "slack", "config", Map.of()), "config.webhookUrl");
        refused(Map.of("name", "x", "type", "slack", "config", Map.of("webhookUrl", "ftp://203.0.113.7/x")), "config.webhookUrl");
        refused(Map.of("name", "x", "type", "teams", "config", Map.of("webhookUrl", "not a url")), "config.webhookUrl");
        refused(Map.of("name", "x", "type", "webhook", "config", Map.of("url", "https://203.0.113.7/x", "method", "DELETE")), "config.method");
        refused(Map.of("name", "x", "type", "webhook", "config", Map.of("url", "https://203.0.113.7/x", "headers", "h")), "config.headers");
        refused(Map.of("name", "x", "type", "slack", "config", Map.of("webhookUrl", "https://203.0.113.7/x"), "notifyOn", List.of("PAUSED")), "notifyOn");
        refused(Map.of("name", "x", "type", "slack", "config", Map.of("webhookUrl", "https://203.0.113.7/x"), "notifyOn", List.of()), "notifyOn");
        refused(Map.of("name", "x", "type", "slack", "config", Map.of("webhookUrl", "https://203.0.113.7/x"), "remindEvery", "10s"), "remindEvery");
        refused(Map.of("name", "x", "type", "slack", "config", Map.of("webhookUrl", "https://203.0.113.7/x"), "colour", "red"), "colour");
        full().contentType(ContentType.JSON).body(Map.of("name", "", "type", "slack", "config", Map.of("webhookUrl", "http://127.0.0.1/x")))
                .post("/api/v1/channels").then().statusCode(400).body("errors.field", containsInAnyOrder("name", "config.webhookUrl"));
    }

    @Test
    void privateTargetsAreRefused() {
        for (String url : List.of("http://127.0.0.1:9000/hook", "http://localhost/hook", "http://10.1.2.3/hook",
                "http://192.168.0.10/hook", "http://169.254.169.254/latest/meta-data", "http://[::1]/hook",
                "http://metadata.google.internal/x")) {
            String answer = full().contentType(ContentType.JSON)
                    .body(Map.of("name", "x", "type", "webhook", "config", Map.of("url", url)))
                    .post("/api/v1/channels").then().statusCode(400).contentType(PROBLEM)
                    .body("errors.field", equalTo(List.of("config.url"))).extract().asString();
            assertThat(answer).doesNotContain(url);
        }
    }

    @Test
    void deletingAChannelTombstonesItAndRemovesItFromMonitors() {
        String id = Admin.createSlackChannel();
        String kept = Admin.createEmailChannel();
        String monitor = Admin.createMonitor(Map.of("channels", List.of(id, kept))).getString("id");
        full().delete("/api/v1/channels/" + id).then().statusCode(204);
        full().get("/api/v1/channels/" + id).then().statusCode(404).contentType(PROBLEM);
        full().delete("/api/v1/channels/" + id).then().statusCode(404);
        full().get("/api/v1/monitors/" + monitor).then().statusCode(200).body("channels", equalTo(List.of(kept)));
        TopicReader.await(Topics.CHANNELS, id, values -> values.size() >= 2 && values.get(values.size() - 1) == null);
    }

    @Test
    void listPagesByCreationTime() {
        String a = Admin.createEmailChannel();
        String b = Admin.createEmailChannel();
        List<String> ids = full().get("/api/v1/channels?limit=500").then().statusCode(200).extract().jsonPath().getList("items.id");
        assertThat(ids.indexOf(a)).isLessThan(ids.indexOf(b));
        JsonPath first = full().get("/api/v1/channels?limit=1").then().statusCode(200).extract().jsonPath();
        assertThat(first.getList("items")).hasSize(1);
        JsonPath second = full().get("/api/v1/channels?limit=1&cursor=" + first.getString("nextCursor")).then().statusCode(200).extract().jsonPath();
        assertThat(second.getString("items[0].id")).isEqualTo(ids.get(1));
        full().get("/api/v1/channels?limit=501").then().statusCode(400);
    }

    @Test
    void testSendAnswersTheNotifiersOutcome() {
        HttpReceiver notifier = NotifierStandIn.receiver();
        String id = Admin.createSlackChannel();
        String path = "/internal/v1/channels/" + id + "/test";
        notifier.enqueue(HttpReceiver.Reply.status(200).withHeader("Content-Type", "application/json")
                .withBody("{\"status\":\"FAILED\",\"httpStatus\":404,\"error\":\"no_service\",\"durationMs\":87}"));
        full().post("/api/v1/channels/" + id + "/test").then().statusCode(200)
                .body("status", equalTo("FAILED")).body("httpStatus", equalTo(404)).body("error", equalTo("no_service"))
                .body("durationMs", equalTo(87));
        assertThat(notifier.requests(path)).hasSize(1);
        assertThat(notifier.requests(path).get(0).method()).isEqualTo("POST");
        assertThat(notifier.requests(path).get(0).header("X-Vigil-Internal-Token")).isEqualTo("test-internal-token-0123456789");

        notifier.enqueue(HttpReceiver.Reply.status(200).withHeader("Content-Type", "application/json")
                .withBody("{\"status\":\"SENT\",\"httpStatus\":200,\"error\":null,\"durationMs\":12}"));
        full().post("/api/v1/channels/" + id + "/test").then().statusCode(200)
                .body("status", equalTo("SENT")).body("error", nullValue());

        notifier.enqueue(HttpReceiver.Reply.status(404));
        full().post("/api/v1/channels/" + id + "/test").then().statusCode(503).contentType(PROBLEM);
        notifier.enqueue(HttpReceiver.Reply.status(500));
        full().post("/api/v1/channels/" + id + "/test").then().statusCode(502).contentType(PROBLEM);
        notifier.enqueue(HttpReceiver.Reply.status(200).withBody("<html>"));
        full().post("/api/v1/channels/" + id + "/test").then().statusCode(502);
        notifier.enqueue(HttpReceiver.Reply.status(200).withBody("{}").after(Duration.ofSeconds(4)));
        full().post("/api/v1/channels/" + id + "/test").then().statusCode(503).contentType(PROBLEM);
        notifier.enqueue(HttpReceiver.Reply.status(401));
        full().post("/api/v1/channels/" + id + "/test").then().statusCode(502).contentType(PROBLEM)
                .body("detail", equalTo("The notifier refused the internal token; give both services the same VIGIL_INTERNAL_TOKEN."));
        assertThat(notifier.requests(path)).hasSize(7);

        full().post("/api/v1/channels/" + UUID.randomUUID() + "/test").then().statusCode(404).contentType(PROBLEM);
    }

    private static void refused(Map<String, Object> body, String field) {
        full().contentType(ContentType.JSON).body(body).post("/api/v1/channels").then().statusCode(400).contentType(PROBLEM)
                .body("errors.field", hasItem(field));
    }
}
