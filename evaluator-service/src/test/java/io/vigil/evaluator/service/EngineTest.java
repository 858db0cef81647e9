package io.vigil.evaluator.service;

import static io.vigil.evaluator.service.EngineFixture.now;
import static io.vigil.evaluator.service.EngineFixture.ping;
import static io.vigil.evaluator.service.EngineFixture.relayedFlips;
import static io.vigil.evaluator.service.EngineFixture.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vigil.contracts.Json;
import io.vigil.contracts.MonitorFlipped;
import io.vigil.contracts.MonitorRegistered;
import io.vigil.contracts.PingReceived;
import io.vigil.contracts.PingType;
import io.vigil.contracts.Status;
import io.vigil.contracts.Topics;
import io.vigil.evaluator.Flip;
import io.vigil.evaluator.Monitor;
import io.vigil.evaluator.PingRecord;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine against the real broker and PostgreSQL: pings written to {@code vigil.pings.v1} as ingest
 * writes them, watermarks from a stand-in ingest, flips and registry records read back from Kafka.
 * Real time with short schedules (every 2 s, grace 1 s).
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
class EngineTest {

    private static final Duration EVERY = Duration.ofSeconds(2);
    private static final Duration GRACE = Duration.ofSeconds(1);

    @Inject
    TestMonitors monitors;

    @Inject
    PingApplier applier;

    @BeforeAll
    static void ingest() {
        EngineFixture.start();
    }

    @AfterEach
    void release() {
        EngineFixture.releaseAll();
    }

    /** A new monitor (every 2 s, grace 1 s) that went UP with a success received at {@code t0}. */
    private Monitor upAt(Instant t0) {
        Monitor m = monitors.create(EVERY, GRACE, null);
        send(ping(m.id, PingType.SUCCESS, t0));
        return awaitStatus(m.id, Status.UP);
    }

    private Monitor awaitStatus(UUID id, Status status) {
        return monitors.awaitStatus(id, status);
    }

    @Test
    void goesUpThenLateThenDownAtExactTimesAndRelaysEveryFlip() {
        Monitor m = monitors.create(EVERY, GRACE, null);
        Instant t0 = now();
        send(ping(m.id, PingType.SUCCESS, t0));

        awaitStatus(m.id, Status.DOWN);
        List<Flip> flips = monitors.flips(m.id);
        assertThat(flips).extracting(f -> f.toStatus).containsExactly(Status.UP, Status.LATE, Status.DOWN);
        assertThat(flips).extracting(f -> f.at).containsExactly(t0, t0.plus(EVERY), t0.plus(EVERY).plus(GRACE));
        assertThat(flips).extracting(f -> f.reason).containsExactly("ok", "missed", "missed");
        assertThat(flips).allSatisfy(f -> assertThat(f.detectedAt).isAfterOrEqualTo(f.at));

        await().atMost(Duration.ofSeconds(10)).until(() -> relayedFlips(m.id).size() == 3);
        List<MonitorFlipped> relayed = relayedFlips(m.id);
        assertThat(relayed).extracting(MonitorFlipped::sequence).containsExactly(1L, 2L, 3L);
        assertThat(relayed).extracting(MonitorFlipped::eventId).containsExactlyElementsOf(flips.stream().map(f -> f.id).toList());
        MonitorFlipped down = relayed.get(2);
        assertThat(down.previousStatus()).isEqualTo(Status.LATE);
        assertThat(down.occurredAt()).isEqualTo(t0.plus(EVERY).plus(GRACE));
        assertThat(down.reasonText()).startsWith("missed check-in: due ").endsWith(", grace 1s");
        assertThat(down.lastPingAt()).isEqualTo(t0);
        assertThat(down.link()).endsWith("/api/v1/monitors/" + m.id);
        assertThat(down.channels()).isEqualTo(m.channelIds);
        assertThat(down.monitor().tags()).containsExactly("engine-test");

        List<EngineFixture.Relayed> registry = EngineFixture.relayed(Topics.MONITORS, m.id.toString());
        assertThat(registry).isNotEmpty();
        MonitorRegistered registered = Json.read(registry.get(0).value(), MonitorRegistered.class);
        assertThat(registered.tokenHash()).isEqualTo(m.tokenHash);
        assertThat(registered.slug()).isEqualTo(m.slug);

        Instant t1 = now();
        send(ping(m.id, PingType.SUCCESS, t1));
        awaitStatus(m.id, Status.UP);
        await().atMost(Duration.ofSeconds(10)).until(() -> relayedFlips(m.id).size() == 4);
        MonitorFlipped up = relayedFlips(m.id).get(3);
        assertThat(up.reason()).isEqualTo("recovered");
        assertThat(up.downtime()).isEqualTo(Duration.between(t0.plus(EVERY).plus(GRACE), t1));
    }

