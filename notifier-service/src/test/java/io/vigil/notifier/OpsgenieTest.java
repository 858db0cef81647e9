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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SmtpResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = ProviderResource.class, restrictToAnnotatedClass = false)
class OpsgenieTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpReceiver provider = ProviderResource.receiver();
    private final String apiKey = UUID.randomUUID().toString();

    private UUID channel(Map<String, Object> extra, List<Status> notifyOn) {
        Map<String, Object> config = new HashMap<>(extra);
        config.put("apiKey", apiKey);
        return Fixtures.channel(ChannelType.OPSGENIE, config, notifyOn, null);
    }

    /** The requests carrying this test's API key, oldest first. */
    private List<HttpReceiver.Request> requests() {
        return provider.requests().stream().filter(request -> ("GenieKey " + apiKey).equals(request.header("Authorization")))
                .toList();
    }

    /** Each request as {@code <path>} (with {@code ?query} when there is one). */
    private List<String> calls() {
        return requests().stream().map(request -> request.path() + (request.query() == null ? "" : "?" + request.query())).toList();
    }

    private static JsonNode json(HttpReceiver.Request request) {
        try {
            return JSON.readTree(request.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void downCreatesAnAlertAndTheRecoveryClosesItByAlias() {
        UUID channel = channel(Map.of(), null);
        Fixtures.Monitor monitor = new Fixtures.Monitor("<b>&\"x", channel);
        MonitorFlipped down = Fixtures.publish(monitor.down());

        await().atMost(Duration.ofSeconds(15)).until(() -> requests().size() == 1);
        HttpReceiver.Request request = requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/opsgenie/v2/alerts");
        assertThat(request.query()).isNull();
        assertThat(request.header("Authorization")).isEqualTo("GenieKey " + apiKey);
        assertThat(request.header("Content-Type")).startsWith("application/json");
        JsonNode alert = json(request);
        // plain text as Opsgenie shows it: the hostile name arrives as written, only JSON-escaped on the wire
        assertThat(alert.get("message").asText()).isEqualTo(monitor.name + " is DOWN: missed check-in: due 10:00:00Z, grace 5m");
        assertThat(request.bodyText()).contains("\"<b>&\\\"x-");
        assertThat(alert.get("alias").asText()).isEqualTo("vigil-" + monitor.id);
        assertThat(alert.get("priority").asText()).isEqualTo("P2");
        assertThat(alert.get("source").asText()).isEqualTo("Vigil");
        assertThat(alert.get("entity").asText()).isEqualTo(monitor.name);
        assertThat(alert.get("tags").toString()).isEqualTo("[\"prod\",\"db\",\"vigil\"]");
        String description = alert.get("description").asText();
        assertThat(description).startsWith(monitor.name + " is DOWN: ")
                .contains("Why: missed check-in: due 10:00:00Z, grace 5m")
                .contains("Last seen: " + Notification.readable(down.lastPingAt()))
                .contains("Last ping body:\nbackup failed: disk full")
                .endsWith("Link: " + down.link());
        JsonNode details = alert.get("details");
        assertThat(details.get("Monitor").asText()).isEqualTo(monitor.name);
        assertThat(details.get("Status").asText()).isEqualTo("DOWN (was NEW)");
        assertThat(details.get("Why").asText()).isEqualTo("missed check-in: due 10:00:00Z, grace 5m");
        assertThat(details.get("Monitor id").asText()).isEqualTo(monitor.id.toString());
        assertThat(details.get("Link").asText()).isEqualTo(down.link());

        Fixtures.publish(monitor.up());
        await().atMost(Duration.ofSeconds(15)).until(() -> requests().size() == 2);
        HttpReceiver.Request recovery = requests().get(1);
        assertThat(recovery.method()).isEqualTo("POST");
        assertThat(recovery.path()).isEqualTo("/opsgenie/v2/alerts/vigil-" + monitor.id + "/close");
        assertThat(recovery.query()).isEqualTo("identifierType=alias");
        assertThat(recovery.header("Authorization")).isEqualTo("GenieKey " + apiKey);
        assertThat(recovery.header("Content-Type")).startsWith("application/json");
        JsonNode close = json(recovery);
        assertThat(close.get("source").asText()).isEqualTo("Vigil");
        assertThat(close.get("note").asText()).isEqualTo(monitor.name + " is UP: success signal");
        assertThat(close.size()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> Fixtures.outcomesFor(channel).size() == 2);
        assertThat(Fixtures.outcomesFor(channel)).extracting(DeliveryAttempted::outcome).containsOnly("delivered");
    }

    @Test
    void anAlertIsCreatedClosedAndCreatedAgainWhenTheMonitorGoesDownAfterRecovering() {
        UUID channel = channel(Map.of(), null);
        Fixtures.Monitor monitor = new Fixtures.Monitor("lifecycle", channel);
        String alias = "vigil-" + monitor.id;
        Fixtures.publish(monitor.down());
        Fixtures.publish(monitor.up());
        Fixtures.publish(monitor.down());

        await().atMost(Duration.ofSeconds(15)).until(() -> requests().size() == 3);
        assertThat(calls()).containsExactly("/opsgenie/v2/alerts", "/opsgenie/v2/alerts/" + alias + "/close?identifierType=alias",
                "/opsgenie/v2/alerts");
        assertThat(json(requests().get(0)).get("alias").asText()).isEqualTo(alias);
        assertThat(json(requests().get(2)).get("alias").asText()).isEqualTo(alias);
        assertThat(json(requests().get(2)).get("details").get("Status").asText()).isEqualTo("DOWN (was UP)");
    }

    @Test
    void theEuRegionAndTheChannelsPriorityAreUsed() {
        UUID channel = channel(Map.of("region", "eu", "priority", "P1"), null);
        Fixtures.Monitor monitor = new Fixtures.Monitor("eu", channel);
        Fixtures.publish(monitor.down());
        Fixtures.publish(monitor.up());

        await().atMost(Duration.ofSeconds(15)).until(() -> requests().size() == 2);
        assertThat(calls()).containsExactly("/opsgenie-eu/v2/alerts",
                "/opsgenie-eu/v2/alerts/vigil-" + monitor.id + "/close?identifierType=alias");
        assertThat(json(requests().get(0)).get("priority").asText()).isEqualTo("P1");
    }

    @Test
    void aLongSummaryIsCutToOpsgeniesMessageLimit() {
        UUID channel = channel(Map.of(), List.of(Status.LATE, Status.DOWN, Status.UP));
        Fixtures.Monitor monitor = new Fixtures.Monitor("x".repeat(150), channel);
        Fixtures.publish(monitor.flip(Status.LATE, "missed", "missed check-in: due 10:00:00Z, grace 5m", null));

        await().atMost(Duration.ofSeconds(15)).until(() -> requests().size() == 1);
        String message = json(requests().get(0)).get("message").asText();
        assertThat(message).hasSize(130).startsWith("xxxx").endsWith("…");
        assertThat(json(requests().get(0)).get("description").asText()).startsWith(monitor.name + " is LATE: ")
                .doesNotContain("Last ping body");
    }

    @Test
    void anInvalidRequestFailsAtOnceWithoutRetrying() {
        UUID channel = channel(Map.of(), null);
        Fixtures.awaitKnown(channel);
        int before = requests().size();
        provider.enqueue(Reply.status(422).withBody("{\"message\":\"Request body is not processable\",\"took\":0.001}"));
        Fixtures.publish(new Fixtures.Monitor("rejected", channel).down());

        await().atMost(Duration.ofSeconds(15)).until(() -> Fixtures.alertsFor(channel).size() == 1);
        DeliveryAttempted outcome = Fixtures.alertsFor(channel).get(0);
        assertThat(outcome.outcome()).isEqualTo("failed");
        assertThat(outcome.status()).isEqualTo("FAILED");
        assertThat(outcome.httpStatus()).isEqualTo(422);
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(4)).until(() -> requests().size() == before + 1);
    }

    @Test
    void tooManyRequestsIsRetried() {
        UUID channel = channel(Map.of(), null);
        Fixtures.awaitKnown(channel);
        int before = requests().size();
        Fixtures.Monitor monitor = new Fixtures.Monitor("throttled", channel);
        provider.enqueue(Reply.status(429), Reply.status(202).withBody("{\"result\":\"Request will be processed\"}"));
        Fixtures.publish(monitor.down());

        await().atMost(Duration.ofSeconds(15)).until(() -> Fixtures.alertsFor(channel).stream().anyMatch(a -> "delivered".equals(a.outcome())));
        List<DeliveryAttempted> attempts = Fixtures.alertsFor(channel);
        assertThat(attempts.get(0).outcome()).isEqualTo("retry");
        assertThat(attempts.get(0).httpStatus()).isEqualTo(429);
        assertThat(attempts.get(attempts.size() - 1).httpStatus()).isEqualTo(202);
        List<HttpReceiver.Request> sent = requests().subList(before, requests().size());
        assertThat(sent).hasSizeGreaterThanOrEqualTo(2).extracting(HttpReceiver.Request::bodyText).containsOnly(sent.get(0).bodyText());
        assertThat(json(sent.get(0)).get("alias").asText()).isEqualTo("vigil-" + monitor.id);
    }

    @Test
    void aTestSendCreatesATestAlertOfItsOwnAtTheLowestPriority() {
        UUID channel = channel(Map.of("priority", "P1"), null);
        Fixtures.awaitKnown(channel);

        assertThat(calls()).containsOnly("/opsgenie/v2/alerts");
        JsonNode test = json(requests().get(requests().size() - 1));
        assertThat(test.get("alias").asText()).isEqualTo("vigil-test-" + channel);
        assertThat(test.get("priority").asText()).isEqualTo("P5");
        assertThat(test.get("message").asText()).startsWith("Vigil test: ");
        assertThat(test.get("tags").toString()).isEqualTo("[\"vigil\",\"test\"]");
    }
}
