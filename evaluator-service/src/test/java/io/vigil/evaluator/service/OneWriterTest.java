package io.vigil.evaluator.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vigil.contracts.IngestWatermark;
import io.vigil.contracts.Json;
import io.vigil.contracts.PingReceived;
import io.vigil.contracts.PingType;
import io.vigil.contracts.Topics;
import io.vigil.evaluator.Monitor;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * One writer per monitor's state: the deadline sweep and the ping applier race on the same monitor, driven
 * directly (the engine's own loops are off), many times; whichever wins the lock, the other acts on the state it
 * committed, so every monitor ends with exactly its four flips and neither side fails.
 */
@QuarkusTest
@TestProfile(OneWriterTest.EngineOff.class)
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
class OneWriterTest {

    /** The engine's consumer and loops stay off: the test is the only writer besides the two it races. */
    public static class EngineOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("vigil.evaluator.engine.enabled", "false");
        }
    }

    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final int ROUNDS = 100;

    @Inject
    TestMonitors monitors;

    @Inject
    PingApplier applier;

    @Inject
    Sweep sweep;

    @Inject
    EntityManager em;

    @Test
    void theSweepAndTheApplierNeverActOnStaleState() throws Exception {
        // partitions of our own, far above the topic's: no other test's offsets or watermarks are there
        int base = 1_000_000 + ThreadLocalRandom.current().nextInt(1_000_000) * 1_000;
        Instant t0 = Instant.parse("2026-03-01T00:00:00Z");
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                int partition = base + round;
                Monitor m = monitors.create(MINUTE, MINUTE, null);
                monitors.movePartition(m.id, partition);
                // UP at t0, due t0+1m, DOWN at t0+2m
                applier.apply(Map.of(partition, List.of(watermark(partition, 0, t0.plusSeconds(1)),
                        ping(partition, 1, m.id, t0))));

                // the sweep declares LATE and DOWN; the applier applies a success received at t0+5m, which records
                // them itself when it goes first (the sweep then finds nothing due before t0+6m)
                CyclicBarrier start = new CyclicBarrier(2);
                Future<Integer> swept = two.submit(() -> {
                    start.await(5, TimeUnit.SECONDS);
                    return sweep.sweepPartition(partition, t0.plus(Duration.ofSeconds(330)), 10);
                });
                Future<PingApplier.Outcome> applied = two.submit(() -> {
                    start.await(5, TimeUnit.SECONDS);
                    return applier.apply(Map.of(partition, List.of(watermark(partition, 2, t0.plus(Duration.ofMinutes(10))),
                            ping(partition, 3, m.id, t0.plus(Duration.ofMinutes(5))))));
                });
                swept.get(30, TimeUnit.SECONDS);
                assertThat(applied.get(30, TimeUnit.SECONDS).applied()).isEqualTo(1);

                assertThat(monitors.flips(m.id)).as("round %d", round)
                        .extracting(f -> f.sequence + " " + f.fromStatus + "->" + f.toStatus + " " + f.at)
                        .containsExactly(
                                "1 NEW->UP " + t0,
                                "2 UP->LATE " + t0.plus(MINUTE),
                                "3 LATE->DOWN " + t0.plus(MINUTE.multipliedBy(2)),
                                "4 DOWN->UP " + t0.plus(MINUTE.multipliedBy(5)));
            }
        } finally {
            two.shutdownNow();
        }
    }

    @Test
    @Transactional
    void theEngineColumnsAreEveryColumnOfTheStateTable() {
        Set<String> listed = new HashSet<>();
        Monitor.ENGINE_COLUMNS.forEach(c -> listed.add(c.name()));
        assertThat(listed).hasSize(Monitor.ENGINE_COLUMNS.size());

        @SuppressWarnings("unchecked")
        List<String> table = em.createNativeQuery("""
                SELECT column_name FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = 'monitor_state'""").getResultList();
        Set<String> stored = new HashSet<>(table);
        stored.removeAll(List.of("id", "kafka_partition"));
        assertThat(listed).as("Monitor.ENGINE_COLUMNS against the monitor_state table").isEqualTo(stored);
        for (String column : listed) {
            assertThat(PingApplier.UPDATE_STATE).contains(column + " = v." + column);
        }
    }

    private static ConsumerRecord<String, byte[]> ping(int partition, long offset, UUID monitorId, Instant at) {
        PingReceived ping = new PingReceived(PingReceived.SCHEMA, UUID.randomUUID(), monitorId, PingType.SUCCESS, null,
                null, at, "GET", "http", "127.0.0.1", "race", null, null, 0);
        return new ConsumerRecord<>(Topics.PINGS, partition, offset, monitorId.toString(), Json.write(ping));
    }

    private static ConsumerRecord<String, byte[]> watermark(int partition, long offset, Instant at) {
        IngestWatermark mark = new IngestWatermark(IngestWatermark.SCHEMA, "race-ingest", at, at.plusSeconds(2));
        return new ConsumerRecord<>(Topics.PINGS, partition, offset, "watermark", Json.write(mark));
    }
}
