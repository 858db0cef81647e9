package io.vigil.evaluator.service;

import static io.vigil.evaluator.service.EngineFixture.now;
import static io.vigil.evaluator.service.EngineFixture.ping;
import static io.vigil.evaluator.service.EngineFixture.relayedFlips;
import static io.vigil.evaluator.service.EngineFixture.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vigil.contracts.MonitorFlipped;
import io.vigil.contracts.PingType;
import io.vigil.contracts.Status;
import io.vigil.evaluator.Flip;
import io.vigil.evaluator.Monitor;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The run rules and snooze of issue 15 through the real broker and PostgreSQL: pings written to
 * {@code vigil.pings.v1} as ingest writes them, the sweep ending a snooze at its exact time, the flips relayed.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
class RunRulesEngineTest {

    private static final Duration EVERY = Duration.ofSeconds(2);
    private static final Duration GRACE = Duration.ofSeconds(1);

    @Inject
    TestMonitors monitors;

    @BeforeAll
    static void ingest() {
        EngineFixture.start();
    }

    private Monitor awaitStatus(UUID id, Status status) {
        return monitors.awaitStatus(id, status);
    }

    @Test
    void aSnoozeEndsByItselfAtItsEndAndTheScheduleRunsFromThere() {
        Monitor m = monitors.create(EVERY, GRACE, null);
        send(ping(m.id, PingType.SUCCESS, now()));
        awaitStatus(m.id, Status.UP);
        Instant until = now().plusMillis(1500);
        monitors.pause(m.id, until);
        assertThat(monitors.find(m.id).pausedUntil).isEqualTo(until);

        awaitStatus(m.id, Status.DOWN);
        List<Flip> flips = monitors.flips(m.id);
        assertThat(flips).extracting(f -> f.toStatus)
                .containsExactly(Status.UP, Status.PAUSED, Status.UP, Status.LATE, Status.DOWN);
        assertThat(flips.get(2).reason).isEqualTo("resumed");
        assertThat(flips).extracting(f -> f.at).endsWith(until, until.plus(EVERY), until.plus(EVERY).plus(GRACE));
        assertThat(monitors.find(m.id).pausedUntil).isNull();
        await().atMost(Duration.ofSeconds(10)).until(() -> relayedFlips(m.id).size() == 5);
        assertThat(relayedFlips(m.id).get(2).reasonText()).isEqualTo("snooze ended");
    }

    @Test
    void failedRunsGoDownOnlyAtTheThresholdAndRecoverOnlyAtItsOwn() {
        Monitor m = monitors.create(Duration.ofHours(1), Duration.ofHours(1), null);
        monitors.configure(m.id, monitor -> {
            monitor.failureThreshold = 2;
            monitor.recoveryThreshold = 2;
        });
        send(ping(m.id, PingType.SUCCESS, now()));
        awaitStatus(m.id, Status.UP);
        send(ping(m.id, PingType.FAIL, now()));
        await().atMost(Duration.ofSeconds(20)).until(() -> monitors.find(m.id).consecutiveFailures == 1);
        assertThat(monitors.find(m.id).status).isEqualTo(Status.UP);

        send(ping(m.id, PingType.FAIL, 3, null, now(), null));
        awaitStatus(m.id, Status.DOWN);
        send(ping(m.id, PingType.SUCCESS, now()));
        await().atMost(Duration.ofSeconds(20)).until(() -> monitors.find(m.id).consecutiveSuccesses == 1);
        assertThat(monitors.find(m.id).status).isEqualTo(Status.DOWN);
        send(ping(m.id, PingType.SUCCESS, now()));
        awaitStatus(m.id, Status.UP);

        await().atMost(Duration.ofSeconds(10)).until(() -> relayedFlips(m.id).size() == 3);
        assertThat(relayedFlips(m.id)).extracting(MonitorFlipped::reasonText).containsExactly("check-in received",
                "exit status 3 (2 consecutive failures)", "check-in received, recovered after 2 consecutive successes");
    }

    @Test
    void withManualResumeSuccessesAreRecordedButOnlyAResumeEndsTheDown() {
        Monitor m = monitors.create(Duration.ofHours(1), Duration.ofHours(1), null);
        monitors.configure(m.id, monitor -> monitor.manualResume = true);
        send(ping(m.id, PingType.FAIL, now()));
        awaitStatus(m.id, Status.DOWN);
        send(ping(m.id, PingType.SUCCESS, now()));
        await().atMost(Duration.ofSeconds(20)).until(() -> monitors.pings(m.id).size() == 2);
        assertThat(monitors.find(m.id).status).isEqualTo(Status.DOWN);

        monitors.resume(m.id);
        assertThat(monitors.find(m.id).status).isEqualTo(Status.UP);
        assertThat(monitors.flips(m.id)).extracting(f -> f.reason).containsExactly("fail", "resumed");
    }
}
