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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SmtpResource.class, restrictToAnnotatedClass = false)
class NtfyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpReceiver ntfy = HttpReceiver.start();

    @AfterEach
    void close() {
        ntfy.close();
    }

    private UUID channel(Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>(Map.of("serverUrl", ntfy.baseUrl(), "topic", "vigil-alerts"));
        config.putAll(extra);
        return Fixtures.channel(ChannelType.NTFY, config, null, null);
    }

    private List<HttpReceiver.Request> requests() {
        return ntfy.requests("/");
    }

    private JsonNode json(int i) throws Exception {
        return JSON.readTree(requests().get(i).body());
    }

    @Test
    void aDownAlertAndItsRecoveryArePublishedAsJsonWithTheToken() throws Exception {
        UUID channel = channel(Map.of("token", "tk_secret123"));
        Fixtures.Monitor monitor = new Fixtures.Monitor("nightly-backup", channel);
        MonitorFlipped down = Fixtures.publish(monitor.down());

        await().atMost(Duration.ofSeconds(15)).until(() -> requests().size() == 1);
        HttpReceiver.Request request = requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.query()).isNull();
        assertThat(request.header("Authorization")).isEqualTo("Bearer tk_secret123");
        assertThat(request.header("Content-Type")).startsWith("application/json");
        JsonNode message = json(0);
        assertThat(message.get("topic").asText()).isEqualTo("vigil-alerts");
        assertThat(message.get("title").asText()).isEqualTo("DOWN | " + monitor.name);
        assertThat(message.get("priority").asInt()).isEqualTo(5);
        assertThat(message.get("tags").toString()).isEqualTo("[\"rotating_light\"]");
        assertThat(message.get("click").asText()).isEqualTo(down.link());
        assertThat(message.get("message").asText()).startsWith(monitor.name + " is DOWN: missed check-in: due 10:00:00Z, grace 5m")
                .contains("\nLast seen: ").contains("\nLink: " + down.link()).endsWith("\n\nLast ping body:\nbackup failed: disk full");

        Fixtures.publish(monitor.up());
        await().atMost(Duration.ofSeconds(15)).until(() -> requests().size() == 2);
        JsonNode up = json(1);
        assertThat(up.get("title").asText()).isEqualTo("UP | " + monitor.name);
        assertThat(up.get("priority").asInt()).isEqualTo(3);
        assertThat(up.get("tags").toString()).isEqualTo("[\"white_check_mark\"]");
        assertThat(up.get("message").asText()).contains("\nDown for: 12m");
    }

    @Test
    void withoutATokenNoAuthorizationIsSentAndTheConfiguredPriorityWins() throws Exception {
        UUID channel = Fixtures.channel(ChannelType.NTFY, Map.of("serverUrl", ntfy.baseUrl(), "topic", "vigil-alerts",
                "priority", 2), List.of(Status.LATE, Status.DOWN, Status.UP), null);
        Fixtures.Monitor monitor = new Fixtures.Monitor("late-job", channel);
        Fixtures.publish(monitor.flip(Status.LATE, "late", "late: due 10:00:00Z", null));

        await().atMost(Duration.ofSeconds(15)).until(() -> requests().size() == 1);
        assertThat(requests().get(0).header("Authorization")).isNull();
        assertThat(json(0).get("priority").asInt()).isEqualTo(2);
        assertThat(json(0).get("tags").toString()).isEqualTo("[\"warning\"]");
    }

    @Test
    void aHostileNameArrivesVerbatimAndTheMessageFitsNtfysLimit() throws Exception {
        UUID channel = channel(Map.of());
        Fixtures.Monitor monitor = new Fixtures.Monitor("<b>&\"x *_`", channel);
        Fixtures.publish(monitor.flip(Status.DOWN, "failure", "failure signal", "é".repeat(1000)));

        await().atMost(Duration.ofSeconds(15)).until(() -> requests().size() == 1);
        JsonNode message = json(0);
        assertThat(message.get("title").asText()).isEqualTo("DOWN | " + monitor.name);
        assertThat(message.has("markdown")).isFalse();
        assertThat(message.get("message").asText()).startsWith(monitor.name + " is DOWN").contains("éééé");
        assertThat(message.get("message").asText().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(4096);
    }

    @Test
    void aStormGoesOutAsFiveAlertsThenOneDigestWithinFourKilobytes() throws Exception {
        UUID channel = channel(Map.of());
        List<Fixtures.Monitor> monitors = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            Fixtures.Monitor monitor = new Fixtures.Monitor(String.format("ntfy-storm-%02d-", i) + "q".repeat(60), channel);
            monitors.add(monitor);
            Fixtures.publish(monitor.down());
        }

        await().atMost(Duration.ofSeconds(40)).until(() -> requests().size() == 6);
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> requests().size() == 6);
        for (int i = 0; i < 5; i++) {
            assertThat(json(i).get("title").asText()).startsWith("DOWN | ntfy-storm-");
        }
        JsonNode digest = json(5);
        assertThat(digest.get("title").asText()).isEqualTo("DIGEST | 55 monitors changed status");
        assertThat(digest.get("priority").asInt()).isEqualTo(5);
        assertThat(digest.get("click").asText()).isEqualTo("http://localhost:8081/api/v1/monitors");
        String text = digest.get("message").asText();
        assertThat(text.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(4096);
        Matcher more = Pattern.compile("\n… and (\\d+) more: http://localhost:8081/api/v1/monitors$").matcher(text);
        assertThat(more.find()).as(text).isTrue();
        long named = monitors.stream().filter(monitor -> text.contains("• " + monitor.name + " is DOWN")).count();
        assertThat(named + Integer.parseInt(more.group(1))).isEqualTo(55);
    }

    @Test
    void aRateLimitIsRetriedAndAForbiddenTopicIsPermanent() {
        ntfy.enqueue(Reply.status(429).withHeader("Retry-After", "1"));
        UUID limited = channel(Map.of());
        Fixtures.publish(new Fixtures.Monitor("limited", limited).down());
        await().atMost(Duration.ofSeconds(15)).until(() -> Fixtures.outcomesFor(limited).size() == 2);
        assertThat(Fixtures.outcomesFor(limited)).extracting(DeliveryAttempted::outcome).containsExactly("retry", "delivered");

        ntfy.enqueue(Reply.status(403).withBody("{\"code\":40301,\"http\":403,\"error\":\"forbidden\"}"));
        UUID forbidden = channel(Map.of("token", "tk_wrong"));
        Fixtures.publish(new Fixtures.Monitor("forbidden", forbidden).down());
        await().atMost(Duration.ofSeconds(15)).until(() -> !Fixtures.outcomesFor(forbidden).isEmpty());
        DeliveryAttempted failed = Fixtures.outcomesFor(forbidden).get(0);
        assertThat(failed.status()).isEqualTo("FAILED");
        assertThat(failed.httpStatus()).isEqualTo(403);
        assertThat(failed.error()).doesNotContain("tk_wrong");
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> requests().size() == 3);
    }
}
