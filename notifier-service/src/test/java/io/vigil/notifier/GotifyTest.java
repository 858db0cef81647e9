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
import io.vigil.testkit.HttpReceiver;
import io.vigil.testkit.HttpReceiver.Reply;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import io.vigil.testkit.SmtpResource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SmtpResource.class, restrictToAnnotatedClass = false)
class GotifyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpReceiver gotify = HttpReceiver.start();

    @AfterEach
    void close() {
        gotify.close();
    }

    private UUID channel(Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>(Map.of("serverUrl", gotify.url("/gotify/"), "appToken", "AbCdEf.123"));
        config.putAll(extra);
        return Fixtures.channel(ChannelType.GOTIFY, config, null, null);
    }

    private List<HttpReceiver.Request> requests() {
        return gotify.requests("/gotify/message");
    }

    private JsonNode json(int i) throws Exception {
        return JSON.readTree(requests().get(i).body());
    }

    @Test
    void aDownAlertAndItsRecoveryArePostedToTheMessageApiWithTheAppToken() throws Exception {
        UUID channel = channel(Map.of());
        Fixtures.Monitor monitor = new Fixtures.Monitor("nightly-backup", channel);
        MonitorFlipped down = Fixtures.publish(monitor.down());

        await().atMost(Duration.ofSeconds(15)).until(() -> requests().size() == 1);
        HttpReceiver.Request request = requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.query()).isNull();
        assertThat(request.header("X-Gotify-Key")).isEqualTo("AbCdEf.123");
        assertThat(request.header("Content-Type")).startsWith("application/json");
        JsonNode message = json(0);
        assertThat(message.get("title").asText()).isEqualTo("DOWN | " + monitor.name);
        assertThat(message.get("priority").asInt()).isEqualTo(8);
        assertThat(message.get("extras").toString())
                .isEqualTo("{\"client::notification\":{\"click\":{\"url\":\"" + down.link() + "\"}}}");
        assertThat(message.get("message").asText()).startsWith(monitor.name + " is DOWN: missed check-in: due 10:00:00Z, grace 5m")
                .contains("\nStatus: DOWN (was NEW)").contains("\nLink: " + down.link())
                .endsWith("\n\nLast ping body:\nbackup failed: disk full");

        Fixtures.publish(monitor.up());
        await().atMost(Duration.ofSeconds(15)).until(() -> requests().size() == 2);
        JsonNode up = json(1);
        assertThat(up.get("title").asText()).isEqualTo("UP | " + monitor.name);
        assertThat(up.get("priority").asInt()).isEqualTo(4);
        assertThat(up.get("message").asText()).contains("\nDown for: 12m").endsWith("all good");
    }

    @Test
    void theConfiguredPriorityWinsAndAHostileNameIsPlainText() throws Exception {
        UUID channel = channel(Map.of("priority", 10));
        Fixtures.Monitor monitor = new Fixtures.Monitor("<b>&\"x **[a](b)**", channel);
        Fixtures.publish(monitor.flip(Status.DOWN, "failure", "failure signal", "# not a heading"));

        await().atMost(Duration.ofSeconds(15)).until(() -> requests().size() == 1);
        JsonNode message = json(0);
        assertThat(message.get("priority").asInt()).isEqualTo(10);
        assertThat(message.get("title").asText()).isEqualTo("DOWN | " + monitor.name);
        assertThat(message.get("message").asText()).startsWith(monitor.name + " is DOWN").endsWith("# not a heading");
        assertThat(message.get("extras").has("client::display")).isFalse();
    }

    @Test
    void aStormGoesOutAsFiveAlertsThenOneDigest() throws Exception {
        UUID channel = channel(Map.of());
        List<Fixtures.Monitor> monitors = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Fixtures.Monitor monitor = new Fixtures.Monitor("gotify-storm-" + i, channel);
            monitors.add(monitor);
            Fixtures.publish(monitor.down());
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> requests().size() == 6);
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> requests().size() == 6);
        List<String> alerted = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            assertThat(json(i).get("title").asText()).startsWith("DOWN | gotify-storm-");
            alerted.add(json(i).get("title").asText());
        }
        JsonNode digest = json(5);
        assertThat(digest.get("title").asText()).isEqualTo("DIGEST | 3 monitors changed status");
        assertThat(digest.get("extras").get("client::notification").get("click").get("url").asText())
                .isEqualTo("http://localhost:8081/api/v1/monitors");
        String text = digest.get("message").asText();
        for (Fixtures.Monitor monitor : monitors) {
            boolean alone = alerted.contains("DOWN | " + monitor.name);
            assertThat(alone ^ text.contains("• " + monitor.name + " is DOWN: missed check-in")).as(monitor.name).isTrue();
        }
    }

    @Test
    void aWrongTokenIsPermanentAndAServerErrorIsRetried() {
        gotify.enqueue(Reply.status(503));
        UUID flaky = channel(Map.of());
        Fixtures.publish(new Fixtures.Monitor("flaky", flaky).down());
        await().atMost(Duration.ofSeconds(15)).until(() -> Fixtures.outcomesFor(flaky).size() == 2);
        assertThat(Fixtures.outcomesFor(flaky)).extracting(DeliveryAttempted::outcome).containsExactly("retry", "delivered");

        gotify.enqueue(Reply.status(401).withBody("{\"error\":\"Unauthorized\",\"errorCode\":401}"));
        UUID wrong = channel(Map.of());
        Fixtures.publish(new Fixtures.Monitor("wrong", wrong).down());
        await().atMost(Duration.ofSeconds(15)).until(() -> !Fixtures.outcomesFor(wrong).isEmpty());
        DeliveryAttempted failed = Fixtures.outcomesFor(wrong).get(0);
        assertThat(failed.status()).isEqualTo("FAILED");
        assertThat(failed.httpStatus()).isEqualTo(401);
        assertThat(failed.error()).doesNotContain("AbCdEf");
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> requests().size() == 3);
    }
}
