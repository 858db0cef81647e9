package io.vigil.evaluator.service;

import static io.vigil.evaluator.service.EngineFixture.now;
import static io.vigil.evaluator.service.EngineFixture.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vigil.contracts.Json;
import io.vigil.contracts.MonitorRegistered;
import io.vigil.contracts.PingReceived;
import io.vigil.contracts.PingType;
import io.vigil.contracts.Status;
import io.vigil.contracts.Topics;
import io.vigil.evaluator.Flip;
import io.vigil.evaluator.Monitor;
import io.vigil.evaluator.PartitionOffset;
import io.vigil.evaluator.Schedule;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Auto-provisioning through the real broker and PostgreSQL: create pings written to {@code vigil.pings.v1} as
 * ingest writes them for {@code /ping/{key}/{slug}?create=1} (keyed by the slug's monitor id, with the create
 * request), applied by the engine.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
class AutoProvisioningTest {

    @Inject
    PingKeys pingKeys;

    @Inject
    Monitors admin;

    @Inject
    TestMonitors monitors;

    @BeforeAll
    static void ingest() {
        EngineFixture.start();
    }

    private static String slug() {
        return "auto-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private UUID key(Duration every, Duration grace, List<String> tags) {
        return pingKeys.create("key-" + slug(), new MonitorSpec("defaults", null, null, tags, Schedule.interval(every), grace,
                null, List.of(), null,
                MonitorSpec.RunRules.DEFAULT, List.of(), List.of(), List.of())).key().id;
    }

    /** A ping as ingest writes it for a {@code ?create=1} slug URL whose slug it did not know. */
    private static PingReceived createPing(UUID pingKey, String slug, PingType type, Instant at) {
        return new PingReceived(PingReceived.SCHEMA, UUID.randomUUID(), PingReceived.AutoCreate.monitorIdFor(slug), type,
                null, null, at, "GET", "http", "127.0.0.1", "curl/8", null, null, 0,
                new PingReceived.AutoCreate(pingKey, slug));
    }

    private Monitor awaitPings(String slug, long count) {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            Monitor m = monitors.findBySlug(slug);
            return m != null && m.pingCount >= count;
        });
        return monitors.findBySlug(slug);
    }

    @Test
    void tenSimultaneousFirstPingsMakeOneMonitorWithTheKeysDefaultsAndTenPings() {
        UUID key = key(Duration.ofMinutes(10), Duration.ofMinutes(5), List.of("auto", "batch"));
        String slug = slug();
        Instant at = now();
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<CompletableFuture<RecordMetadata>> sent = IntStream.range(0, 10).mapToObj(i -> CompletableFuture.supplyAsync(
                    () -> send(createPing(key, slug, PingType.SUCCESS, at.plusMillis(i))), pool)).toList();
            sent.forEach(CompletableFuture::join);
        } finally {
            pool.shutdown();
        }

        Monitor m = awaitPings(slug, 10);
        assertThat(m.id).isEqualTo(PingReceived.AutoCreate.monitorIdFor(slug));
        assertThat(m.pingCount).isEqualTo(10);
        assertThat(m.status).isEqualTo(Status.UP);
        assertThat(m.name).isEqualTo(slug);
        assertThat(m.everyMs).isEqualTo(Duration.ofMinutes(10).toMillis());
        assertThat(m.graceMs).isEqualTo(Duration.ofMinutes(5).toMillis());
        assertThat(m.tags).containsExactly("auto", "batch");
        assertThat(m.lastPingAt).isEqualTo(at.plusMillis(9));
        assertThat(m.dueAt).isEqualTo(at.plusMillis(9).plus(Duration.ofMinutes(10)));
        assertThat(monitors.flips(m.id)).extracting(f -> f.toStatus).containsExactly(Status.UP);
        await().atMost(Duration.ofSeconds(10)).until(() -> !EngineFixture.relayed(Topics.MONITORS, m.id.toString()).isEmpty());
        MonitorRegistered registered = Json.read(EngineFixture.relayed(Topics.MONITORS, m.id.toString()).get(0).value(),
                MonitorRegistered.class);
        assertThat(registered.slug()).isEqualTo(slug);
        assertThat(registered.tokenHash()).isEqualTo(io.vigil.contracts.TokenHash.of(m.token));
    }

    @Test
    void aMonitorTheAdminApiCreatedAMomentBeforeGetsThePing() {
        UUID key = key(Duration.ofMinutes(10), null, List.of());
        String slug = slug();
        Monitor existing = admin.create(new MonitorSpec("made by hand", slug, null, List.of(), Schedule.interval(Duration.ofHours(1)),
                null, null, List.of(), null,
                MonitorSpec.RunRules.DEFAULT, List.of(), List.of(), List.of()));

        send(createPing(key, slug, PingType.FAIL, now()));

        Monitor m = awaitPings(slug, 1);
        assertThat(m.id).isEqualTo(existing.id);
        assertThat(m.status).isEqualTo(Status.DOWN);
        assertThat(m.everyMs).isEqualTo(Duration.ofHours(1).toMillis());
        assertThat(monitors.find(PingReceived.AutoCreate.monitorIdFor(slug))).isNull();
    }

    @Test
    void aCreatePingOfADeletedKeyCreatesNothingAndAKnownSlugStillGetsIt() {
        UUID key = key(Duration.ofMinutes(10), null, List.of());
        String known = slug();
        send(createPing(key, known, PingType.SUCCESS, now()));
        awaitPings(known, 1);
        pingKeys.delete(key);

        String unknown = slug();
        RecordMetadata dropped = send(createPing(key, unknown, PingType.SUCCESS, now()));
        send(createPing(key, known, PingType.LOG, now()));

        awaitPings(known, 2);
        await().atMost(Duration.ofSeconds(20)).until(() -> QuarkusTransaction.requiringNew().call(() -> {
            PartitionOffset stored = PartitionOffset.findById(dropped.partition());
            return stored != null && stored.nextOffset > dropped.offset();
        }));
        assertThat(monitors.findBySlug(unknown)).isNull();
        assertThat(monitors.find(PingReceived.AutoCreate.monitorIdFor(unknown))).isNull();
    }

    @Test
    void aSlugWhoseMonitorIdIsTakenByARenamedMonitorGetsAMonitorOfItsOwn() {
        UUID key = key(Duration.ofMinutes(10), null, List.of());
        String slug = slug();
        send(createPing(key, slug, PingType.SUCCESS, now()));
        Monitor first = awaitPings(slug, 1);
        admin.replace(first.id, new MonitorSpec(first.name, slug + "-renamed", null, List.of(),
                Schedule.interval(Duration.ofMinutes(10)), null, null, List.of(), null,
                MonitorSpec.RunRules.DEFAULT, List.of(), List.of(), List.of()));
        assertThat(monitors.find(first.id).slug).as("the rename is stored").isEqualTo(slug + "-renamed");

        send(createPing(key, slug, PingType.START, now()));

        Monitor second = awaitPings(slug, 1);
        assertThat(second.id).isNotEqualTo(first.id);
        assertThat(second.running).isTrue();
        assertThat(monitors.find(first.id).slug).isEqualTo(slug + "-renamed");
        assertThat(monitors.find(first.id).pingCount).isEqualTo(1);
    }
}
