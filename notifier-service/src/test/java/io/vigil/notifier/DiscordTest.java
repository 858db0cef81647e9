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
import io.vigil.notifier.channel.discord.DiscordSender;
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
class DiscordTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpReceiver receiver = HttpReceiver.start();

    @AfterEach
    void close() {
        receiver.close();
    }

    private UUID discord(String path) {
        return Fixtures.channel(ChannelType.DISCORD, Map.of("webhookUrl", receiver.url(path)), null, null);
    }

    @Test
    void aDownAlertIsARedEmbedAndTheRecoveryAGreenOneWithTheDowntime() throws Exception {
        receiver.enqueue(Reply.status(204), Reply.status(204));
        UUID channel = discord("/api/webhooks/1/down-token");
        Fixtures.Monitor monitor = new Fixtures.Monitor("nightly-backup", channel);
        MonitorFlipped down = Fixtures.publish(monitor.down());

        await().atMost(Duration.ofSeconds(15)).until(() -> receiver.requests("/api/webhooks/1/down-token").size() == 1);
        HttpReceiver.Request request = receiver.requests("/api/webhooks/1/down-token").get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.header("Content-Type")).startsWith("application/json");
        JsonNode message = JSON.readTree(request.body());
        String escapedName = monitor.name.replace("-", "\\-");
        assertThat(message.get("content").asText()).isEqualTo(escapedName + " is DOWN: missed check\\-in: due 10:00:00Z, grace 5m");
        assertThat(message.get("allowed_mentions").get("parse")).isEmpty();
        JsonNode embed = message.get("embeds").get(0);
        assertThat(embed.get("title").asText()).isEqualTo("DOWN \\| " + escapedName);
        assertThat(embed.get("color").asInt()).isEqualTo(0xd0312d);
        assertThat(embed.get("url").asText()).isEqualTo(down.link());
        assertThat(embed.get("timestamp").asText()).isEqualTo(Notification.timestamp(down.occurredAt()));
        assertThat(embed.get("description").asText()).isEqualTo("**Last ping body**\n```\nbackup failed: disk full\n```");
        JsonNode fields = embed.get("fields");
        assertThat(fields.get(0).get("name").asText()).isEqualTo("Monitor");
        assertThat(fields.get(0).get("value").asText()).isEqualTo(escapedName);
        assertThat(fields.get(1).get("value").asText()).isEqualTo("DOWN \\(was NEW\\)");
        assertThat(fields.get(2).get("name").asText()).isEqualTo("Why");
        assertThat(fields.get(2).get("inline").asBoolean()).isFalse();
        assertThat(fields.get(3).get("name").asText()).isEqualTo("Last seen");
        assertThat(fields.get(3).get("inline").asBoolean()).isTrue();

        Fixtures.publish(monitor.up());
        await().atMost(Duration.ofSeconds(15)).until(() -> receiver.requests("/api/webhooks/1/down-token").size() == 2);
        JsonNode recovery = JSON.readTree(receiver.requests("/api/webhooks/1/down-token").get(1).body());
        assertThat(recovery.get("content").asText()).isEqualTo(escapedName + " is UP: success signal");
        JsonNode recovered = recovery.get("embeds").get(0);
        assertThat(recovered.get("color").asInt()).isEqualTo(0x2eb67d);
        assertThat(recovered.get("title").asText()).isEqualTo("UP \\| " + escapedName);
        assertThat(recovered.get("fields").toString()).contains("\"name\":\"Down for\",\"value\":\"12m\"");
        await().atMost(Duration.ofSeconds(10)).until(() -> Fixtures.outcomesFor(channel).stream()
                .filter(outcome -> "SENT".equals(outcome.status())).count() == 2);
        assertThat(Fixtures.outcomesFor(channel)).extracting(DeliveryAttempted::httpStatus).containsOnly(204);
    }

    @Test
    void aHostileNameIsEscapedAndPingsNobody() throws Exception {
        UUID channel = discord("/hostile");
        Fixtures.Monitor monitor = new Fixtures.Monitor("@everyone **[x](http://evil)** `<@1>`", channel);
        Fixtures.publish(monitor.flip(Status.DOWN, "missed", "missed", "```<@&1> @here```"));

        await().atMost(Duration.ofSeconds(15)).until(() -> receiver.requests("/hostile").size() == 1);
        JsonNode message = JSON.readTree(receiver.requests("/hostile").get(0).body());
        String suffix = monitor.name.substring(monitor.name.lastIndexOf('-') + 1);
        String escaped = "\\@everyone \\*\\*\\[x\\]\\(http://evil\\)\\*\\* \\`\\<\\@1\\>\\`\\-" + suffix;
        assertThat(message.get("content").asText()).startsWith(escaped + " is DOWN");
        assertThat(message.get("embeds").get(0).get("fields").get(0).get("value").asText()).isEqualTo(escaped);
        assertThat(message.get("embeds").get(0).get("description").asText())
                .isEqualTo("**Last ping body**\n```\n`\u200b``<@&1> @here`\u200b``\n```");
        assertThat(message.get("allowed_mentions").get("parse")).isEmpty();
    }

    @Test
    void aDeletedWebhookFailsAtOnce() {
        receiver.enqueue(Reply.status(404).withBody("{\"message\": \"Unknown Webhook\", \"code\": 10015}"));
        UUID channel = discord("/deleted");
        Fixtures.publish(new Fixtures.Monitor("deleted-hook", channel).down());

        await().atMost(Duration.ofSeconds(15)).until(() -> Fixtures.outcomesFor(channel).size() == 1);
        DeliveryAttempted outcome = Fixtures.outcomesFor(channel).get(0);
        assertThat(outcome.status()).isEqualTo("FAILED");
        assertThat(outcome.httpStatus()).isEqualTo(404);
        // never retried (a repeat of the same attempt, at least once, is not a retry)
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> Fixtures.outcomesFor(channel).stream()
                .noneMatch(attempt -> "retry".equals(attempt.outcome())));
        assertThat(receiver.requests("/deleted")).isNotEmpty();
    }

    @Test
    void aRateLimitIsRetriedAfterItsRetryAfter() {
        receiver.enqueue(Reply.status(429).withHeader("Retry-After", "2").withBody("{\"message\":\"You are being rate limited.\",\"retry_after\":2.0,\"global\":false}"),
                Reply.status(204));
        UUID channel = discord("/limited");
        Fixtures.publish(new Fixtures.Monitor("limited", channel).down());

        await().atMost(Duration.ofSeconds(15)).until(() -> receiver.requests("/limited").size() == 2);
        List<HttpReceiver.Request> requests = receiver.requests("/limited");
        assertThat(Duration.between(requests.get(0).at(), requests.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(1950));
        assertThat(requests.get(1).bodyText()).isEqualTo(requests.get(0).bodyText());
    }

    @Test
    void aStormGoesOutAsFiveAlertsAndOneDigestEmbed() throws Exception {
        UUID channel = discord("/storm");
        List<Fixtures.Monitor> monitors = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Fixtures.Monitor monitor = new Fixtures.Monitor("discord-storm" + i, channel);
            monitors.add(monitor);
            Fixtures.publish(monitor.down());
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.requests("/storm").size() == 6);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> receiver.requests("/storm").size() == 6);
        JsonNode digest = JSON.readTree(receiver.requests("/storm").get(5).body());
        JsonNode embed = digest.get("embeds").get(0);
        assertThat(embed.get("title").asText()).isEqualTo("DIGEST \\| 3 monitors changed status");
        assertThat(embed.get("color").asInt()).isEqualTo(0xd0312d);
        assertThat(digest.get("content").asText()).startsWith("Alert storm: 3 monitors changed status: ");
        assertThat(digest.get("allowed_mentions").get("parse")).isEmpty();
        String description = embed.get("description").asText();
        int digested = 0;
        for (Fixtures.Monitor monitor : monitors) {
            if (description.contains(monitor.name.replace("-", "\\-"))) {
                digested++;
                assertThat(description).contains("](http://localhost:8081/api/v1/monitors/" + monitor.id + ") is **DOWN**");
            }
        }
        assertThat(digested).isEqualTo(3);
    }

    @Test
    void aDigestOfTwoThousandMonitorsStaysWithinDiscordsLimitsAndCountsTheRest() throws Exception {
        List<Notification.Entry> entries = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            entries.add(new Notification.Entry(String.format("storm_%04d_", i) + "x".repeat(100), Status.DOWN,
                    "missed check-in: due 10:00:00Z, grace 5m", Instant.parse("2026-11-23T10:05:00Z"),
                    "http://vigil.example:8081/api/v1/monitors/" + UUID.randomUUID()));
        }
        JsonNode message = JSON.readTree(DiscordSender.message(Notification.digest(UUID.randomUUID(), entries, Instant.now())));
        assertThat(message.get("content").asText().length()).isLessThanOrEqualTo(2000);
        JsonNode embed = message.get("embeds").get(0);
        String description = embed.get("description").asText();
        assertThat(description.length()).isLessThanOrEqualTo(4096);
        assertThat(embed.get("title").asText().length() + description.length()).isLessThanOrEqualTo(6000);
        int named = 0;
        while (description.contains(String.format("storm\\_%04d\\_", named))) {
            named++;
        }
        java.util.regex.Matcher more = java.util.regex.Pattern.compile("… and (\\d+) more: \\[see the monitor list\\]"
                + "\\(http://vigil.example:8081/api/v1/monitors\\)$").matcher(description);
        assertThat(more.find()).isTrue();
        assertThat(named).isGreaterThan(20);
        assertThat(named + Integer.parseInt(more.group(1))).isEqualTo(2000);
    }
}
