package io.vigil.notifier;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vigil.contracts.MonitorFlipped;
import io.vigil.notifier.service.ChannelStore;
import io.vigil.notifier.service.DeliveryStore;
import io.vigil.notifier.service.FlipIntake;
import io.vigil.testkit.HttpReceiver;
import io.vigil.testkit.HttpReceiver.Reply;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import io.vigil.testkit.SmtpResource;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The notifier's database goes away and comes back: every consumer and loop recovers by itself and nothing is lost. */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SmtpResource.class, restrictToAnnotatedClass = false)
class OutageTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpReceiver receiver = HttpReceiver.start();

    @Inject
    ChannelStore channels;
    @Inject
    FlipIntake intake;
    @Inject
    DeliveryStore store;

    @AfterEach
    void close() {
        receiver.close();
    }

    private static String eventId(HttpReceiver.Request request) {
        try {
            return JSON.readTree(request.body()).get("eventId").asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String monitorId(HttpReceiver.Request request) {
        try {
            return JSON.readTree(request.body()).get("monitor").get("id").asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void flipsPublishedWhileTheDatabaseIsDownAreEachDeliveredOnceItIsBack() throws Exception {
        UUID channel = Fixtures.webhook(receiver.url("/outage-flips"));
        await().atMost(Duration.ofSeconds(15)).until(() -> channels.find(channel) != null);
        List<Fixtures.Monitor> monitors = new ArrayList<>();
        try (DatabaseOutage outage = DatabaseOutage.begin()) {
            for (int i = 0; i < 5; i++) {
                Fixtures.Monitor monitor = new Fixtures.Monitor("outage-" + i, channel);
                monitors.add(monitor);
                Fixtures.publish(monitor.down());
            }
            // the flip consumer keeps trying: not ready, but alive
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(503)
                    .body("checks.find { it.name == 'notifier-consumers' }.data.flipConsumerRecording", equalTo(false))
                    .body("checks.find { it.name == 'database' }.status", equalTo("DOWN")));
            given().get("/q/health/live").then().statusCode(200);
            // longer than the consumers' longest backoff (0.5 s in tests): several tries fail
            await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
            assertThat(receiver.requests("/outage-flips")).isEmpty();
        }
        List<String> expected = monitors.stream().map(monitor -> monitor.id.toString()).toList();
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.requests("/outage-flips").stream()
                .map(OutageTest::monitorId).distinct().count() == expected.size());
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        List<HttpReceiver.Request> requests = receiver.requests("/outage-flips");
        assertThat(requests).extracting(OutageTest::monitorId).containsOnlyElementsOf(expected);
        // one delivery per flip: a message repeated (a send that timed out on a loaded machine) keeps its eventId
        assertThat(requests.stream().map(OutageTest::eventId).distinct().count()).isEqualTo(expected.size());
    }

    @Test
    void aRetryThatComesDueWhileTheDatabaseIsDownIsSentOnceItIsBackAndTheDispatcherKeepsGoing() throws Exception {
        receiver.enqueue(Reply.status(500));
        UUID channel = Fixtures.webhook(receiver.url("/outage-retry"));
        Fixtures.Monitor monitor = new Fixtures.Monitor("outage-retry", channel);
        MonitorFlipped down = Fixtures.publish(monitor.down());
        await().atMost(Duration.ofSeconds(15)).until(() -> receiver.requests("/outage-retry").size() == 1);
        UUID deliveryId = intake.deliveriesOf(down.eventId()).get(0);
        try (DatabaseOutage outage = DatabaseOutage.begin()) {
            // the retry is due 0.2 s after the first attempt; the dispatcher cannot claim it, and keeps trying
            await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
            assertThat(receiver.requests("/outage-retry")).hasSize(1);
            given().get("/q/health/live").then().statusCode(200);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.requests("/outage-retry").size() >= 2);
        await().atMost(Duration.ofSeconds(15)).until(() -> "SENT".equals(store.statusOf(deliveryId)));
        assertThat(receiver.requests("/outage-retry")).extracting(OutageTest::eventId).containsOnly(deliveryId.toString());

        // and it still answers new work at once
        Fixtures.publish(monitor.up());
        await().atMost(Duration.ofSeconds(15)).until(() -> receiver.requests("/outage-retry").stream()
                .anyMatch(request -> request.bodyText().contains("\"status\":\"UP\"")));
    }

    @Test
    void aChannelPublishedWhileTheDatabaseIsDownArrivesOnceItIsBackAndItsFlipIsDelivered() throws Exception {
        UUID channel;
        MonitorFlipped down;
        try (DatabaseOutage outage = DatabaseOutage.begin()) {
            channel = Fixtures.webhook(receiver.url("/outage-channel"));
            down = Fixtures.publish(new Fixtures.Monitor("outage-channel", channel).down());
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(503)
                    .body("checks.find { it.name == 'notifier-consumers' }.data.channelViewRecording", equalTo(false)));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.requests("/outage-channel").size() == 1);
        assertThat(eventId(receiver.requests("/outage-channel").get(0)))
                .isEqualTo(intake.deliveriesOf(down.eventId()).get(0).toString());
        assertThat(channels.find(channel)).isNotNull();
    }
}
