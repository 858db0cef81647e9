package io.vigil.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vigil.contracts.ChannelType;
import io.vigil.contracts.MonitorFlipped;
import io.vigil.notifier.channel.webhook.WebhookSender;
import io.vigil.testkit.HttpReceiver;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import io.vigil.testkit.SmtpResource;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SmtpResource.class, restrictToAnnotatedClass = false)
class WebhookTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpReceiver receiver = HttpReceiver.start();

    @AfterEach
    void close() {
        receiver.close();
    }

    @Test
    void webhookGetsTheJsonEventSignedWithTheSecretUsingTheConfiguredMethodAndHeaders() throws Exception {
        UUID channel = Fixtures.channel(ChannelType.WEBHOOK, Map.of("url", receiver.url("/hook"), "method", "PUT",
                "headers", Map.of("X-Team", "ops", "Authorization", "Bearer abc"), "secret", "s3cret"), null, null);
        Fixtures.Monitor monitor = new Fixtures.Monitor("payments", channel);
        MonitorFlipped down = Fixtures.publish(monitor.down());

        await().atMost(Duration.ofSeconds(15)).until(() -> receiver.requests("/hook").size() == 1);
        HttpReceiver.Request request = receiver.requests("/hook").get(0);
        assertThat(request.method()).isEqualTo("PUT");
        assertThat(request.header("X-Team")).isEqualTo("ops");
        assertThat(request.header("Authorization")).isEqualTo("Bearer abc");
        assertThat(request.header("Content-Type")).startsWith("application/json");
        String signature = request.header("X-Vigil-Signature");
        assertThat(signature).matches("t=\\d+,v1=[0-9a-f]{64}");
        long t = Long.parseLong(signature.substring(2, signature.indexOf(',')));
        assertThat(t).isBetween(request.at().getEpochSecond() - 5, request.at().getEpochSecond() + 1);
        // what a receiver computes: HMAC-SHA256 over "<t>.<body>", keyed by the secret
        byte[] signed = (t + "." + request.bodyText()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(signature).isEqualTo("t=" + t + ",v1=" + WebhookSender.hmacSha256Hex("s3cret", signed));
        // the body alone (the old scheme) no longer verifies, so a replay cannot be dressed up with a new time
        assertThat(signature).doesNotContain(WebhookSender.hmacSha256Hex("s3cret", request.body()));

        JsonNode event = JSON.readTree(request.body());
        assertThat(event.get("version").asInt()).isEqualTo(1);
        assertThat(event.get("type").asText()).isEqualTo("alert");
        assertThat(event.get("eventId").asText()).isNotBlank();
        assertThat(event.get("monitor").get("id").asText()).isEqualTo(monitor.id.toString());
        assertThat(event.get("monitor").get("name").asText()).isEqualTo(monitor.name);
        assertThat(event.get("monitor").get("slug").asText()).isEqualTo(monitor.name);
        assertThat(event.get("monitor").get("tags").toString()).isEqualTo("[\"prod\",\"db\"]");
        assertThat(event.get("previousStatus").asText()).isEqualTo("NEW");
        assertThat(event.get("status").asText()).isEqualTo("DOWN");
        assertThat(event.get("reason").asText()).isEqualTo("missed");
        assertThat(event.get("occurredAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(event.get("lastPingAt").asText()).isNotBlank();
        assertThat(event.has("downtime")).isTrue();
        assertThat(event.get("downtime").isNull()).isTrue();
        assertThat(event.get("link").asText()).isEqualTo(down.link());
        assertThat(event.get("lastPingBody").asText()).isEqualTo("backup failed: disk full");

        Fixtures.publish(monitor.up());
        await().atMost(Duration.ofSeconds(15)).until(() -> receiver.requests("/hook").size() == 2);
        JsonNode up = JSON.readTree(receiver.requests("/hook").get(1).body());
        assertThat(up.get("status").asText()).isEqualTo("UP");
        assertThat(up.get("downtime").asText()).isEqualTo("PT12M");
        assertThat(up.get("eventId").asText()).isNotEqualTo(event.get("eventId").asText());
    }

    @Test
    void webhookWithoutSecretIsNotSigned() {
        UUID channel = Fixtures.webhook(receiver.url("/plain"));
        Fixtures.publish(new Fixtures.Monitor("plain", channel).down());
        await().atMost(Duration.ofSeconds(15)).until(() -> receiver.requests("/plain").size() == 1);
        assertThat(receiver.requests("/plain").get(0).method()).isEqualTo("POST");
        assertThat(receiver.requests("/plain").get(0).header("X-Vigil-Signature")).isNull();
    }

    @Test
    void theSignatureCoversTheTimestampAndTheBody() {
        byte[] body = "{\"version\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        // the same as: printf '1700000000.{"version":1}' | openssl dgst -sha256 -hmac s3cret
        assertThat(WebhookSender.signature("s3cret", 1_700_000_000L, body))
                .isEqualTo("t=1700000000,v1=a88b61052c4236878628e418fb04bb6048d23e65d5ad3c5daf2866200cb2994f");
        assertThat(WebhookSender.signature("s3cret", 1_700_000_001L, body))
                .isNotEqualTo(WebhookSender.signature("s3cret", 1_700_000_000L, body));
    }
}
