package io.vigil.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vigil.contracts.MonitorFlipped;
import io.vigil.notifier.scheduling.Dispatcher;
import io.vigil.notifier.service.DeliveryStore;
import io.vigil.notifier.service.FlipIntake;
import io.vigil.testkit.HttpReceiver;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import io.vigil.testkit.SmtpResource;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SmtpResource.class, restrictToAnnotatedClass = false)
class RestartTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpReceiver receiver = HttpReceiver.start();

    @Inject
    Dispatcher dispatcher;
    @Inject
    DeliveryStore store;
    @Inject
    FlipIntake intake;

    @AfterEach
    void close() {
        dispatcher.start();
        receiver.close();
    }

    private String eventId(HttpReceiver.Request request) {
        try {
            return JSON.readTree(request.body()).get("eventId").asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aDeliveryClaimedByAnInstanceThatDiedMidSendIsSentOnceAfterItsClaimExpiresAndKeepsItsEventId() {
        UUID channel = Fixtures.webhook(receiver.url("/restart"));
        Fixtures.Monitor monitor = new Fixtures.Monitor("restart", channel);
        dispatcher.stop();
        MonitorFlipped down = Fixtures.publish(monitor.down());
        await().atMost(Duration.ofSeconds(15)).until(() -> !intake.deliveriesOf(down.eventId()).isEmpty());
        UUID deliveryId = intake.deliveriesOf(down.eventId()).get(0);

        // an instance claims the delivery and dies before recording its attempt
        Instant claimedAt = Instant.now();
        List<DeliveryStore.Claimed> claimed = store.claim(claimedAt, 100);
        assertThat(claimed).extracting(DeliveryStore.Claimed::id).contains(deliveryId);
        MonitorFlipped up = Fixtures.publish(monitor.up());
        await().atMost(Duration.ofSeconds(15)).until(() -> !intake.deliveriesOf(up.eventId()).isEmpty());

        dispatcher.start();
        await().atMost(Duration.ofSeconds(15)).until(() -> receiver.requests("/restart").size() == 2);
        List<HttpReceiver.Request> requests = receiver.requests("/restart");
        assertThat(eventId(requests.get(0))).isEqualTo(deliveryId.toString());
        assertThat(requests.get(0).bodyText()).contains("\"status\":\"DOWN\"");
        // not before the dead instance's claim (send timeout 1 s + margin 1 s) ran out
        assertThat(requests.get(0).at()).isAfterOrEqualTo(claimedAt.plus(Duration.ofMillis(1900)));
        // the recovery waited behind it: flip order per channel
        assertThat(requests.get(1).bodyText()).contains("\"status\":\"UP\"");
        assertThat(store.statusOf(deliveryId)).isEqualTo("SENT");
        await().during(Duration.ofMillis(1000)).atMost(Duration.ofSeconds(2)).until(() -> receiver.requests("/restart").size() == 2);
    }
}
