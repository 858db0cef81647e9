package io.vigil.evaluator.web;

import static io.vigil.evaluator.web.Api.full;
import static io.vigil.evaluator.web.Api.suffix;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vigil.contracts.ChannelType;
import io.vigil.contracts.DeliveryAttempted;
import io.vigil.evaluator.rest.NotifierStandIn;
import io.vigil.evaluator.service.Channels;
import io.vigil.evaluator.service.Notifications;
import io.vigil.testkit.HttpReceiver;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = NotifierStandIn.class, restrictToAnnotatedClass = false)
class ChannelsPageTest {

    private static final String PASSWORD = "a long enough password";

    @Inject
    Channels channels;

    @Inject
    Notifications notifications;

    @Test
    void aSlackChannelIsCreatedEditedAndDeletedThroughTheForms() {
        ConsoleSession admin = ConsoleSession.admin();
        admin.get("/channels").then().statusCode(200).body(containsString("href=\"/channels/new\""))
                .body(containsString("href=\"/channels/new?type=slack\""));
        admin.get("/channels/new").then().statusCode(200).body(containsString("href=\"/channels/new?type=webhook\""));
        String form = admin.get("/channels/new?type=slack").then().statusCode(200).extract().asString();
        assertThat(form).contains("name=\"name\"", "name=\"config.webhookUrl\"", "<label for=\"config.webhookUrl\">",
                "name=\"notifyOn\" value=\"DOWN\" checked", "button type=\"submit\"", "action=\"/channels\"");

        String name = "ops-" + suffix();
        String url = "https://203.0.113.7/services/T0/B0/" + suffix();
        Map<String, Object> fields = new HashMap<>(Map.of("type", "slack", "name", name, "config.webhookUrl", url,
                "notifyOn", List.of("DOWN", "UP", "LATE"), "remindEvery", "4h"));
        admin.post("/channels", fields).then().statusCode(303).header("Location", endsWith("/channels"));
        String id = Api.idOf("/api/v1/channels", "name", name);
        assertThat(id).isNotNull();
        full().get("/api/v1/channels/" + id).then().statusCode(200)
                .body("notifyOn", org.hamcrest.Matchers.equalTo(List.of("DOWN", "UP", "LATE")))
                .body("remindEvery", org.hamcrest.Matchers.equalTo("PT4H"));

        String list = admin.get("/channels").then().statusCode(200).extract().asString();
        assertThat(list).contains("data-channel=\"" + id + "\"", name).doesNotContain(url);

        String page = admin.get("/channels/" + id).then().statusCode(200).extract().asString();
        assertThat(page).contains("https://203.0.113.7/****", "action=\"/channels/" + id + "\"", "action=\"/channels/" + id + "/test\"",
                "action=\"/channels/" + id + "/delete\"", "data-confirm=").doesNotContain(url);

        // the form sent back as shown, renamed: the masked URL keeps the stored one
        Map<String, Object> edit = new HashMap<>(Map.of("name", name + "-renamed", "config.webhookUrl", "https://203.0.113.7/****",
                "notifyOn", List.of("DOWN")));
        admin.post("/channels/" + id, edit).then().statusCode(303).header("Location", endsWith("/channels"));
        full().get("/api/v1/channels/" + id).then().statusCode(200).body("name", org.hamcrest.Matchers.equalTo(name + "-renamed"))
                .body("notifyOn", org.hamcrest.Matchers.equalTo(List.of("DOWN"))).body("remindEvery", org.hamcrest.Matchers.nullValue());
        assertThat(Channels.config(channels.get(UUID.fromString(id))).get("webhookUrl").asText()).isEqualTo(url);

        admin.post("/channels/" + id + "/delete", Map.of()).then().statusCode(303).header("Location", endsWith("/channels"));
        full().get("/api/v1/channels/" + id).then().statusCode(404);
        admin.get("/channels/" + id).then().statusCode(404).contentType(containsString("text/html"));
    }