    @Test
    void aRedeliveredPingChangesNothing() {
        Monitor m = monitors.create(Duration.ofHours(1), Duration.ofHours(1), null);
        PingReceived fail = ping(m.id, PingType.FAIL, now());
        PingReceived log = ping(m.id, PingType.LOG, now());
        List<ConsumerRecord<String, byte[]>> applied = List.of(record(send(fail), fail), record(send(log), log));
        await().atMost(Duration.ofSeconds(20)).until(() -> monitors.pings(m.id).size() == 2);

        // what a consumer reads again after a crash before its Kafka commit: the same records, same offsets
        applier.apply(Map.of(m.kafkaPartition, applied));

        Monitor after = monitors.find(m.id);
        assertThat(after.pingCount).isEqualTo(2);
        assertThat(after.status).isEqualTo(Status.DOWN);
        assertThat(monitors.pings(m.id)).hasSize(2);
        assertThat(monitors.flips(m.id)).hasSize(1);
    }

    private static ConsumerRecord<String, byte[]> record(RecordMetadata written, PingReceived ping) {
        return new ConsumerRecord<>(written.topic(), written.partition(), written.offset(), ping.monitorId().toString(),
                Json.write(ping));
    }

    @Test
    void aLaggingPartitionHoldsDeadlinesUntilItsWatermarkPassesThem() {
        Instant t0 = now();
        Monitor m = upAt(t0);

        EngineFixture.hold(m.kafkaPartition);
        // past due and grace, nothing is declared while the partition's watermark is behind
        await().during(Duration.ofMillis(3500)).atMost(Duration.ofSeconds(5))
                .until(() -> monitors.find(m.id).status == Status.UP);
        Instant released = Instant.now();
        EngineFixture.releaseAll();

        awaitStatus(m.id, Status.DOWN);
        List<Flip> flips = monitors.flips(m.id);
        assertThat(flips).extracting(f -> f.toStatus).containsExactly(Status.UP, Status.LATE, Status.DOWN);
        assertThat(flips.get(2).at).isEqualTo(t0.plus(EVERY).plus(GRACE));
        assertThat(flips.get(2).detectedAt).isAfter(released);
    }

