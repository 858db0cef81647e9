package io.vigil.evaluator.service;

import static io.vigil.evaluator.service.EngineFixture.now;
import static io.vigil.evaluator.service.EngineFixture.ping;
import static io.vigil.evaluator.service.EngineFixture.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vigil.contracts.PingType;
import io.vigil.contracts.Status;
import io.vigil.evaluator.Flip;
import io.vigil.evaluator.Monitor;
import io.vigil.evaluator.config.EngineConfig;
import io.vigil.evaluator.messaging.KafkaTopology;
import io.vigil.evaluator.messaging.PingConsumer;
import io.vigil.evaluator.scheduling.SweepLoop;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A second engine instance (its own consumer in the group and its own sweep), restarts, and the own heartbeat. */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = HeartbeatReceiver.class, restrictToAnnotatedClass = false)
class ScaleOutTest {

    private static final Duration EVERY = Duration.ofSeconds(2);
    private static final Duration GRACE = Duration.ofSeconds(1);

    @Inject
    TestMonitors monitors;
    @Inject
    KafkaTopology topology;
    @Inject
    io.vigil.evaluator.service.PingApplier applier;
    @Inject
    Sweep sweep;
    @Inject
    SweepLoop sweepLoop;
    @Inject
    PipelineWatch pipeline;
    @Inject
    InstantSource clock;
    @Inject
    EngineConfig config;
    @Inject
    PingConsumer consumer;

    @BeforeAll
    static void ingest() {
        EngineFixture.start();
    }

    @AfterEach
    void release() {
        EngineFixture.releaseAll();
        consumer.start();
    }

    @Test
    void twoInstancesShareTheWorkWithoutDuplicatesAndATakenOverPartitionLosesNothing() {
        PingConsumer second = new PingConsumer(topology, applier, sweep, sweepLoop, new SimpleMeterRegistry());
        SweepLoop secondSweep = new SweepLoop(sweep, pipeline, topology, clock, config, new SimpleMeterRegistry());
        second.start();
        secondSweep.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> !second.assignedPartitions().isEmpty()
                    && !consumer.assignedPartitions().isEmpty());
            assertThat(second.assignedPartitions()).doesNotContainAnyElementsOf(consumer.assignedPartitions());

            List<Monitor> many = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                many.add(monitors.create(EVERY, GRACE, null));
            }
            Instant t0 = now();
            many.forEach(m -> send(ping(m.id, PingType.SUCCESS, t0)));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> many.stream().allMatch(m -> monitors.find(m.id).status == Status.DOWN));
            for (Monitor m : many) {
                List<Flip> flips = monitors.flips(m.id);
                assertThat(flips).extracting(f -> f.toStatus).containsExactly(Status.UP, Status.LATE, Status.DOWN);
                assertThat(flips).extracting(f -> f.at).containsExactly(t0, t0.plus(EVERY), t0.plus(EVERY).plus(GRACE));
            }

            second.stop(); // the instance goes away: its partitions are taken over
            Instant t1 = now();
            many.forEach(m -> send(ping(m.id, PingType.SUCCESS, t1)));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> many.stream().allMatch(m -> monitors.find(m.id).pingCount == 2));
            assertThat(consumer.assignedPartitions()).hasSize(EngineFixture.partitions());
            for (Monitor m : many) {
                // (with every 2 s the monitors may already be late again: only the first four matter)
                assertThat(monitors.flips(m.id)).extracting(f -> f.reason).startsWith("ok", "missed", "missed", "recovered");
                assertThat(monitors.flips(m.id).get(3).at).isEqualTo(t1);
            }
        } finally {
            second.stop();
            secondSweep.stop();
        }
    }

    @Test
    void aRestartedConsumerResumesFromTheStoredOffsets() {
        Monitor m = monitors.create(Duration.ofHours(1), Duration.ofHours(1), null);
        send(ping(m.id, PingType.SUCCESS, now()));
        await().atMost(Duration.ofSeconds(20)).until(() -> monitors.find(m.id).pingCount == 1);

        consumer.stop();
        send(ping(m.id, PingType.LOG, now()));
        send(ping(m.id, PingType.FAIL, now()));
        consumer.start();

        await().atMost(Duration.ofSeconds(30)).until(() -> monitors.find(m.id).pingCount == 3);
        assertThat(monitors.flips(m.id)).extracting(f -> f.toStatus).containsExactly(Status.UP, Status.DOWN);
    }

    @Test
    void theOwnHeartbeatBeatsOnlyWhileWatermarksMove() {
        var receiver = HeartbeatReceiver.receiver();
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.requests("/heartbeat").size() >= 2);

        EngineFixture.holdAll();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> monitors.findBySlug(PipelineWatch.SLUG).status == Status.DOWN);
        int silent = receiver.requests("/heartbeat").size();
        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(4))
                .until(() -> receiver.requests("/heartbeat").size() <= silent + 1);
        EngineFixture.releaseAll();
        int resumedFrom = receiver.requests("/heartbeat").size();
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.requests("/heartbeat").size() >= resumedFrom + 2);
    }
}
