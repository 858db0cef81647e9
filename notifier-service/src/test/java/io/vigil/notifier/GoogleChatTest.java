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
import io.vigil.notifier.channel.googlechat.GoogleChatSender;
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
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SmtpResource.class, restrictToAnnotatedClass = false)
class GoogleChatTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpReceiver receiver = HttpReceiver.start();

    @AfterEach
    void close() {
        receiver.close();
    }

    private UUID googleChat(String path) {
        return Fixtures.channel(ChannelType.GOOGLECHAT, Map.of("webhookUrl", receiver.url(path)), null, null);
    }

    @Test
    void aDownAlertAndItsRecoveryAreCardsWithTheFactsThePingBodyAndAButton() throws Exception {
        UUID channel = googleChat("/v1/spaces/AAA/messages");
        Fixtures.Monitor monitor = new Fixtures.Monitor("nightly-backup", channel);
        MonitorFlipped down = Fixtures.publish(monitor.down());

        await().atMost(Duration.ofSeconds(15)).until(() -> receiver.requests("/v1/spaces/AAA/messages").size() == 1);
        HttpReceiver.Request request = receiver.requests("/v1/spaces/AAA/messages").get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.header("Content-Type")).startsWith("application/json");
        JsonNode message = JSON.readTree(request.body());
        assertThat(message.get("text").asText()).isEqualTo(monitor.name + " is DOWN: missed check-in: due 10:00:00Z, grace 5m");
        JsonNode card = message.get("cardsV2").get(0);
        UUID eventId = UUID.fromString(card.get("cardId").asText().substring("vigil-".length()));
        assertThat(card.get("cardId").asText()).isEqualTo("vigil-" + eventId);
        assertThat(card.get("card").get("header").get("title").asText()).isEqualTo("DOWN | " + monitor.name);
        assertThat(card.get("card").get("header").get("subtitle").asText()).isEqualTo("Problem: DOWN");
        JsonNode widgets = card.get("card").get("sections").get(0).get("widgets");
        assertThat(widgets.get(0).get("decoratedText").get("topLabel").asText()).isEqualTo("Monitor");
        assertThat(widgets.get(0).get("decoratedText").get("text").asText()).isEqualTo(monitor.name);
        assertThat(widgets.get(1).get("decoratedText").get("text").asText()).isEqualTo("DOWN (was NEW)");
        assertThat(widgets.get(2).get("decoratedText").get("text").asText()).isEqualTo("missed check-in: due 10:00:00Z, grace 5m");
        assertThat(widgets.get(3).get("decoratedText").get("topLabel").asText()).isEqualTo("Last seen");
        JsonNode paragraph = widgets.get(widgets.size() - 2).get("textParagraph");
        assertThat(paragraph.get("text").asText()).isEqualTo("<b>Last ping body</b><br>backup failed: disk full");
        JsonNode button = widgets.get(widgets.size() - 1).get("buttonList").get("buttons").get(0);
        assertThat(button.get("text").asText()).isEqualTo("Open in Vigil");
        assertThat(button.get("onClick").get("openLink").get("url").asText()).isEqualTo(down.link());
        await().atMost(Duration.ofSeconds(10)).until(() -> Fixtures.outcomesFor(channel).stream()
                .anyMatch(outcome -> "SENT".equals(outcome.status())));
        assertThat(Fixtures.outcomesFor(channel).get(0).deliveryId()).isEqualTo(eventId);

        Fixtures.publish(monitor.up());
        await().atMost(Duration.ofSeconds(15)).until(() -> receiver.requests("/v1/spaces/AAA/messages").size() == 2);
        JsonNode recovery = JSON.readTree(receiver.requests("/v1/spaces/AAA/messages").get(1).body());
        assertThat(recovery.get("text").asText()).isEqualTo(monitor.name + " is UP: success signal");
        JsonNode recovered = recovery.get("cardsV2").get(0).get("card");
        assertThat(recovered.get("header").get("title").asText()).isEqualTo("UP | " + monitor.name);
        assertThat(recovered.get("header").get("subtitle").asText()).isEqualTo("Recovered: UP");
        assertThat(recovered.get("sections").toString()).contains("\"topLabel\":\"Down for\",\"text\":\"12m\"");
    }

    @Test
    void aHostileNameAndPingBodyAreEscapedForCardHtml() throws Exception {
        UUID channel = googleChat("/hostile");
        Fixtures.Monitor monitor = new Fixtures.Monitor("<b>&\"x <users/all>", channel);
        Fixtures.publish(monitor.flip(Status.DOWN, "missed", "missed", "<font color=\"red\">&amp;</font>\nline 2"));

        await().atMost(Duration.ofSeconds(15)).until(() -> receiver.requests("/hostile").size() == 1);
        JsonNode message = JSON.readTree(receiver.requests("/hostile").get(0).body());
        String escaped = "&lt;b&gt;&amp;\"x &lt;users/all&gt;" + monitor.name.substring(monitor.name.lastIndexOf('-'));
        assertThat(message.get("text").asText()).isEqualTo(escaped + " is DOWN: missed");
        JsonNode widgets = message.get("cardsV2").get(0).get("card").get("sections").get(0).get("widgets");
        assertThat(widgets.get(0).get("decoratedText").get("text").asText()).isEqualTo(escaped);
        assertThat(widgets.get(widgets.size() - 2).get("textParagraph").get("text").asText())
                .isEqualTo("<b>Last ping body</b><br>&lt;font color=\"red\"&gt;&amp;amp;&lt;/font&gt;<br>line 2");
        // the header is plain text
        assertThat(message.get("cardsV2").get(0).get("card").get("header").get("title").asText()).isEqualTo("DOWN | " + monitor.name);
    }

    @Test
    void aForbiddenSpaceFailsAtOnce() {
        receiver.enqueue(Reply.status(403).withBody("{\"error\":{\"code\":403,\"status\":\"PERMISSION_DENIED\"}}"));
        UUID channel = googleChat("/forbidden");
        Fixtures.publish(new Fixtures.Monitor("forbidden", channel).down());

        await().atMost(Duration.ofSeconds(15)).until(() -> Fixtures.outcomesFor(channel).size() == 1);
        DeliveryAttempted outcome = Fixtures.outcomesFor(channel).get(0);
        assertThat(outcome.status()).isEqualTo("FAILED");
        assertThat(outcome.httpStatus()).isEqualTo(403);
        // never retried (a repeat of the same attempt, at least once, is not a retry)
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> Fixtures.outcomesFor(channel).stream()
                .noneMatch(attempt -> "retry".equals(attempt.outcome())));
        assertThat(receiver.requests("/forbidden")).isNotEmpty();
    }

    @Test
    void aStormGoesOutAsFiveAlertsAndOneDigestCard() throws Exception {
        UUID channel = googleChat("/storm");
        List<Fixtures.Monitor> monitors = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Fixtures.Monitor monitor = new Fixtures.Monitor("chat-storm" + i, channel);
            monitors.add(monitor);
            Fixtures.publish(monitor.down());
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.requests("/storm").size() == 6);
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> receiver.requests("/storm").size() == 6);
        JsonNode digest = JSON.readTree(receiver.requests("/storm").get(5).body());
        assertThat(digest.get("text").asText()).startsWith("Alert storm: 3 monitors changed status: ");
        JsonNode card = digest.get("cardsV2").get(0).get("card");
        assertThat(card.get("header").get("title").asText()).isEqualTo("DIGEST | 3 monitors changed status");
        String list = card.get("sections").get(0).get("widgets").get(0).get("textParagraph").get("text").asText();
        int digested = 0;
        for (Fixtures.Monitor monitor : monitors) {
            if (list.contains(monitor.name)) {
                digested++;
                assertThat(list).contains("<a href=\"http://localhost:8081/api/v1/monitors/" + monitor.id + "\">"
                        + monitor.name + "</a> is <b>DOWN</b>: missed check-in");
            }
        }
        assertThat(digested).isEqualTo(3);
    }

    @Test
    void aDigestOfTwoThousandMonitorsFitsGoogleChatsMessageLimitAndCountsTheRest() throws Exception {
        List<Notification.Entry> entries = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            entries.add(new Notification.Entry(String.format("storm-%04d-", i) + "x".repeat(100), Status.DOWN,
                    "missed check-in: due 10:00:00Z, grace 5m", Instant.parse("2026-11-23T10:05:00Z"),
                    "http://vigil.example:8081/api/v1/monitors/" + UUID.randomUUID()));
        }
        String payload = GoogleChatSender.message(Notification.digest(UUID.randomUUID(), entries, Instant.now()));
        assertThat(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo(32_000);
        JsonNode widgets = JSON.readTree(payload).get("cardsV2").get(0).get("card").get("sections").get(0).get("widgets");
        String cardText = widgets.toString();
        int named = 0;
        while (cardText.contains(String.format("storm-%04d-", named))) {
            named++;
        }
        String more = widgets.get(widgets.size() - 2).get("textParagraph").get("text").asText();
        assertThat(more).matches("… and \\d+ more");
        assertThat(named).isGreaterThan(100);
        assertThat(named + Integer.parseInt(more.replaceAll("\\D", ""))).isEqualTo(2000);
        assertThat(widgets.get(widgets.size() - 1).get("buttonList").get("buttons").get(0).get("onClick").get("openLink")
                .get("url").asText()).isEqualTo("http://vigil.example:8081/api/v1/monitors");
    }
}