    @Test
    void aPingJustPastItsDeadlineWaitsForTheWatermarkSoTheOutageIsNotErased() {
        Instant t0 = now();
        Monitor m = upAt(t0);

        EngineFixture.hold(m.kafkaPartition);
        // received after due + grace, consumed while the watermark is still before the DOWN time: a ping received
        // before the deadline could still come from another ingest instance, so this one must not go first
        Instant late = t0.plus(EVERY).plus(GRACE).plusMillis(500);
        send(ping(m.id, PingType.SUCCESS, late));
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3))
                .until(() -> monitors.find(m.id).pingCount == 1);
        EngineFixture.releaseAll();

        await().atMost(Duration.ofSeconds(20)).until(() -> monitors.flips(m.id).size() == 4);
        List<Flip> flips = monitors.flips(m.id);
        assertThat(flips).extracting(f -> f.toStatus).containsExactly(Status.UP, Status.LATE, Status.DOWN, Status.UP);
        assertThat(flips).extracting(f -> f.at).containsExactly(t0, t0.plus(EVERY), t0.plus(EVERY).plus(GRACE), late);
        assertThat(monitors.find(m.id).pingCount).isEqualTo(2);
    }

    @Test
    void aStalledWatermarkFlipsThePipelineOnceAndHoldsMonitors() {
        await().atMost(Duration.ofSeconds(20)).until(() -> monitors.findBySlug("vigil-pipeline").status == Status.UP);
        Monitor pipeline = monitors.findBySlug("vigil-pipeline");
        assertThat(pipeline.system).isTrue();
        long before = pipeline.flipSequence;

        Monitor m = monitors.create(EVERY, GRACE, null);
        Instant t0 = now();
        send(ping(m.id, PingType.SUCCESS, t0));
        awaitStatus(m.id, Status.UP);

        EngineFixture.holdAll();
        awaitStatus(pipeline.id, Status.DOWN);
        assertThat(monitors.find(m.id).status).isEqualTo(Status.UP); // its deadlines passed, but are held
        EngineFixture.releaseAll();

        awaitStatus(pipeline.id, Status.UP);
        awaitStatus(m.id, Status.DOWN);
        List<Flip> pipelineFlips = monitors.flips(pipeline.id).stream().filter(f -> f.sequence > before).toList();
        assertThat(pipelineFlips).extracting(f -> f.toStatus).containsExactly(Status.DOWN, Status.UP);
        assertThat(monitors.flips(m.id)).extracting(f -> f.at)
                .containsExactly(t0, t0.plus(EVERY), t0.plus(EVERY).plus(GRACE));
    }

    @Test
    void aLateAppliedPingRecordsTheMissedFlipsAtTheirOwnTimes() {
        Monitor m = monitors.create(EVERY, GRACE, null);
        Instant t0 = now().minusSeconds(10);
        Instant t1 = now().minusSeconds(1);
        send(ping(m.id, PingType.SUCCESS, t0));
        send(ping(m.id, PingType.SUCCESS, t1));
        await().atMost(Duration.ofSeconds(20)).until(() -> monitors.flips(m.id).size() == 4);
        List<Flip> flips = monitors.flips(m.id);
        assertThat(flips).extracting(f -> f.toStatus).containsExactly(Status.UP, Status.LATE, Status.DOWN, Status.UP);
        assertThat(flips).extracting(f -> f.at)
                .containsExactly(t0, t0.plus(EVERY), t0.plus(EVERY).plus(GRACE), t1);
        assertThat(flips.get(3).reason).isEqualTo("recovered");
    }

    @Test
    void malformedRecordsAndUnknownMonitorsAreSkipped() {
        Monitor m = monitors.create(Duration.ofHours(1), Duration.ofHours(1), null);
        EngineFixture.sendRaw(m.id.toString(), "not json".getBytes(StandardCharsets.UTF_8));
        send(ping(UUID.randomUUID(), PingType.SUCCESS, now()));
        send(ping(m.id, PingType.SUCCESS, now()));
        awaitStatus(m.id, Status.UP);
    }

    @Test
    void pauseAndResumeFlipAndAnOlderPingDoesNotResume() {
        Monitor m = monitors.create(Duration.ofHours(1), Duration.ofHours(1), null);
        Instant beforePause = now();
        send(ping(m.id, PingType.SUCCESS, beforePause));
        awaitStatus(m.id, Status.UP);
        monitors.pause(m.id);
        assertThat(monitors.find(m.id).status).isEqualTo(Status.PAUSED);

        send(ping(m.id, PingType.SUCCESS, beforePause.plusMillis(1)));
        await().atMost(Duration.ofSeconds(20)).until(() -> monitors.pings(m.id).size() == 2);
        assertThat(monitors.find(m.id).status).isEqualTo(Status.PAUSED);

        Instant resumedAt = Instant.now();
        monitors.resume(m.id);
        Monitor resumed = monitors.find(m.id);
        assertThat(resumed.status).isEqualTo(Status.UP);
        assertThat(resumed.dueAt).isBetween(resumedAt.plus(Duration.ofHours(1)), Instant.now().plus(Duration.ofHours(1)));
        assertThat(monitors.flips(m.id)).extracting(f -> f.reason).containsExactly("ok", "paused", "resumed");
        assertThatThrownBy(() -> monitors.resume(m.id)).isInstanceOf(MonitorLifecycle.MonitorNotPausedException.class);
    }

    @Test
    void deletingADownMonitorSaysNoLongerWatchedAndTombstonesItsToken() {
        Monitor m = monitors.create(Duration.ofHours(1), Duration.ofHours(1), null);
        send(ping(m.id, PingType.FAIL, 3, null, now(), null));
        awaitStatus(m.id, Status.DOWN);
        assertThat(monitors.flips(m.id).get(0).reason).isEqualTo("exit-status 3");
        monitors.delete(m.id);

        await().atMost(Duration.ofSeconds(10)).until(() -> relayedFlips(m.id).size() == 2);
        MonitorFlipped notice = relayedFlips(m.id).get(1);
        assertThat(notice.previousStatus()).isEqualTo(Status.DOWN);
        assertThat(notice.status()).isEqualTo(Status.PAUSED);
        assertThat(notice.reason()).isEqualTo("deleted");
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            List<EngineFixture.Relayed> registry = EngineFixture.relayed(Topics.MONITORS, m.id.toString());
            return !registry.isEmpty() && registry.get(registry.size() - 1).value() == null;
        });
        assertThat(monitors.find(m.id)).isNull();
    }

    @Test
    void historyKeepsTheNewestPingsByteExactWithRunDurations() {
        Monitor m = monitors.create(Duration.ofHours(1), Duration.ofHours(1), null);
        Instant t = now();
        UUID rid = UUID.randomUUID();
        send(ping(m.id, PingType.START, null, rid, t, null));
        for (int i = 1; i <= 5; i++) {
            send(ping(m.id, PingType.LOG, null, null, t.plusMillis(i), ("log " + i).getBytes(StandardCharsets.UTF_8)));
        }
        // array and quoting syntax, a NUL and a byte that is not UTF-8: kept exactly, shown as text safely
        byte[] body = ("{\"q\":\"\\\"\"} NULL, ok" + '\u0000').getBytes(StandardCharsets.UTF_8);
        body = Arrays.copyOf(body, body.length + 1);
        body[body.length - 1] = (byte) 0xff;
        send(ping(m.id, PingType.SUCCESS, null, rid, t.plusMillis(1500), body));
        await().atMost(Duration.ofSeconds(20)).until(() -> monitors.find(m.id).pingCount == 7);

        List<PingRecord> kept = monitors.pings(m.id); // the test profile keeps 5
        assertThat(kept).extracting(p -> p.n).containsExactly(7L, 6L, 5L, 4L, 3L);
        assertThat(kept.get(0).body).isEqualTo(body);
        assertThat(kept.get(0).durationMs).isEqualTo(1500L);
        assertThat(kept.get(0).type).isEqualTo("success");
        assertThat(kept.get(0).rid).isEqualTo(rid);
        assertThat(kept.get(1).body).isEqualTo("log 5".getBytes(StandardCharsets.UTF_8));
        Monitor after = monitors.find(m.id);
        assertThat(after.lastDurationMs).isEqualTo(1500L);
        assertThat(after.lastBody).isEqualTo("{\"q\":\"\\\"\"} NULL, ok\uFFFD\uFFFD");
        assertThat(after.running).isFalse();
    }
}
