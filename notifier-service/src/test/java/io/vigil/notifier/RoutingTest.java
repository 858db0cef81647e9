package io.vigil.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vigil.contracts.ChannelType;
import io.vigil.contracts.MonitorFlipped;
import io.vigil.contracts.Status;
import io.vigil.notifier.service.FlipIntake;
import io.vigil.testkit.HttpReceiver;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import io.vigil.testkit.SmtpResource;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SmtpResource.class, restrictToAnnotatedClass = false)
class RoutingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    @Inject
    FlipIntake intake;
    private final HttpReceiver receiver = HttpReceiver.start();

    @AfterEach
    void close() {
        receiver.close();
    }

    private UUID hook(String path, List<Status> notifyOn, Duration remindEvery) {
        return Fixtures.channel(ChannelType.WEBHOOK, Map.of("url", receiver.url(path)), notifyOn, remindEvery);
    }

    private List<JsonNode> events(String path) {
        return receiver.requests(path).stream().map(request -> {
            try {
                return JSON.readTree(request.body());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).toList();
    }

    private List<String> statuses(String path) {
        return events(path).stream().map(event -> event.get("type").asText() + ":" + event.get("status").asText()).toList();
    }

    @Test
    void eachChannelIsAlertedAboutTheStatusesInItsNotifyOn() {
        UUID downOnly = hook("/down-only", List.of(Status.DOWN), null);
        UUID everything = hook("/everything", List.of(Status.LATE, Status.DOWN, Status.UP), null);
        UUID defaults = hook("/defaults", null, null);
        Fixtures.Monitor monitor = new Fixtures.Monitor("routing", downOnly, everything, defaults);
        Fixtures.publish(monitor.flip(Status.UP, "ok", "success signal", null));
        Fixtures.publish(monitor.flip(Status.LATE, "missed", "missed check-in: due 10:00:00Z, grace 5m", null));
        Fixtures.publish(monitor.down());
        Fixtures.publish(monitor.up());

        await().atMost(Duration.ofSeconds(15)).until(() -> receiver.requests("/everything").size() == 3
                && receiver.requests("/defaults").size() == 2 && receiver.requests("/down-only").size() == 1);
        assertThat(statuses("/everything")).containsExactly("alert:LATE", "alert:DOWN", "alert:UP");
        assertThat(statuses("/defaults")).containsExactly("alert:DOWN", "alert:UP");
        assertThat(statuses("/down-only")).containsExactly("alert:DOWN");
    }

    @Test
    void aRecoveryGoesOnlyToChannelsAlertedAboutTheProblem() {
        UUID alerted = hook("/alerted", null, null);
        UUID addedLater = hook("/added-later", null, null);
        Fixtures.Monitor before = new Fixtures.Monitor("recovery", alerted);
        Fixtures.publish(before.down());
        await().atMost(Duration.ofSeconds(15)).until(() -> receiver.requests("/alerted").size() == 1);
        // the monitor gained a channel while DOWN: its recovery names both channels
        MonitorFlipped up = before.up();
        MonitorFlipped recovery = new MonitorFlipped(up.version(), up.eventId(), up.sequence(), up.monitor(), up.previousStatus(),
                up.status(), up.reason(), up.reasonText(), up.occurredAt(), up.detectedAt(), up.lastPingAt(), up.downtime(),
                up.link(), up.lastPingBody(), List.of(alerted, addedLater));
        Fixtures.publish(recovery);
        // a fresh monitor's first success (NEW -> UP) alerts nobody
        Fixtures.Monitor fresh = new Fixtures.Monitor("fresh", addedLater);
        Fixtures.publish(fresh.up());
        Fixtures.publish(fresh.down());

        await().atMost(Duration.ofSeconds(15)).until(() -> receiver.requests("/alerted").size() == 2
                && receiver.requests("/added-later").size() == 1);
        assertThat(statuses("/alerted")).containsExactly("alert:DOWN", "alert:UP");
        assertThat(events("/added-later")).singleElement()
                .satisfies(event -> assertThat(event.get("monitor").get("name").asText()).isEqualTo(fresh.name))
                .satisfies(event -> assertThat(event.get("status").asText()).isEqualTo("DOWN"));
    }

    /**
     * A recovery goes to the channels alerted about the problem it ends, not about an earlier problem of the monitor,
     * whether the alerts were taken in by earlier batches or by its own: the same flips as one batch and one by one.
     */
    @Test
    void aRecoveryFindsItsProblemsAlertsInItsOwnBatchAndInEarlierOnes() {
        UUID first = hook("/first-problem", null, null);
        UUID second = hook("/second-problem", null, null);
        Fixtures.awaitKnown(first);
        Fixtures.awaitKnown(second);
        for (boolean oneBatch : new boolean[] {true, false}) {
            Fixtures.Monitor monitor = new Fixtures.Monitor("problems-" + oneBatch, first, second);
            List<MonitorFlipped> flips = List.of(naming(monitor.down(), first), naming(monitor.up(), first, second),
                    naming(monitor.down(), second), naming(monitor.up(), first, second),
                    naming(monitor.flip(Status.PAUSED, "paused", "paused by a user", null), first, second));
            if (oneBatch) {
                intake.record(flips, java.time.Instant.now());
            } else {
                flips.forEach(flip -> intake.record(List.of(flip), java.time.Instant.now()));
            }
            assertThat(flips.stream().map(flip -> intake.deliveriesOf(flip.eventId()).size()).toList())
                    .as(oneBatch ? "one batch" : "a batch per flip").containsExactly(1, 1, 1, 1, 0);
        }
        // each got the test message of awaitKnown, then a DOWN and its recovery from each monitor
        await().atMost(Duration.ofSeconds(15)).until(() -> receiver.requests("/first-problem").size() == 5
                && receiver.requests("/second-problem").size() == 5);
        assertThat(statuses("/first-problem")).containsExactlyInAnyOrder("test:UP", "alert:DOWN", "alert:UP", "alert:DOWN",
                "alert:UP");
        assertThat(statuses("/second-problem")).containsExactlyInAnyOrder("test:UP", "alert:DOWN", "alert:UP", "alert:DOWN",
                "alert:UP");
    }

    /** The flip, naming these channels instead of its monitor's. */
    private static MonitorFlipped naming(MonitorFlipped flip, UUID... channels) {
        return new MonitorFlipped(flip.version(), flip.eventId(), flip.sequence(), flip.monitor(), flip.previousStatus(),
                flip.status(), flip.reason(), flip.reasonText(), flip.occurredAt(), flip.detectedAt(), flip.lastPingAt(),
                flip.downtime(), flip.link(), flip.lastPingBody(), List.of(channels));
    }

    @Test
    void pausingOrDeletingADownMonitorSendsANoLongerWatchedNoticeToAlertedChannels() throws Exception {
        UUID hook = hook("/notice", null, null);
        HttpReceiver slack = HttpReceiver.start();
        try {
            UUID slackChannel = Fixtures.slack(slack.url("/slack"));
            Fixtures.Monitor paused = new Fixtures.Monitor("paused", hook);
            Fixtures.Monitor deleted = new Fixtures.Monitor("deleted", slackChannel);
            Fixtures.publish(paused.down());
            Fixtures.publish(deleted.down());
            Fixtures.publish(paused.flip(Status.PAUSED, "paused", "paused by a user", null));
            Fixtures.publish(deleted.flip(Status.PAUSED, "deleted", "monitor deleted", null));

            await().atMost(Duration.ofSeconds(15)).until(() -> receiver.requests("/notice").size() == 2
                    && slack.requests("/slack").size() == 2);
            assertThat(statuses("/notice")).containsExactly("alert:DOWN", "notice:PAUSED");
            assertThat(events("/notice").get(1).get("reason").asText()).isEqualTo("paused");
            JsonNode notice = JSON.readTree(slack.requests("/slack").get(1).body());
            assertThat(notice.get("text").asText()).contains(deleted.name).contains("no longer watched").contains("deleted");
        } finally {
            slack.close();
        }
    }

    @Test
    void maintenanceFlipsGoOnlyToChannelsThatFollowMaintenanceAndAWindowEndsADownWithoutARecovery() {
        UUID plain = hook("/plain", List.of(Status.DOWN, Status.UP), null);
        UUID follows = hook("/follows", List.of(Status.DOWN, Status.UP, Status.MAINTENANCE), null);
        UUID only = hook("/only", List.of(Status.MAINTENANCE), null);
        Fixtures.Monitor monitor = new Fixtures.Monitor("maintenance", plain, follows, only);
        Fixtures.publish(monitor.down());
        Fixtures.publish(monitor.flip(Status.MAINTENANCE, "maintenance", "maintenance window until 2026-11-28 03:00:00Z", null));
        Fixtures.publish(monitor.flip(Status.UP, "maintenance-ended", "maintenance window ended", null));
        Fixtures.publish(monitor.down());
        Fixtures.publish(monitor.up()); // a real recovery, after the window: it also proves the flips before it were read

        await().atMost(Duration.ofSeconds(15)).until(() -> receiver.requests("/plain").size() == 3
                && receiver.requests("/follows").size() == 5 && receiver.requests("/only").size() == 2);
        assertThat(statuses("/plain")).as("no MAINTENANCE flips, and no recovery for the DOWN the window ended")
                .containsExactly("alert:DOWN", "alert:DOWN", "alert:UP");
        assertThat(statuses("/follows"))
                .containsExactly("alert:DOWN", "alert:MAINTENANCE", "alert:UP", "alert:DOWN", "alert:UP");
        assertThat(events("/follows").get(2).get("reason").asText()).isEqualTo("maintenance-ended");
        assertThat(events("/follows").get(2).get("previousStatus").asText()).isEqualTo("MAINTENANCE");
        assertThat(statuses("/only")).containsExactly("alert:MAINTENANCE", "alert:UP");
    }

    @Test
    void aRedeliveredFlipIsSentOnce() {
        UUID hook = hook("/once", null, null);
        Fixtures.Monitor monitor = new Fixtures.Monitor("once", hook);
        MonitorFlipped down = monitor.down();
        Fixtures.publish(down);
        Fixtures.publish(down);
        Fixtures.publish(monitor.up()); // same partition, after the duplicate: its arrival proves the duplicate was read

        await().atMost(Duration.ofSeconds(15)).until(() -> statuses("/once").contains("alert:UP"));
        assertThat(statuses("/once")).containsExactly("alert:DOWN", "alert:UP");
    }

    @Test
    void remindEveryRepeatsTheDownAlertUntilTheMonitorFlipsAgain() {
        UUID hook = hook("/remind", null, Duration.ofMillis(700));
        Fixtures.Monitor monitor = new Fixtures.Monitor("remind", hook);
        Fixtures.publish(monitor.down());

        await().atMost(Duration.ofSeconds(15)).until(() -> receiver.requests("/remind").size() >= 3);
        List<JsonNode> events = events("/remind");
        assertThat(events.get(0).get("type").asText()).isEqualTo("alert");
        assertThat(events.get(1).get("type").asText()).isEqualTo("reminder");
        assertThat(events.get(1).get("status").asText()).isEqualTo("DOWN");
        assertThat(events.get(2).get("type").asText()).isEqualTo("reminder");
        assertThat(Duration.between(receiver.requests("/remind").get(0).at(), receiver.requests("/remind").get(1).at()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(650));

        Fixtures.publish(monitor.up());
        await().atMost(Duration.ofSeconds(15)).until(() -> statuses("/remind").contains("alert:UP"));
        int afterRecovery = receiver.requests("/remind").size();
        await().during(Duration.ofMillis(2000)).atMost(Duration.ofSeconds(4))
                .until(() -> receiver.requests("/remind").size() == afterRecovery);
        assertThat(statuses("/remind").get(afterRecovery - 1)).isEqualTo("alert:UP");
    }
}