    @Test
    void everyTypeHasAFormWithOneLabelledInputPerConfigField() {
        ConsoleSession admin = ConsoleSession.admin();
        for (ChannelType type : ChannelType.values()) {
            String form = admin.get("/channels/new?type=" + type.json()).then().statusCode(200).extract().asString();
            for (String field : type.definition().fieldNames()) {
                assertThat(form).as(type + " " + field).contains("<label for=\"config." + field + "\">", "name=\"config." + field + "\"");
            }
        }
        String webhook = admin.get("/channels/new?type=webhook").then().statusCode(200).extract().asString();
        assertThat(webhook).contains("<select id=\"config.method\"", "<option value=\"POST\" selected>", "<textarea id=\"config.headers\"",
                "type=\"password\" value=\"\"");
        admin.get("/channels/new?type=carrier-pigeon").then().statusCode(400).body(containsString("There is no channel type"));
    }

    @Test
    void aRefusedFormIsShownAgainWithTheApisMessagesAndNoSecret() {
        ConsoleSession admin = ConsoleSession.admin();
        String secret = "s3cret-" + suffix();
        Response refused = admin.post("/channels", Map.of("type", "webhook", "name", " ", "config.url", "ftp://203.0.113.9/hook",
                "config.secret", secret, "config.headers", "Authorization: Bearer " + secret + "\nnot a header line", "notifyOn", "DOWN"));
        refused.then().statusCode(400).contentType(containsString("text/html"));
        String html = refused.asString();

        // the API refuses the same body for the same reasons, in the same words
        Map<String, Object> config = Map.of("url", "ftp://203.0.113.9/hook", "secret", secret);
        String apiUrlMessage = full().contentType(ContentType.JSON)
                .body(Map.of("type", "webhook", "name", "x", "config", config)).post("/api/v1/channels")
                .then().statusCode(400).extract().path("errors.find { it.field == 'config.url' }.message");
        assertThat(html).contains("id=\"name-error\"", "Name must not be blank", "id=\"config.url-error\"", "URL " + apiUrlMessage,
                "id=\"config.headers-error\"", "line 2 is not", "aria-invalid=\"true\" aria-describedby=\"name-error\"",
                "value=\" \"").doesNotContain(secret, "ftp://203.0.113.9/hook"); // a webhook's URL is a secret too

        admin.post("/channels", Map.of("type", "email", "name", "mail-" + suffix(), "config.to", "ops@example.com, not-an-address",
                "notifyOn", "DOWN")).then().statusCode(400).body(containsString("To (item 2) is not an email address"))
                .body(containsString("value=\"ops@example.com, not-an-address\""));
        admin.post("/channels", Map.of("type", "slack", "name", "slack-" + suffix(), "config.webhookUrl", "https://203.0.113.7/x"))
                .then().statusCode(400).body(containsString("id=\"notifyOn-error\""));
        admin.post("/channels", Map.of("type", "nope", "name", "x")).then().statusCode(400).body(containsString("There is no channel type"));
    }

    @Test
    void aWebhooksSecretsAndHeadersStayMaskedAndAreKeptByAnUnchangedForm() {
        ConsoleSession admin = ConsoleSession.admin();
        String secret = "s3cret-" + suffix();
        String token = "Bearer tok-" + suffix();
        String url = "https://203.0.113.9/hooks/" + suffix();
        String id = Api.create("/api/v1/channels", Map.of("name", "pager-" + suffix(), "type", "webhook",
                "config", Map.of("url", url, "secret", secret, "headers", Map.of("Authorization", token), "method", "PUT")));
        String page = admin.get("/channels/" + id).then().statusCode(200).extract().asString();
        assertThat(page).contains("Authorization: ****", "<option value=\"PUT\" selected>").doesNotContain(secret, token, url);

        admin.post("/channels/" + id, Map.of("name", "pager-renamed", "config.url", "https://203.0.113.9/****", "config.method", "PUT",
                "config.secret", "****", "config.headers", "Authorization: ****", "notifyOn", List.of("DOWN", "UP")))
                .then().statusCode(303);
        var stored = Channels.config(channels.get(UUID.fromString(id)));
        assertThat(stored.get("url").asText()).isEqualTo(url);
        assertThat(stored.get("secret").asText()).isEqualTo(secret);
        assertThat(stored.get("headers").get("Authorization").asText()).isEqualTo(token);

        // a refused edit shows the stored secrets masked, not what was typed
        String typed = "typed-" + suffix();
        admin.post("/channels/" + id, Map.of("name", "", "config.url", "https://203.0.113.9/****", "config.secret", typed,
                "notifyOn", "DOWN")).then().statusCode(400).body(containsString("Name must not be blank"))
                .body(org.hamcrest.Matchers.not(containsString(typed))).body(org.hamcrest.Matchers.not(containsString(secret)));
    }

