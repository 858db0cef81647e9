package io.vigil.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vigil.testkit.HttpReceiver;
import io.vigil.testkit.SharedInfra;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The foundation's promise, black-box: a monitor that stops pinging raises exactly one DOWN alert in
 * Slack and by email, and a recovery alert on both when pings resume. The three packaged services run as
 * separate processes against a real broker, PostgreSQL and SMTP server; everything goes through HTTP.
 */
class HeartbeatToAlertsIT {

    private static final String SLACK_DOWN = "#d0312d";
    private static final String SLACK_UP = "#2eb67d";

    private static HttpReceiver slack;
    private static VigilStack vigil;

    @BeforeAll
    static void startVigil() {
        slack = HttpReceiver.start();
        vigil = VigilStack.start(env -> {
            env.put("VIGIL_SMTP_HOST", "127.0.0.1");
            env.put("VIGIL_SMTP_PORT", String.valueOf(SharedInfra.smtp().port()));
            env.put("VIGIL_MAIL_FROM", "vigil@e2e.example");
        });
    }

    @AfterAll
    static void stopVigil() {
        VigilStack.stop(vigil, slack);
    }

    @Test
    void missedHeartbeatAlertsSlackAndEmailOnceThenRecovers() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String slackPath = "/services/" + suffix;
        String mailbox = "ops-" + suffix + "@e2e.example";
        String name = "nightly-backup-" + suffix;

        String slackChannel = create("/channels", Map.of("name", "slack-" + suffix, "type", "slack",
                "config", Map.of("webhookUrl", slack.url(slackPath)))).getString("id");
        String emailChannel = create("/channels", Map.of("name", "email-" + suffix, "type", "email",
                "config", Map.of("to", List.of(mailbox)))).getString("id");
        JsonPath monitor = create("/monitors", Map.of("name", name,
                "schedule", Map.of("type", "interval", "every", "PT2S"), "grace", "PT1S",
                "channels", List.of(slackChannel, emailChannel)));
        String monitorId = monitor.getString("id");
        String pingUrl = monitor.getString("pingUrl");
        assertThat(pingUrl).startsWith(vigil.ingest.baseUrl() + "/ping/");

        // The registry reaches ingest within a second of the admin API's answer on a quiet machine; the bound is for a loaded one.
        await("first ping accepted").atMost(Duration.ofSeconds(30))
                .until(() -> given().get(pingUrl).statusCode() == 200);
        await("UP").atMost(Duration.ofSeconds(10)).until(() -> status(monitorId).equals("UP"));

        // Silence: due after 2 s, DOWN after 1 s of grace.
        await("DOWN").atMost(Duration.ofSeconds(20)).until(() -> status(monitorId).equals("DOWN"));
        await("one Slack DOWN alert").atMost(Duration.ofSeconds(20))
                .until(() -> slackColours(slackPath).contains(SLACK_DOWN));
        await("one DOWN email").atMost(Duration.ofSeconds(20))
                .until(() -> subjects(mailbox).contains("DOWN | " + name));

        given().post(pingUrl).then().statusCode(200);
        await("UP again").atMost(Duration.ofSeconds(10)).until(() -> !status(monitorId).equals("DOWN"));
        await("Slack recovery").atMost(Duration.ofSeconds(20)).until(() -> slackColours(slackPath).contains(SLACK_UP));
        await("recovery email").atMost(Duration.ofSeconds(20)).until(() -> subjects(mailbox).contains("UP | " + name));

        // Exactly one DOWN before the recovery, on each channel, and in flip order.
        List<String> colours = slackColours(slackPath);
        assertThat(colours.subList(0, colours.indexOf(SLACK_UP))).containsExactly(SLACK_DOWN);
        List<String> mails = subjects(mailbox);
        assertThat(mails.subList(0, mails.indexOf("UP | " + name))).containsExactly("DOWN | " + name);
        assertThat(slack.requests(slackPath).get(0).bodyText()).contains(name);

        given().header("Authorization", "Bearer " + vigil.adminKey).delete(vigil.evaluator.baseUrl() + "/api/v1/monitors/" + monitorId)
                .then().statusCode(204);
    }

    private static JsonPath create(String path, Map<String, Object> body) {
        return given().header("Authorization", "Bearer " + vigil.adminKey).contentType(ContentType.JSON).body(body)
                .post(vigil.evaluator.baseUrl() + "/api/v1" + path)
                .then().statusCode(201).extract().jsonPath();
    }

    private static String status(String monitorId) {
        return given().header("Authorization", "Bearer " + vigil.adminKey)
                .get(vigil.evaluator.baseUrl() + "/api/v1/monitors/" + monitorId)
                .then().statusCode(200).extract().jsonPath().getString("status");
    }

    /** The attachment colour of each Slack message, in arrival order. */
    private static List<String> slackColours(String path) {
        return slack.requests(path).stream()
                .map(request -> JsonPath.from(request.bodyText()).getString("attachments[0].color"))
                .toList();
    }

    private static List<String> subjects(String mailbox) {
        return SharedInfra.smtp().messagesTo(mailbox).stream().map(HeartbeatToAlertsIT::subject).toList();
    }

    private static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            return "";
        }
    }
}
