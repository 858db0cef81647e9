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
import io.vigil.notifier.channel.matrix.MatrixSender;
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
class MatrixTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SEND = "/_matrix/client/v3/rooms/!room%s:example.org/send/m.room.message/";
    private final HttpReceiver receiver = HttpReceiver.start();

    @AfterEach
    void close() {
        receiver.close();
    }

    /** A Matrix channel on the receiver for a room of its own; answers its send path's prefix. */
    private String matrix(String room, UUID[] channel) {
        channel[0] = Fixtures.channel(ChannelType.MATRIX, Map.of("homeserverUrl", receiver.url("/"),
                "roomId", "!room" + room + ":example.org", "accessToken", "syt_token_" + room), null, null);
        return String.format(SEND, room);
    }

    private List<HttpReceiver.Request> sent(String prefix) {
        return receiver.requests().stream().filter(request -> request.path().startsWith(prefix)).toList();
    }

    @Test
    void aDownAlertAndItsRecoveryArePutAsHtmlMessagesWithTheEventIdAsTransactionId() throws Exception {
        UUID[] channel = new UUID[1];
        String prefix = matrix("Down", channel);
        Fixtures.Monitor monitor = new Fixtures.Monitor("nightly-backup", channel[0]);
        MonitorFlipped down = Fixtures.publish(monitor.down());

        await().atMost(Duration.ofSeconds(15)).until(() -> sent(prefix).size() == 1);
        HttpReceiver.Request request = sent(prefix).get(0);
        assertThat(request.method()).isEqualTo("PUT");
        assertThat(request.header("Authorization")).isEqualTo("Bearer syt_token_Down");
        assertThat(request.header("Content-Type")).startsWith("application/json");
        await().atMost(Duration.ofSeconds(10)).until(() -> !Fixtures.outcomesFor(channel[0]).isEmpty());
        DeliveryAttempted outcome = Fixtures.outcomesFor(channel[0]).get(0);
        assertThat(request.path()).isEqualTo(prefix + outcome.deliveryId());
        JsonNode content = JSON.readTree(request.body());
        assertThat(content.get("msgtype").asText()).isEqualTo("m.text");
        assertThat(content.get("format").asText()).isEqualTo("org.matrix.custom.html");
        assertThat(content.get("m.mentions").isEmpty()).isTrue();
        assertThat(content.get("body").asText()).isEqualTo("DOWN | " + monitor.name + "\n"
                + monitor.name + " is DOWN: missed check-in: due 10:00:00Z, grace 5m\n"
                + "Monitor: " + monitor.name + "\nStatus: DOWN (was NEW)\nWhy: missed check-in: due 10:00:00Z, grace 5m\n"
                + "Last seen: " + Notification.readable(down.lastPingAt()) + "\nAt: " + Notification.readable(down.occurredAt())
                + "\n" + down.link() + "\nLast ping body:\nbackup failed: disk full");
        String html = content.get("formatted_body").asText();
        assertThat(html).startsWith("<h4><font data-mx-color=\"#d0312d\" color=\"#d0312d\">DOWN | " + monitor.name + "</font></h4>")
                .contains("<li><strong>Why:</strong> missed check-in: due 10:00:00Z, grace 5m</li>")
                .contains("<a href=\"" + down.link() + "\">Open " + monitor.name + " in Vigil</a>")
                .endsWith("<pre><code>backup failed: disk full</code></pre>");

        Fixtures.publish(monitor.up());
        await().atMost(Duration.ofSeconds(15)).until(() -> sent(prefix).size() == 2);
        HttpReceiver.Request recovery = sent(prefix).get(1);
        assertThat(recovery.method()).isEqualTo("PUT");
        assertThat(recovery.path()).isNotEqualTo(request.path());
        JsonNode recovered = JSON.readTree(recovery.body());
        assertThat(recovered.get("body").asText()).startsWith("UP | " + monitor.name + "\n" + monitor.name + " is UP: success signal")
                .contains("Down for: 12m");
        assertThat(recovered.get("formatted_body").asText()).startsWith("<h4><font data-mx-color=\"#2eb67d\"")
                .contains("<li><strong>Down for:</strong> 12m</li>");
    }

    @Test
    void aRateLimitedSendIsRetriedWithTheSameTransactionId() {
        receiver.enqueue(Reply.status(429).withHeader("Retry-After", "1")
                .withBody("{\"errcode\":\"M_LIMIT_EXCEEDED\",\"error\":\"Too many requests\",\"retry_after_ms\":1000}"));
        UUID[] channel = new UUID[1];
        String prefix = matrix("Limited", channel);
        Fixtures.publish(new Fixtures.Monitor("limited", channel[0]).down());

        await().atMost(Duration.ofSeconds(15)).until(() -> sent(prefix).size() == 2);
        List<HttpReceiver.Request> requests = sent(prefix);
        assertThat(requests.get(1).path()).isEqualTo(requests.get(0).path());
        assertThat(requests.get(1).body()).isEqualTo(requests.get(0).body());
        assertThat(Duration.between(requests.get(0).at(), requests.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        await().atMost(Duration.ofSeconds(10)).until(() -> Fixtures.outcomesFor(channel[0]).size() == 2);
        assertThat(Fixtures.outcomesFor(channel[0])).extracting(DeliveryAttempted::outcome).containsExactly("retry", "delivered");
    }

    @Test
    void aRateLimitWithoutRetryAfterWaitsForTheBodysRetryAfterMs() {
        receiver.enqueue(Reply.status(429)
                .withBody("{\"errcode\":\"M_LIMIT_EXCEEDED\",\"error\":\"Too many requests\",\"retry_after_ms\":1500}"));
        UUID[] channel = new UUID[1];
        String prefix = matrix("Hinted", channel);
        Fixtures.publish(new Fixtures.Monitor("hinted", channel[0]).down());

        await().atMost(Duration.ofSeconds(15)).until(() -> sent(prefix).size() == 2);
        List<HttpReceiver.Request> requests = sent(prefix);
        assertThat(requests.get(1).path()).isEqualTo(requests.get(0).path());
        // 1,500 ms rounds up to 2 s; the backoff alone would retry after about 0.2 s
        assertThat(Duration.between(requests.get(0).at(), requests.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(1950));
        await().atMost(Duration.ofSeconds(10)).until(() -> Fixtures.outcomesFor(channel[0]).size() == 2);
        assertThat(Fixtures.outcomesFor(channel[0])).extracting(DeliveryAttempted::httpStatus).containsExactly(429, 200);
    }

    @Test
    void anUnknownTokenFailsAtOnce() {
        receiver.enqueue(Reply.status(401).withBody("{\"errcode\":\"M_UNKNOWN_TOKEN\",\"error\":\"Invalid access token\"}"));
        UUID[] channel = new UUID[1];
        String prefix = matrix("Revoked", channel);
        Fixtures.publish(new Fixtures.Monitor("revoked", channel[0]).down());

        await().atMost(Duration.ofSeconds(15)).until(() -> Fixtures.outcomesFor(channel[0]).size() == 1);
        DeliveryAttempted outcome = Fixtures.outcomesFor(channel[0]).get(0);
        assertThat(outcome.status()).isEqualTo("FAILED");
        assertThat(outcome.httpStatus()).isEqualTo(401);
        // never retried (a repeat of the same attempt, at least once, is not a retry)
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> Fixtures.outcomesFor(channel[0]).stream()
                .noneMatch(attempt -> "retry".equals(attempt.outcome())));
        assertThat(sent(prefix)).isNotEmpty();
    }

    @Test
    void aHostileNameAndPingBodyAreHtmlEscaped() throws Exception {
        UUID[] channel = new UUID[1];
        String prefix = matrix("Hostile", channel);
        Fixtures.Monitor monitor = new Fixtures.Monitor("<b>&\"x' @room", channel[0]);
        Fixtures.publish(monitor.flip(Status.DOWN, "missed", "missed", "</code></pre><img src=x>"));

        await().atMost(Duration.ofSeconds(15)).until(() -> sent(prefix).size() == 1);
        JsonNode content = JSON.readTree(sent(prefix).get(0).body());
        String escaped = "&lt;b&gt;&amp;&quot;x&#39; @room" + monitor.name.substring(monitor.name.lastIndexOf('-'));
        String html = content.get("formatted_body").asText();
        assertThat(html).contains("DOWN | " + escaped + "</font>").contains("<li><strong>Monitor:</strong> " + escaped + "</li>")
                .endsWith("<pre><code>&lt;/code&gt;&lt;/pre&gt;&lt;img src=x&gt;</code></pre>").doesNotContain("<b>")
                .doesNotContain("<img");
        assertThat(content.get("body").asText()).startsWith("DOWN | " + monitor.name + "\n");
        assertThat(content.get("m.mentions").isEmpty()).isTrue();
    }

    @Test
    void aStormGoesOutAsFiveAlertsAndOneDigest() throws Exception {
        UUID[] channel = new UUID[1];
        String prefix = matrix("Storm", channel);
        List<Fixtures.Monitor> monitors = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Fixtures.Monitor monitor = new Fixtures.Monitor("matrix-storm" + i, channel[0]);
            monitors.add(monitor);
            Fixtures.publish(monitor.down());
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> sent(prefix).size() == 6);
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> sent(prefix).size() == 6);
        JsonNode digest = JSON.readTree(sent(prefix).get(5).body());
        assertThat(digest.get("body").asText()).startsWith("DIGEST | 3 monitors changed status\n");
        String html = digest.get("formatted_body").asText();
        int digested = 0;
        for (Fixtures.Monitor monitor : monitors) {
            if (html.contains(monitor.name)) {
                digested++;
                assertThat(html).contains("<li><a href=\"http://localhost:8081/api/v1/monitors/" + monitor.id + "\">"
                        + monitor.name + "</a> is <strong>DOWN</strong>: missed check-in");
                assertThat(digest.get("body").asText()).contains("- " + monitor.name + " is DOWN: missed check-in");
            }
        }
        assertThat(digested).isEqualTo(3);
    }

    @Test
    void aDigestOfFiveThousandMonitorsStaysWithinAnEventsSizeAndCountsTheRest() throws Exception {
        List<Notification.Entry> entries = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            entries.add(new Notification.Entry(String.format("storm-%04d-", i) + "x".repeat(100), Status.DOWN,
                    "missed check-in: due 10:00:00Z, grace 5m", Instant.parse("2026-11-23T10:05:00Z"),
                    "http://vigil.example:8081/api/v1/monitors/" + UUID.randomUUID()));
        }
        String payload = MatrixSender.message(Notification.digest(UUID.randomUUID(), entries, Instant.now()));
        assertThat(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo(MatrixSender.CONTENT_BUDGET);
        JsonNode content = JSON.readTree(payload);
        String html = content.get("formatted_body").asText();
        int named = 0;
        while (html.contains(String.format("storm-%04d-", named))) {
            named++;
        }
        java.util.regex.Matcher more = java.util.regex.Pattern.compile("… and (\\d+) more: <a href=\"http://vigil.example:8081/api/v1/monitors\">")
                .matcher(html);
        assertThat(more.find()).isTrue();
        assertThat(named).isGreaterThan(100);
        assertThat(named + Integer.parseInt(more.group(1))).isEqualTo(5000);
        assertThat(content.get("body").asText()).endsWith("… and " + more.group(1) + " more: http://vigil.example:8081/api/v1/monitors");
    }
}
