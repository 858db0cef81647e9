package io.vigil.notifier;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vigil.notifier.scheduling.Dispatcher;
import io.vigil.notifier.service.ChannelStore;
import io.vigil.testkit.HttpReceiver;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import io.vigil.testkit.SmtpResource;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A consumer or loop that stops making progress turns /q/health/live DOWN, and UP again once it moves. */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SmtpResource.class, restrictToAnnotatedClass = false)
class LivenessTest {

    private final HttpReceiver receiver = HttpReceiver.start();

    @Inject
    ChannelStore channels;
    @Inject
    Dispatcher dispatcher;

    @AfterEach
    void close() {
        dispatcher.start();
        receiver.close();
    }

    private static void awaitLive(int status, String flag, boolean value) {
        // stall-after is 5 s in tests
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/q/health/live").then().statusCode(status)
                .body("checks.find { it.name == 'notifier-loops' }.data." + flag, equalTo(value)));
    }

    @Test
    void aFlipConsumerStuckOnALockTurnsLivenessDownUntilItMovesAgainAndLosesNothing() throws Exception {
        UUID channel = Fixtures.webhook(receiver.url("/stuck"));
        Fixtures.Monitor monitor = new Fixtures.Monitor("stuck", channel);
        await().atMost(Duration.ofSeconds(15)).until(() -> channels.find(channel) != null);
        awaitLive(200, "flipConsumerStalled", false);
        try (Connection locker = DatabaseOutage.connect(); Statement statement = locker.createStatement()) {
            locker.setAutoCommit(false);
            statement.execute("LOCK TABLE notifier.flip IN ACCESS EXCLUSIVE MODE");
            Fixtures.publish(monitor.down());
            awaitLive(503, "flipConsumerStalled", true);
            assertThat(receiver.requests("/stuck")).isEmpty();
            locker.rollback();
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> receiver.requests("/stuck").size() == 1);
        awaitLive(200, "flipConsumerStalled", false);
    }

    @Test
    void aDispatcherStuckInAPassTurnsLivenessDownUntilItMovesAgain() throws Exception {
        awaitLive(200, "dispatcherLive", true);
        try (Connection locker = DatabaseOutage.connect(); Statement statement = locker.createStatement()) {
            locker.setAutoCommit(false);
            statement.execute("LOCK TABLE notifier.delivery IN ACCESS EXCLUSIVE MODE");
            awaitLive(503, "dispatcherLive", false);
            locker.rollback();
        }
        awaitLive(200, "dispatcherLive", true);
        UUID channel = Fixtures.webhook(receiver.url("/after-stuck"));
        Fixtures.publish(new Fixtures.Monitor("after-stuck", channel).down());
        await().atMost(Duration.ofSeconds(15)).until(() -> receiver.requests("/after-stuck").size() == 1);
    }

    @Test
    void aDispatcherWhoseLoopIsNotRunningIsNotLive() {
        awaitLive(200, "dispatcherLive", true);
        dispatcher.stop();
        given().get("/q/health/live").then().statusCode(503)
                .body("checks.find { it.name == 'notifier-loops' }.data.dispatcherLive", equalTo(false));
    }
}
