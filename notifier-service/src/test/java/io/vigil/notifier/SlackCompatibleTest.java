package io.vigil.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vigil.contracts.ChannelType;
import io.vigil.contracts.DeliveryAttempted;
import io.vigil.contracts.MonitorFlipped;
import io.vigil.contracts.Status;
import io.vigil.notifier.channel.slack.SlackAttachments;
import io.vigil.testkit.HttpReceiver;
import io.vigil.testkit.HttpReceiver.Reply;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import io.vigil.testkit.SmtpResource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Mattermost and Rocket.Chat: the same Slack-compatible attachments message. */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SmtpResource.class, restrictToAnnotatedClass = false)
class SlackCompatibleTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpReceiver receiver = HttpReceiver.start();

    @AfterEach
    void close() {
        receiver.close();
    }

    private UUID channel(ChannelType type, String path) {
        return Fixtures.channel(type, Map.of("webhookUrl", receiver.url(path)), null, null);
    }

    @ParameterizedTest
    @EnumSource(value = ChannelType.class, names = {"MATTERMOST", "ROCKETCHAT"})
    void aDownAlertAndItsRecoveryAreColouredAttachmentsWithFields(ChannelType type) throws Exception {
        String path = "/hooks/" + type.json() + "-down";
        UUID channel = channel(type, path);
        Fixtures.Monitor monitor = new Fixtures.Monitor("nightly-backup", channel);
        MonitorFlipped down = Fixtures.publish(monitor.flip(Status.DOWN, "exit-status", "exit status 3", "<b>error</b> & ```rm```"));

        await().atMost(Duration.ofSeconds(15)).until(() -> receiver.requests(path).size() == 1);
        HttpReceiver.Request request = receiver.requests(path).get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.header("Content-Type")).startsWith("application/json");
        JsonNode message = JSON.readTree(request.body());
        assertThat(message.has("blocks")).isFalse();
        assertThat(message.get("text").asText()).isEqualTo(monitor.name + " is DOWN: exit status 3");
        JsonNode attachment = message.get("attachments").get(0);
        assertThat(attachment.has("blocks")).isFalse();
        assertThat(attachment.get("color").asText()).isEqualTo("#d0312d");
        assertThat(attachment.get("fallback").asText()).isEqualTo(monitor.name + " is DOWN: exit status 3");
        assertThat(attachment.get("title").asText()).isEqualTo("DOWN | " + monitor.name);
        assertThat(attachment.get("title_link").asText()).isEqualTo(down.link());
        JsonNode fields = attachment.get("fields");
        assertThat(fields.get(0).get("title").asText()).isEqualTo("Monitor");
        assertThat(fields.get(0).get("value").asText()).isEqualTo(monitor.name);
        assertThat(fields.get(0).get("short").asBoolean()).isTrue();
        assertThat(fields.get(1).get("value").asText()).isEqualTo("DOWN (was NEW)");
        assertThat(fields.get(2).get("title").asText()).isEqualTo("Why");
        assertThat(fields.get(2).get("value").asText()).isEqualTo("exit status 3");
        assertThat(fields.get(3).get("title").asText()).isEqualTo("Last seen");
        assertThat(attachment.get("text").asText()).isEqualTo("<" + down.link() + "|Open " + monitor.name + " in Vigil>\n"
                + "*Last ping body*\n```&lt;b&gt;error&lt;/b&gt; &amp; `\u200b``rm`\u200b`````");

        Fixtures.publish(monitor.up());
        await().atMost(Duration.ofSeconds(15)).until(() -> receiver.requests(path).size() == 2);
        JsonNode recovery = JSON.readTree(receiver.requests(path).get(1).body());
        assertThat(recovery.get("text").asText()).isEqualTo(monitor.name + " is UP: success signal");
        JsonNode recovered = recovery.get("attachments").get(0);
        assertThat(recovered.get("color").asText()).isEqualTo("#2eb67d");
        assertThat(recovered.get("title").asText()).isEqualTo("UP | " + monitor.name);
        assertThat(recovered.get("fields").toString()).contains("{\"title\":\"Down for\",\"value\":\"12m\",\"short\":true}");
    }

    @ParameterizedTest
    @EnumSource(value = ChannelType.class, names = {"MATTERMOST", "ROCKETCHAT"})
    void aHostileNameIsEscapedAndMentionsNobody(ChannelType type) throws Exception {
        String path = "/hooks/" + type.json() + "-hostile";
        UUID channel = channel(type, path);
        Fixtures.Monitor monitor = new Fixtures.Monitor("<!channel> @all <b>&\"x", channel);
        Fixtures.publish(monitor.down());

        await().atMost(Duration.ofSeconds(15)).until(() -> receiver.requests(path).size() == 1);
        JsonNode message = JSON.readTree(receiver.requests(path).get(0).body());
        String escaped = "&lt;!channel&gt; @\u2060all &lt;b&gt;&amp;\"x" + monitor.name.substring(monitor.name.lastIndexOf('-'));
        assertThat(message.get("text").asText()).startsWith(escaped + " is DOWN");
        JsonNode attachment = message.get("attachments").get(0);
        assertThat(attachment.get("fields").get(0).get("value").asText()).isEqualTo(escaped);
        assertThat(attachment.get("text").asText()).contains("|Open " + escaped + " in Vigil>");
        assertThat(attachment.get("title").asText()).isEqualTo("DOWN | " + monitor.name);
    }

    @ParameterizedTest
    @EnumSource(value = ChannelType.class, names = {"MATTERMOST", "ROCKETCHAT"})
    void aRemovedWebhookFailsAtOnce(ChannelType type) {
        String path = "/hooks/" + type.json() + "-gone";
        receiver.enqueue(Reply.status(404));
        UUID channel = channel(type, path);
        Fixtures.publish(new Fixtures.Monitor("gone", channel).down());

        await().atMost(Duration.ofSeconds(15)).until(() -> Fixtures.outcomesFor(channel).size() == 1);
        DeliveryAttempted outcome = Fixtures.outcomesFor(channel).get(0);
        assertThat(outcome.status()).isEqualTo("FAILED");
        assertThat(outcome.httpStatus()).isEqualTo(404);
        // never retried (a repeat of the same attempt, at least once, is not a retry)
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> Fixtures.outcomesFor(channel).stream()
                .noneMatch(attempt -> "retry".equals(attempt.outcome())));
        assertThat(receiver.requests(path)).isNotEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = ChannelType.class, names = {"MATTERMOST", "ROCKETCHAT"})
    void aStormGoesOutAsFiveAlertsAndOneDigestAttachment(ChannelType type) throws Exception {
        String path = "/hooks/" + type.json() + "-storm";
        UUID channel = channel(type, path);
        List<Fixtures.Monitor> monitors = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Fixtures.Monitor monitor = new Fixtures.Monitor(type.json() + "-storm" + i, channel);
            monitors.add(monitor);
            Fixtures.publish(monitor.down());
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.requests(path).size() == 6);
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> receiver.requests(path).size() == 6);
        JsonNode digest = JSON.readTree(receiver.requests(path).get(5).body());
        assertThat(digest.get("text").asText()).startsWith("Alert storm: 3 monitors changed status: ");
        JsonNode attachment = digest.get("attachments").get(0);
        assertThat(attachment.get("title").asText()).isEqualTo("DIGEST | 3 monitors changed status");
        assertThat(attachment.get("color").asText()).isEqualTo("#d0312d");
        String text = attachment.get("text").asText();
        int digested = 0;
        for (Fixtures.Monitor monitor : monitors) {
            if (text.contains(monitor.name)) {
                digested++;
                assertThat(text).contains("• <http://localhost:8081/api/v1/monitors/" + monitor.id + "|" + monitor.name + "> is *DOWN*");
            }
        }
        assertThat(digested).isEqualTo(3);
    }

    @Test
    void aDigestOfTwoThousandMonitorsStaysWithinTheTextBudgetAndCountsTheRest() throws Exception {
        List<Notification.Entry> entries = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            entries.add(new Notification.Entry(String.format("storm-%04d-", i) + "x".repeat(100), Status.DOWN,
                    "missed check-in: due 10:00:00Z, grace 5m", Instant.parse("2026-11-23T10:05:00Z"),
                    "http://vigil.example:8081/api/v1/monitors/" + UUID.randomUUID()));
        }
        JsonNode message = JSON.readTree(SlackAttachments.message(Notification.digest(UUID.randomUUID(), entries, Instant.now())));
        assertThat(message.get("text").asText().length()).isLessThanOrEqualTo(SlackAttachments.TEXT_BUDGET);
        String text = message.get("attachments").get(0).get("text").asText();
        assertThat(text.length()).isLessThanOrEqualTo(SlackAttachments.TEXT_BUDGET);
        int named = 0;
        while (text.contains(String.format("storm-%04d-", named))) {
            named++;
        }
        java.util.regex.Matcher more = java.util.regex.Pattern.compile("… and (\\d+) more: "
                + "<http://vigil.example:8081/api/v1/monitors\\|see the monitor list>$").matcher(text);
        assertThat(more.find()).isTrue();
        assertThat(named).isGreaterThan(20);
        assertThat(named + Integer.parseInt(more.group(1))).isEqualTo(2000);
    }
}
