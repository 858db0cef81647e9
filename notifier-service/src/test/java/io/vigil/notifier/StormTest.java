package io.vigil.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vigil.contracts.ChannelType;
import io.vigil.contracts.MonitorFlipped;
import io.vigil.contracts.DeliveryAttempted;
import io.vigil.testkit.HttpReceiver;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import io.vigil.testkit.SmtpResource;
import java.time.Duration;
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
class StormTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpReceiver receiver = HttpReceiver.start();

    @AfterEach
    void close() {
        receiver.close();
    }

    @Test
    void aStormOnASlackChannelSendsTheFirstFiveThenOneDigestNamingTheRestAtMostOnePerSecond() throws Exception {
        UUID slack = Fixtures.slack(receiver.url("/slack"));
        UUID hook = Fixtures.webhook(receiver.url("/hook"));
        List<Fixtures.Monitor> monitors = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Fixtures.Monitor monitor = new Fixtures.Monitor("storm" + i, slack, hook);
            monitors.add(monitor);
            Fixtures.publish(monitor.down());
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.requests("/slack").size() == 6);
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> receiver.requests("/slack").size() == 6);
        List<HttpReceiver.Request> requests = receiver.requests("/slack");
        List<String> alerted = new ArrayList<>();
        for (HttpReceiver.Request request : requests.subList(0, 5)) {
            JsonNode message = JSON.readTree(request.body());
            assertThat(message.get("attachments").get(0).get("blocks").get(0).get("text").get("text").asText()).startsWith("DOWN | ");
            alerted.add(message.get("text").asText());
        }
        String digest = requests.get(5).bodyText();
        assertThat(JSON.readTree(digest).get("attachments").get(0).get("blocks").get(0).get("text").get("text").asText())
                .isEqualTo("DIGEST | 3 monitors changed status");
        for (Fixtures.Monitor monitor : monitors) {
            boolean alone = alerted.stream().anyMatch(text -> text.contains(monitor.name));
            assertThat(alone || digest.contains(monitor.name)).as(monitor.name + " is alerted or digested").isTrue();
            assertThat(alone && digest.contains(monitor.name)).as(monitor.name + " only once").isFalse();
        }
        for (int i = 1; i < requests.size(); i++) {
            assertThat(Duration.between(requests.get(i - 1).at(), requests.get(i).at()))
                    .as("gap before Slack message %d", i).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        }
        // the digested alerts are reported as sent, each for its own monitor
        await().atMost(Duration.ofSeconds(10)).until(() -> Fixtures.outcomesFor(slack).stream()
                .filter(outcome -> "SENT".equals(outcome.status())).count() == 9);
        assertThat(Fixtures.outcomesFor(slack)).extracting(DeliveryAttempted::kind).containsOnly("alert", "digest");

        // webhooks are never merged: one event per flip
        await().atMost(Duration.ofSeconds(15)).until(() -> receiver.requests("/hook").size() == 8);
    }

    @Test
    void aStormOfTwoThousandMonitorsOnATeamsChannelGoesOutInPayloadsTeamsAccepts() throws Exception {
        UUID teams = Fixtures.channel(ChannelType.TEAMS, Map.of("webhookUrl", receiver.url("/teams")), null, null);
        List<MonitorFlipped> flips = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            Fixtures.Monitor monitor = new Fixtures.Monitor(String.format("storm-%04d-", i) + "x".repeat(100), teams);
            flips.add(monitor.down());
        }
        Fixtures.publishAll(flips);

        // every alert is settled: sent alone, or sent as a member of a digest
        // (a delivery may be sent twice, at least once: with the test profile's short lease a slow pass can see a
        // big digest's claim expire; a repeat carries the same body and is counted once)
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> Fixtures.outcomesFor(teams)
                .stream().filter(outcome -> "SENT".equals(outcome.status()) && "alert".equals(outcome.kind()))
                .map(DeliveryAttempted::deliveryId).distinct().count() == 2000);
        assertThat(Fixtures.outcomesFor(teams)).extracting(DeliveryAttempted::status).doesNotContain("FAILED");
        int accounted = 0;
        int largest = 0;
        for (HttpReceiver.Request request : receiver.requests("/teams")) {
            largest = Math.max(largest, request.body().length);
            assertThat(request.body().length).as("a Teams payload's bytes").isLessThan(28 * 1000);
        }
        for (String text : new java.util.LinkedHashSet<>(receiver.requests("/teams").stream().map(HttpReceiver.Request::bodyText).toList())) {
            int named = 0;
            for (MonitorFlipped flip : flips) {
                if (text.contains(flip.monitor().name())) {
                    named++;
                }
            }
            accounted += named + moreIn(text);
        }
        assertThat(accounted).as("monitors named or counted across the messages").isEqualTo(2000);
        System.out.printf("StormTest: 2000 monitors on Teams in %d messages, the largest %d bytes%n",
                receiver.requests("/teams").size(), largest);
    }

    /** The N of a digest card's closing "… and N more" (the one-line summary has its own), or 0. */
    private static int moreIn(String payload) throws Exception {
        JsonNode body = JSON.readTree(payload).get("attachments").get(0).get("content").get("body");
        java.util.regex.Matcher more = java.util.regex.Pattern.compile("^… and (\\d+) more")
                .matcher(body.get(body.size() - 1).path("text").asText());
        return more.find() ? Integer.parseInt(more.group(1)) : 0;
    }
}