    @Test
    void aTestSendShowsTheNotifiersOutcome() {
        ConsoleSession admin = ConsoleSession.admin();
        String id = slackChannel();
        HttpReceiver notifier = NotifierStandIn.receiver();
        notifier.enqueue(HttpReceiver.Reply.status(200).withHeader("Content-Type", "application/json")
                .withBody("{\"status\":\"FAILED\",\"httpStatus\":404,\"error\":\"no_service\",\"durationMs\":87}"));
        String failed = admin.post("/channels/" + id + "/test", Map.of()).then().statusCode(200).extract().asString();
        assertThat(failed).contains("id=\"test-outcome\"", "The test notification failed.", "HTTP 404. no_service");

        notifier.enqueue(HttpReceiver.Reply.status(200).withHeader("Content-Type", "application/json")
                .withBody("{\"status\":\"SENT\",\"httpStatus\":200,\"error\":null,\"durationMs\":12}"));
        admin.post("/channels/" + id + "/test", Map.of()).then().statusCode(200).body(containsString("The test notification was sent."));

        notifier.enqueue(HttpReceiver.Reply.status(404));
        admin.post("/channels/" + id + "/test", Map.of()).then().statusCode(503).body(containsString("id=\"test-outcome\""))
                .body(containsString("has not received this channel yet"));
    }

    @Test
    void theListShowsTheLastDeliveryErrorAndTheMonitorsThatUseAChannel() {
        ConsoleSession admin = ConsoleSession.admin();
        String id = slackChannel();
        String monitorName = "job-" + suffix();
        String monitor = Api.monitor(monitorName, List.of(id));
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        UUID delivery = UUID.randomUUID();
        notifications.record(List.of(
                new DeliveryAttempted(1, UUID.randomUUID(), delivery, UUID.randomUUID(), UUID.fromString(monitor), UUID.fromString(id),
                        ChannelType.SLACK, "alert", "PENDING", at.minusSeconds(60), "retry", 500, "upstream_broke", 30),
                new DeliveryAttempted(1, UUID.randomUUID(), delivery, UUID.randomUUID(), UUID.fromString(monitor), UUID.fromString(id),
                        ChannelType.SLACK, "alert", "FAILED", at, "failed", 404, "channel_not_found", 30)));

        String list = admin.get("/channels").then().statusCode(200).extract().asString();
        String row = list.substring(list.indexOf("data-channel=\"" + id + "\""));
        row = row.substring(0, row.indexOf("</tr>"));
        assertThat(row).contains("HTTP 404: channel_not_found", "href=\"/monitors/" + monitor + "\"", monitorName)
                .doesNotContain("upstream_broke");
        admin.get("/channels/" + id).then().statusCode(200).body(containsString("channel_not_found"))
                .body(containsString("href=\"/monitors/" + monitor + "\""));
    }

