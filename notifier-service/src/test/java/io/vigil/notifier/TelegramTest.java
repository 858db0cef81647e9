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
import io.vigil.notifier.channel.telegram.TelegramSender;
import io.vigil.testkit.HttpReceiver;
import io.vigil.testkit.HttpReceiver.Reply;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import io.vigil.testkit.SmtpResource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SmtpResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = ProviderResource.class, restrictToAnnotatedClass = false)
class TelegramTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpReceiver telegram = ProviderResource.receiver();
    private final String token = "700" + (System.nanoTime() % 100_000) + ":tg-" + UUID.randomUUID();
    private final String path = "/telegram/bot" + token + "/sendMessage";

    private UUID channel(String chatId) {
        return Fixtures.channel(ChannelType.TELEGRAM, Map.of("botToken", token, "chatId", chatId), null, null);
    }

    private List<HttpReceiver.Request> requests() {
        return telegram.requests(path);
    }

    private static JsonNode json(HttpReceiver.Request request) throws Exception {
        return JSON.readTree(request.body());
    }

    @Test
    void aDownAlertAndItsRecoveryGoToSendMessageAsEscapedHtml() throws Exception {
        UUID channel = channel("-4001");
        Fixtures.Monitor monitor = new Fixtures.Monitor("nightly-backup", channel);
        MonitorFlipped down = Fixtures.publish(monitor.flip(Status.DOWN, "exit-status 3", "exit status 3",
                "<b>error</b> & done"));

        await().atMost(Duration.ofSeconds(15)).until(() -> requests().size() == 1);
        HttpReceiver.Request request = requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.query()).isNull();
        assertThat(request.header("Content-Type")).startsWith("application/json");
        JsonNode message = json(request);
        assertThat(message.get("chat_id").asText()).isEqualTo("-4001");
        assertThat(message.get("parse_mode").asText()).isEqualTo("HTML");
        assertThat(message.get("disable_web_page_preview").asBoolean()).isTrue();
        String text = message.get("text").asText();
        assertThat(text).startsWith("<b>DOWN | " + monitor.name + "</b>\n" + monitor.name + " is DOWN: exit status 3")
                .contains("<b>Status:</b> DOWN (was NEW)").contains("<b>Why:</b> exit status 3").contains("<b>Last seen:</b> ")
                .contains("<a href=\"" + down.link() + "\">Open in Vigil</a>")
                .endsWith("<b>Last ping body</b>\n<pre>&lt;b&gt;error&lt;/b&gt; &amp; done</pre>");
        assertThat(text.length()).isLessThanOrEqualTo(4096);

        Fixtures.publish(monitor.up());
        await().atMost(Duration.ofSeconds(15)).until(() -> requests().size() == 2);
        String up = json(requests().get(1)).get("text").asText();
        assertThat(up).startsWith("<b>UP | " + monitor.name + "</b>").contains("<b>Down for:</b> 12m")
                .contains("<b>Status:</b> UP (was DOWN)").endsWith("<pre>all good</pre>");
    }

    @Test
    void aHostileNameAndALongBodyAreEscapedWithinTelegramsLimit() throws Exception {
        UUID channel = channel("@vigil_alerts");
        Fixtures.Monitor monitor = new Fixtures.Monitor("<b>&\"x", channel);
        Fixtures.publish(monitor.flip(Status.DOWN, "failure", "failure signal", "&".repeat(1000)));

        await().atMost(Duration.ofSeconds(15)).until(() -> requests().size() == 1);
        JsonNode message = json(requests().get(0));
        assertThat(message.get("chat_id").asText()).isEqualTo("@vigil_alerts");
        String text = message.get("text").asText();
        String escaped = "&lt;b&gt;&amp;\"x" + monitor.name.substring("<b>&\"x".length());
        assertThat(text).startsWith("<b>DOWN | " + escaped + "</b>").doesNotContain("<b>&\"x");
        assertThat(text.length()).isLessThanOrEqualTo(4096);
        assertThat(text).contains("<pre>&amp;&amp;").endsWith("…</pre>").doesNotContain("&am…");
    }

    @Test
    void aStormGoesOutAsFiveAlertsThenOneDigest() throws Exception {
        UUID channel = channel("-4002");
        List<Fixtures.Monitor> monitors = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Fixtures.Monitor monitor = new Fixtures.Monitor("tg-storm<" + i + ">", channel);
            monitors.add(monitor);
            Fixtures.publish(monitor.down());
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> requests().size() == 6);
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> requests().size() == 6);
        List<String> alerted = new ArrayList<>();
        for (HttpReceiver.Request request : requests().subList(0, 5)) {
            String text = json(request).get("text").asText();
            assertThat(text).startsWith("<b>DOWN | ");
            alerted.add(text);
        }
        String digest = json(requests().get(5)).get("text").asText();
        assertThat(digest).startsWith("<b>DIGEST | 3 monitors changed status</b>\n");
        for (Fixtures.Monitor monitor : monitors) {
            String escaped = TelegramSender.escape(monitor.name);
            boolean alone = alerted.stream().anyMatch(text -> text.contains(escaped));
            assertThat(alone ^ digest.contains(escaped)).as(monitor.name + " alerted or digested, once").isTrue();
        }
        assertThat(digest).contains(" is <b>DOWN</b>: missed check-in").contains("<a href=\"http://localhost:8081/api/v1/monitors/");
        for (int i = 1; i < requests().size(); i++) {
            assertThat(Duration.between(requests().get(i - 1).at(), requests().get(i).at())).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        }
    }

    @Test
    void aRateLimitAnswerIsRetriedAfterTelegramsRetryAfter() throws Exception {
        telegram.enqueueFor(request -> request.path().equals(path), Reply.status(429).withBody(
                "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after 2\",\"parameters\":{\"retry_after\":2}}"));
        UUID channel = channel("-4003");
        Fixtures.publish(new Fixtures.Monitor("limited", channel).down());

        await().atMost(Duration.ofSeconds(20)).until(() -> requests().size() == 2);
        assertThat(Duration.between(requests().get(0).at(), requests().get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
        await().atMost(Duration.ofSeconds(10)).until(() -> Fixtures.outcomesFor(channel).size() == 2);
        List<DeliveryAttempted> outcomes = Fixtures.outcomesFor(channel);
        assertThat(outcomes).extracting(DeliveryAttempted::outcome).containsExactly("retry", "delivered");
        assertThat(outcomes.get(0).error()).contains("429").contains("Too Many Requests");
    }

    @Test
    void aBlockedBotIsAPermanentFailure() {
        telegram.enqueueFor(request -> request.path().equals(path), Reply.status(403).withBody(
                "{\"ok\":false,\"error_code\":403,\"description\":\"Forbidden: bot was blocked by the user\"}"));
        UUID channel = channel("4004");
        Fixtures.publish(new Fixtures.Monitor("blocked", channel).down());

        await().atMost(Duration.ofSeconds(15)).until(() -> !Fixtures.outcomesFor(channel).isEmpty());
        DeliveryAttempted outcome = Fixtures.outcomesFor(channel).get(0);
        assertThat(outcome.status()).isEqualTo("FAILED");
        assertThat(outcome.httpStatus()).isEqualTo(403);
        assertThat(outcome.error()).contains("bot was blocked by the user").doesNotContain(token);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> requests().size() == 1);
    }

    @Test
    void aGroupThatBecameASupergroupGetsTheMessageAtItsNewIdAndKeepsIt() throws Exception {
        telegram.enqueueFor(request -> request.path().equals(path), Reply.status(400).withBody(
                "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: group chat was upgraded to a supergroup chat\","
                        + "\"parameters\":{\"migrate_to_chat_id\":-1004005}}"));
        UUID channel = channel("-4005");
        Fixtures.Monitor monitor = new Fixtures.Monitor("migrated", channel);
        Fixtures.publish(monitor.down());

        await().atMost(Duration.ofSeconds(15)).until(() -> requests().size() == 2);
        assertThat(json(requests().get(0)).get("chat_id").asText()).isEqualTo("-4005");
        assertThat(json(requests().get(1)).get("chat_id").asText()).isEqualTo("-1004005");
        assertThat(json(requests().get(1)).get("text").asText()).isEqualTo(json(requests().get(0)).get("text").asText());
        await().atMost(Duration.ofSeconds(10)).until(() -> !Fixtures.outcomesFor(channel).isEmpty());
        DeliveryAttempted outcome = Fixtures.outcomesFor(channel).get(0);
        assertThat(outcome.outcome()).isEqualTo("delivered");
        assertThat(outcome.configChange()).isEqualTo(new DeliveryAttempted.ConfigChange(
                Map.of("chatId", "-4005"), Map.of("chatId", "-1004005")));
        assertThat(Fixtures.outcomesFor(channel)).hasSize(1);

        Fixtures.publish(monitor.up());
        await().atMost(Duration.ofSeconds(15)).until(() -> requests().size() == 3);
        JsonNode next = json(requests().get(2));
        assertThat(next.get("chat_id").asText()).isEqualTo("-1004005");
        assertThat(next.get("text").asText()).startsWith("<b>UP | ");
        await().atMost(Duration.ofSeconds(10)).until(() -> Fixtures.outcomesFor(channel).size() == 2);
        assertThat(Fixtures.outcomesFor(channel).get(1).configChange()).isNull();
    }
}
