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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SmtpResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = ProviderResource.class, restrictToAnnotatedClass = false)
class PagerDutyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PATH = "/pagerduty/v2/enqueue";

    private final HttpReceiver provider = ProviderResource.receiver();
    private final String routingKey = "R0" + UUID.randomUUID().toString().replace("-", "");

    private UUID channel(List<Status> notifyOn, Duration remindEvery) {
        return Fixtures.channel(ChannelType.PAGERDUTY, Map.of("routingKey", routingKey), notifyOn, remindEvery);
    }

    /** The requests carrying this test's routing key, oldest first. */
    private List<HttpReceiver.Request> requests() {
        return provider.requests(PATH).stream().filter(request -> routingKey.equals(json(request).path("routing_key").asText()))
                .toList();
    }

    private List<JsonNode> events() {
        return requests().stream().map(PagerDutyTest::json).toList();
    }

    private List<String> actions() {
        return events().stream().map(event -> event.get("event_action").asText() + ":" + event.get("dedup_key").asText()).toList();
    }

    private static JsonNode json(HttpReceiver.Request request) {
        try {
            return JSON.readTree(request.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void downTriggersACriticalIncidentAndTheRecoveryResolvesIt() {
        UUID channel = channel(null, null);
        Fixtures.Monitor monitor = new Fixtures.Monitor("<b>&\"x", channel);
        MonitorFlipped down = Fixtures.publish(monitor.down());

        await().atMost(Duration.ofSeconds(15)).until(() -> requests().size() == 1);
        HttpReceiver.Request request = requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo(PATH);
        assertThat(request.query()).isNull();
        assertThat(request.header("Content-Type")).startsWith("application/json");
        assertThat(request.header("Authorization")).isNull();
        JsonNode trigger = json(request);
        assertThat(trigger.get("routing_key").asText()).isEqualTo(routingKey);
        assertThat(trigger.get("event_action").asText()).isEqualTo("trigger");
        assertThat(trigger.get("dedup_key").asText()).isEqualTo("vigil-" + monitor.id);
        assertThat(trigger.get("client").asText()).isEqualTo("Vigil");
        assertThat(trigger.get("client_url").asText()).isEqualTo(down.link());
        assertThat(trigger.get("links")).hasSize(1);
        assertThat(trigger.get("links").get(0).get("href").asText()).isEqualTo(down.link());
        assertThat(trigger.get("links").get(0).get("text").asText()).isEqualTo("Open " + monitor.name + " in Vigil");
        JsonNode payload = trigger.get("payload");
        // plain text as PagerDuty shows it: the hostile name arrives as written, only JSON-escaped on the wire
        assertThat(payload.get("summary").asText())
                .isEqualTo(monitor.name + " is DOWN: missed check-in: due 10:00:00Z, grace 5m").startsWith("<b>&\"x-");
        assertThat(request.bodyText()).contains("\"<b>&\\\"x-");
        assertThat(payload.get("severity").asText()).isEqualTo("critical");
        assertThat(payload.get("source").asText()).isEqualTo(down.link());
        assertThat(payload.get("component").asText()).isEqualTo(monitor.name);
        assertThat(payload.get("class").asText()).isEqualTo("missed");
        assertThat(Instant.parse(payload.get("timestamp").asText()))
                .isEqualTo(down.occurredAt().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        JsonNode details = payload.get("custom_details");
        assertThat(details.get("Monitor").asText()).isEqualTo(monitor.name);
        assertThat(details.get("Status").asText()).isEqualTo("DOWN (was NEW)");
        assertThat(details.get("Why").asText()).isEqualTo("missed check-in: due 10:00:00Z, grace 5m");
        assertThat(details.get("Last seen").asText()).isEqualTo(Notification.readable(down.lastPingAt()));
        assertThat(details.get("Last ping body").asText()).isEqualTo("backup failed: disk full");
        assertThat(details.get("Tags").asText()).isEqualTo("prod, db");
        assertThat(details.has("Down for")).isFalse();

        Fixtures.publish(monitor.up());
        await().atMost(Duration.ofSeconds(15)).until(() -> requests().size() == 2);
        HttpReceiver.Request recovery = requests().get(1);
        assertThat(recovery.method()).isEqualTo("POST");
        assertThat(recovery.path()).isEqualTo(PATH);
        assertThat(recovery.header("Content-Type")).startsWith("application/json");
        JsonNode resolve = json(recovery);
        assertThat(resolve.get("event_action").asText()).isEqualTo("resolve");
        assertThat(resolve.get("dedup_key").asText()).isEqualTo("vigil-" + monitor.id);
        assertThat(resolve.get("routing_key").asText()).isEqualTo(routingKey);
        assertThat(resolve.has("payload")).isFalse();
        await().atMost(Duration.ofSeconds(10)).until(() -> Fixtures.outcomesFor(channel).size() == 2);
        assertThat(Fixtures.outcomesFor(channel)).extracting(DeliveryAttempted::outcome).containsOnly("delivered");
    }

    @Test
    void anIncidentIsTriggeredResolvedAndTriggeredAgainWhenTheMonitorGoesDownAfterRecovering() {
        UUID channel = channel(null, null);
        Fixtures.Monitor monitor = new Fixtures.Monitor("lifecycle", channel);
        String key = "vigil-" + monitor.id;
        Fixtures.publish(monitor.down());
        Fixtures.publish(monitor.up());
        Fixtures.publish(monitor.down());

        await().atMost(Duration.ofSeconds(15)).until(() -> requests().size() == 3);
        assertThat(actions()).containsExactly("trigger:" + key, "resolve:" + key, "trigger:" + key);
        assertThat(events().get(2).get("payload").get("severity").asText()).isEqualTo("critical");
        assertThat(events().get(2).get("payload").get("custom_details").get("Status").asText()).isEqualTo("DOWN (was UP)");

        Fixtures.publish(monitor.up());
        await().atMost(Duration.ofSeconds(15)).until(() -> requests().size() == 4);
        assertThat(actions().get(3)).isEqualTo("resolve:" + key);
    }

    @Test
    void aLateFlipTriggersAWarningThatTheDownFlipRaisesToCritical() {
        UUID channel = channel(List.of(Status.LATE, Status.DOWN, Status.UP), null);
        Fixtures.Monitor monitor = new Fixtures.Monitor("late", channel);
        Fixtures.publish(monitor.flip(Status.LATE, "missed", "missed check-in: due 10:00:00Z, grace 5m", null));
        Fixtures.publish(monitor.down());
        Fixtures.publish(monitor.up());

        await().atMost(Duration.ofSeconds(15)).until(() -> requests().size() == 3);
        String key = "vigil-" + monitor.id;
        assertThat(actions()).containsExactly("trigger:" + key, "trigger:" + key, "resolve:" + key);
        assertThat(events().get(0).get("payload").get("severity").asText()).isEqualTo("warning");
        assertThat(events().get(0).get("payload").get("summary").asText()).isEqualTo(monitor.name + " is LATE: missed check-in: due 10:00:00Z, grace 5m");
        assertThat(events().get(0).get("payload").get("custom_details").has("Last ping body")).isFalse();
        assertThat(events().get(1).get("payload").get("severity").asText()).isEqualTo("critical");
    }

    @Test
    void aReminderTriggersTheSameIncidentAgain() {
        UUID channel = channel(null, Duration.ofMillis(700));
        Fixtures.Monitor monitor = new Fixtures.Monitor("remind", channel);
        String key = "vigil-" + monitor.id;
        Fixtures.publish(monitor.down());

        await().atMost(Duration.ofSeconds(15)).until(() -> requests().size() >= 2);
        assertThat(actions().subList(0, 2)).containsOnly("trigger:" + key);
        assertThat(events().get(1).get("payload").get("summary").asText()).startsWith(monitor.name + " is still DOWN: ");
        assertThat(events().get(1).get("payload").get("severity").asText()).isEqualTo("critical");

        Fixtures.publish(monitor.up());
        await().atMost(Duration.ofSeconds(15)).until(() -> actions().contains("resolve:" + key));
        int afterRecovery = requests().size();
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(4)).until(() -> requests().size() == afterRecovery);
        assertThat(actions().get(afterRecovery - 1)).isEqualTo("resolve:" + key);
    }

    @Test
    void pausingADownMonitorResolvesItsIncident() {
        UUID channel = channel(null, null);
        Fixtures.Monitor monitor = new Fixtures.Monitor("paused", channel);
        String key = "vigil-" + monitor.id;
        Fixtures.publish(monitor.down());
        Fixtures.publish(monitor.flip(Status.PAUSED, "paused", "paused by a user", null));

        await().atMost(Duration.ofSeconds(15)).until(() -> requests().size() == 2);
        assertThat(actions()).containsExactly("trigger:" + key, "resolve:" + key);
    }

    @Test
    void anInvalidEventFailsAtOnceWithoutRetrying() {
        UUID channel = channel(null, null);
        Fixtures.awaitKnown(channel);
        int before = requests().size();
        provider.enqueue(Reply.status(400).withBody("{\"status\":\"invalid event\",\"message\":\"Event object is invalid\"}"));
        Fixtures.publish(new Fixtures.Monitor("rejected", channel).down());

        await().atMost(Duration.ofSeconds(15)).until(() -> Fixtures.alertsFor(channel).size() == 1);
        DeliveryAttempted outcome = Fixtures.alertsFor(channel).get(0);
        assertThat(outcome.outcome()).isEqualTo("failed");
        assertThat(outcome.status()).isEqualTo("FAILED");
        assertThat(outcome.httpStatus()).isEqualTo(400);
        assertThat(outcome.error()).isEqualTo("target answered HTTP 400");
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(4)).until(() -> requests().size() == before + 1);
    }

    @Test
    void tooManyRequestsIsRetriedWithTheSameEvent() {
        UUID channel = channel(null, null);
        Fixtures.awaitKnown(channel);
        int before = requests().size();
        Fixtures.Monitor monitor = new Fixtures.Monitor("throttled", channel);
        provider.enqueue(Reply.status(429), Reply.status(202).withBody("{\"status\":\"success\"}"));
        Fixtures.publish(monitor.down());

        await().atMost(Duration.ofSeconds(15)).until(() -> Fixtures.alertsFor(channel).stream().anyMatch(a -> "delivered".equals(a.outcome())));
        List<DeliveryAttempted> attempts = Fixtures.alertsFor(channel);
        assertThat(attempts.get(0).outcome()).isEqualTo("retry");
        assertThat(attempts.get(0).httpStatus()).isEqualTo(429);
        assertThat(attempts.get(attempts.size() - 1).httpStatus()).isEqualTo(202);
        assertThat(attempts.get(attempts.size() - 1).status()).isEqualTo("SENT");
        List<HttpReceiver.Request> sent = requests().subList(before, requests().size());
        assertThat(sent).hasSizeGreaterThanOrEqualTo(2).extracting(HttpReceiver.Request::bodyText).containsOnly(sent.get(0).bodyText());
        assertThat(json(sent.get(0)).get("dedup_key").asText()).isEqualTo("vigil-" + monitor.id);
    }

    @Test
    void aTestSendTriggersATestIncidentOfItsOwn() {
        UUID channel = channel(null, null);
        Fixtures.awaitKnown(channel);

        Fixtures.internal().post("/internal/v1/channels/{id}/test", channel).then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("SENT"));
        JsonNode test = events().get(events().size() - 1);
        assertThat(test.get("event_action").asText()).isEqualTo("trigger");
        assertThat(test.get("dedup_key").asText()).isEqualTo("vigil-test-" + channel);
        assertThat(test.get("payload").get("severity").asText()).isEqualTo("info");
        assertThat(test.get("payload").get("source").asText()).isEqualTo("vigil");
        assertThat(test.get("payload").get("summary").asText()).startsWith("Vigil test: ");
        assertThat(test.has("links")).isFalse();
        assertThat(actions()).allMatch(action -> action.equals("trigger:vigil-test-" + channel));
    }
}