    @Test
    void aReadOnlyUserSeesChannelsWithoutFormsAndCannotChangeThem() {
        String url = "https://203.0.113.7/services/T0/B0/" + suffix();
        String id = Api.create("/api/v1/channels", Map.of("name", "ro-" + suffix(), "type", "slack", "config", Map.of("webhookUrl", url)));
        ConsoleSession reader = ConsoleSession.signIn(ConsoleSession.newUser("read-only", PASSWORD), PASSWORD);

        String list = reader.get("/channels").then().statusCode(200).extract().asString();
        assertThat(list).contains("data-channel=\"" + id + "\"").doesNotContain("href=\"/channels/new", url);
        String page = reader.get("/channels/" + id).then().statusCode(200).extract().asString();
        assertThat(page).contains("https://203.0.113.7/****").doesNotContain(url, "action=\"/channels/" + id, "data-confirm");
        assertThat(page.split("method=\"post\"", -1)).as("only the sign-out form").hasSize(2);

        reader.get("/channels/new?type=slack").then().statusCode(403).contentType(containsString("text/html"));
        reader.post("/channels", Map.of("type", "slack", "name", "x", "config.webhookUrl", url, "notifyOn", "DOWN"))
                .then().statusCode(403).contentType(containsString("text/html")).body(containsString("A read-only user cannot make changes."));
        reader.post("/channels/" + id, Map.of("name", "x", "notifyOn", "DOWN")).then().statusCode(403);
        reader.post("/channels/" + id + "/test", Map.of()).then().statusCode(403);
        reader.post("/channels/" + id + "/delete", Map.of()).then().statusCode(403);
        full().get("/api/v1/channels/" + id).then().statusCode(200);
    }

    @Test
    void aFormWithoutTheCsrfTokenIsRefused() {
        ConsoleSession admin = ConsoleSession.admin();
        String id = slackChannel();
        admin.request().contentType(ContentType.URLENC).post("/channels/" + id + "/delete").then().statusCode(403);
        admin.post("/channels/" + id + "/delete", Map.of("_csrf", "forged")).then().statusCode(403);
        admin.request().contentType(ContentType.URLENC).formParam("type", "slack").formParam("name", "x")
                .post("/channels").then().statusCode(403);
        full().get("/api/v1/channels/" + id).then().statusCode(200);
    }

    @Test
    void badAddressesAndBodiesAreAnsweredWithA4xxPageNeverA500() {
        ConsoleSession admin = ConsoleSession.admin();
        admin.get("/channels/not-a-uuid").then().statusCode(404).contentType(containsString("text/html"));
        admin.get("/channels?cursor=garbage").then().statusCode(400).contentType(containsString("text/html"));
        admin.get("/status-pages?cursor=garbage").then().statusCode(400);
        admin.get("/status-pages/%00").then().statusCode(org.hamcrest.Matchers.either(org.hamcrest.Matchers.is(400))
                .or(org.hamcrest.Matchers.is(404)));
        admin.post("/keys/not-a-uuid/delete", Map.of()).then().statusCode(404);
        admin.post("/users/not-a-uuid/delete", Map.of()).then().statusCode(404);
        // not a form the console sends: refused before any endpoint runs (415 or the CSRF filter's 403)
        admin.request().multiPart("name", "x").post("/channels").then().statusCode(org.hamcrest.Matchers.either(
                org.hamcrest.Matchers.is(403)).or(org.hamcrest.Matchers.is(415)));
        admin.post("/channels", Map.of("type", "slack", "name", "bell\u0007", "config.webhookUrl", "https://203.0.113.7/x",
                "notifyOn", "DOWN")).then().statusCode(400).body(containsString("id=\"name-error\""));
        admin.post("/channels", Map.of("type", "ntfy", "name", "n-" + suffix(), "config.topic", "alerts", "config.priority", "loud",
                "notifyOn", "DOWN")).then().statusCode(400).body(containsString("Priority must be a whole number from 1 to 5"));
        admin.post("/channels", Map.of("type", "slack", "name", "r-" + suffix(), "config.webhookUrl", "https://203.0.113.7/x",
                "notifyOn", List.of("DOWN", "SIDEWAYS"), "remindEvery", "soon")).then().statusCode(400)
                .body(containsString("id=\"notifyOn-error\"")).body(containsString("id=\"remindEvery-error\""));
    }

    private static String slackChannel() {
        return Api.create("/api/v1/channels", Map.of("name", "slack-" + suffix(), "type", "slack",
                "config", Map.of("webhookUrl", "https://203.0.113.7/services/T0/B0/" + suffix())));
    }
}
