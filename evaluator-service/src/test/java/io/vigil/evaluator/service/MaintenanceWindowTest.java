package io.vigil.evaluator.service;

import static io.vigil.evaluator.service.EngineFixture.now;
import static io.vigil.evaluator.service.EngineFixture.ping;
import static io.vigil.evaluator.service.EngineFixture.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vigil.contracts.Json;
import io.vigil.contracts.MonitorFlipped;
import io.vigil.contracts.PingType;
import io.vigil.contracts.Status;
import io.vigil.contracts.Topics;
import io.vigil.evaluator.Flip;
import io.vigil.evaluator.Maintenance;
import io.vigil.evaluator.Monitor;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A maintenance window across a deadline, through the real broker and PostgreSQL: pings written to
 * {@code vigil.pings.v1} as ingest writes them, the sweep declaring the window's start and end at their own times,
 * flips read back from the database and from {@code vigil.flips.v1}. Real time with short schedules.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
class MaintenanceWindowTest {

    private static final Duration EVERY = Duration.ofSeconds(2);
    private static final Duration GRACE = Duration.ofSeconds(1);

    @Inject
    TestMonitors monitors;

    @BeforeAll
    static void ingest() {
        EngineFixture.start();
    }

    @AfterEach
    void release() {
        EngineFixture.releaseAll();
    }

    @Test
    void aWindowAcrossTheDeadlineHoldsItsAlertsAndEndsUpAtItsExactTimes() {
        Monitor m = monitors.create(EVERY, GRACE, null);
        Instant t0 = now();
        send(ping(m.id, PingType.SUCCESS, t0));
        await().atMost(Duration.ofSeconds(20)).until(() -> monitors.find(m.id).status == Status.UP);
        // due at t0 + 2 s, DOWN at t0 + 3 s: the window covers both
        Instant start = t0.plusMillis(1500);
        Instant end = t0.plusMillis(4500);
        monitors.setMaintenance(m.id, List.of(new Maintenance.OneOff(start, end)), t0.plusMillis(1));

        await().atMost(Duration.ofSeconds(20)).until(() -> monitors.find(m.id).status == Status.MAINTENANCE);
        send(ping(m.id, PingType.FAIL, start.plusMillis(500)));
        await().atMost(Duration.ofSeconds(20)).until(() -> monitors.pings(m.id).size() == 2);
        assertThat(monitors.find(m.id).status).as("a failure inside the window changes nothing").isEqualTo(Status.MAINTENANCE);

        // after the end: UP due one period later, then the missed deadline goes DOWN as usual
        await().atMost(Duration.ofSeconds(20)).until(() -> monitors.find(m.id).status == Status.DOWN);
        List<Flip> flips = monitors.flips(m.id);
        assertThat(flips).extracting(f -> f.toStatus)
                .containsExactly(Status.UP, Status.MAINTENANCE, Status.UP, Status.LATE, Status.DOWN);
        assertThat(flips).extracting(f -> f.reason).containsExactly("ok", "maintenance", "maintenance-ended", "missed", "missed");
        assertThat(flips).extracting(f -> f.at)
                .containsExactly(t0, start, end, end.plus(EVERY), end.plus(EVERY).plus(GRACE));

        await().atMost(Duration.ofSeconds(10)).until(() -> relayedFlips(m).size() == 5);
        MonitorFlipped entered = relayedFlips(m).get(1);
        assertThat(entered.previousStatus()).isEqualTo(Status.UP);
        assertThat(entered.status()).isEqualTo(Status.MAINTENANCE);
        assertThat(entered.occurredAt()).isEqualTo(start);
        MonitorFlipped ended = relayedFlips(m).get(2);
        assertThat(ended.previousStatus()).isEqualTo(Status.MAINTENANCE);
        assertThat(ended.reason()).isEqualTo("maintenance-ended");
    }

    private static List<MonitorFlipped> relayedFlips(Monitor m) {
        return EngineFixture.relayed(Topics.FLIPS, m.id.toString()).stream()
                .map(r -> Json.read(r.value(), MonitorFlipped.class)).toList();
    }
}
