package io.vigil.ingest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vigil.contracts.Json;
import io.vigil.contracts.PingReceived;
import io.vigil.contracts.PingType;
import io.vigil.contracts.PingsRecord;
import io.vigil.contracts.TokenHash;
import io.vigil.testkit.KafkaResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Healthchecks' slug URLs under a ping key, {@code /ping/{pingKey}/{slug}[/{signal}]}, and {@code ?create=1}. */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
class SlugUrlTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    TokenRegistry registry;

    private Broker broker;

    @BeforeEach
    void connect() {
        broker = new Broker(bootstrap);
    }

    private Broker.PingKey knownKey() {
        Broker.PingKey key = broker.pingKey();
        await().atMost(Duration.ofSeconds(10)).until(() -> registry.pingKey(TokenHash.of(key.key())) != null);
        return key;
    }

    private Broker.Monitor knownMonitor() {
        Broker.Monitor monitor = broker.register();
        await().atMost(Duration.ofSeconds(10)).until(() -> registry.bySlug(monitor.slug()) != null);
        return monitor;
    }

    private List<PingReceived> awaitPings(UUID key, int count) {
        List<PingReceived>[] found = new List[1];
        await().atMost(Duration.ofSeconds(10)).until(() -> (found[0] = broker.pings(key)).size() >= count);
        assertThat(found[0]).hasSize(count);
        return found[0];
    }

    @Test
    void pingsTheMonitorWithThatSlugWithEverySignal() {
        Broker.PingKey key = knownKey();
        Broker.Monitor monitor = knownMonitor();
        String base = "/ping/" + key.key() + "/" + monitor.slug();
        for (String path : List.of(base, base + "/", base + "/start", base + "/fail", base + "/log", base + "/0", base + "/3")) {
            Response response = given().body("output").post(path + "?rid=" + UUID.randomUUID());
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            assertThat(response.asString()).isEqualTo("OK");
            assertThat(response.header("Ping-Body-Limit")).isNotBlank();
        }
        given().head(base).then().statusCode(200);

        List<PingReceived> pings = awaitPings(monitor.id(), 8);
        assertThat(pings).extracting(PingReceived::type).containsExactly(PingType.SUCCESS, PingType.SUCCESS, PingType.START,
                PingType.FAIL, PingType.LOG, PingType.SUCCESS, PingType.FAIL, PingType.SUCCESS);
        assertThat(pings.get(6).exitStatus()).isEqualTo(3);
        assertThat(pings.get(0).body()).asString().isEqualTo("output");
        assertThat(pings).allSatisfy(ping -> {
            assertThat(ping.create()).isNull();
            assertThat(ping.monitorId()).isEqualTo(monitor.id());
        });
        assertThat(pings.subList(0, 7)).allSatisfy(ping -> assertThat(ping.rid()).isNotNull());
    }

    @Test
    void anUnknownSlugIs404AndWithCreateAsksForTheMonitor() {
        Broker.PingKey key = knownKey();
        String slug = "auto-" + UUID.randomUUID().toString().substring(0, 8);
        given().get("/ping/" + key.key() + "/" + slug).then().statusCode(404);
        given().get("/ping/" + key.key() + "/" + slug + "?create=0").then().statusCode(404);

        Response created = given().body("first run").post("/ping/" + key.key() + "/" + slug + "/fail?create=1");

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.asString()).isEqualTo("Created");
        UUID id = PingReceived.AutoCreate.monitorIdFor(slug);
        PingReceived ping = awaitPings(id, 1).get(0);
        assertThat(ping.monitorId()).isEqualTo(id);
        assertThat(ping.type()).isEqualTo(PingType.FAIL);
        assertThat(ping.create()).isEqualTo(new PingReceived.AutoCreate(key.id(), slug));
        assertThat(ping.body()).asString().isEqualTo("first run");
    }

    @Test
    void underAPingKeyASlugSpelledLikeASignalIsASlug() {
        Broker.PingKey key = knownKey();
        for (String slug : List.of("fail", "start", "log", "0", "255")) {
            given().get("/ping/" + key.key() + "/" + slug + "?create=1").then().statusCode(201);
            PingReceived ping = awaitPings(PingReceived.AutoCreate.monitorIdFor(slug), 1).get(0);
            assertThat(ping.create().slug()).isEqualTo(slug);
            assertThat(ping.type()).isEqualTo(PingType.SUCCESS);
            assertThat(ping.exitStatus()).isNull();
        }
    }

    @Test
    void tenSimultaneousFirstPingsAreTenPingsForOneMonitorIdOnOnePartition() throws Exception {
        Broker.PingKey key = knownKey();
        String slug = "burst-" + UUID.randomUUID().toString().substring(0, 8);
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<CompletableFuture<Integer>> answers = IntStream.range(0, 10).mapToObj(i -> CompletableFuture.supplyAsync(
                    () -> given().get("/ping/" + key.key() + "/" + slug + "?create=1").statusCode(), pool)).toList();
            assertThat(answers).extracting(CompletableFuture::join).containsOnly(201);
        } finally {
            pool.shutdown();
        }
        UUID id = PingReceived.AutoCreate.monitorIdFor(slug);
        await().atMost(Duration.ofSeconds(10)).until(() -> broker.records(r -> id.toString().equals(r.key())).size() == 10);
        List<ConsumerRecord<String, byte[]>> records = broker.records(r -> id.toString().equals(r.key()));
        assertThat(records).extracting(ConsumerRecord::partition).containsOnly(records.get(0).partition());
        assertThat(records).extracting(r -> ((PingReceived) Json.read(r.value(), PingsRecord.class)).create())
                .containsOnly(new PingReceived.AutoCreate(key.id(), slug));
    }

    @Test
    void aSlugThatIsNotValidIs400AndAnUnknownOrDeletedKeyIs404() {
        Broker.PingKey key = knownKey();
        Broker.Monitor monitor = knownMonitor();
        for (String slug : List.of("Upper", "with%20space", "dot.ted", "x".repeat(101))) {
            Response response = given().urlEncodingEnabled(false).get("/ping/" + key.key() + "/" + slug + "?create=1");
            assertThat(response.statusCode()).as(slug).isEqualTo(400);
            assertThat(response.asString()).contains("slug");
        }
        given().get("/ping/" + key.key() + "/" + monitor.slug() + "/restart").then().statusCode(400);
        given().get("/ping/" + key.key() + "/" + monitor.slug() + "/256").then().statusCode(400);
        given().get("/ping/" + key.key() + "/" + monitor.slug() + "/1/extra").then().statusCode(400);

        String stranger = Broker.randomToken();
        for (String path : List.of("/ping/" + stranger + "/" + monitor.slug(), "/ping/" + stranger + "/" + monitor.slug() + "?create=1",
                "/ping/" + stranger + "/" + monitor.slug() + "/fail")) {
            Response response = given().body("ignored").post(path);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.asString()).isEqualTo("not found");
        }

        given().get("/ping/" + key.key() + "/" + monitor.slug() + "/log").then().statusCode(200);
        broker.delete(key);
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50))
                .until(() -> given().get("/ping/" + key.key() + "/" + monitor.slug() + "/log").statusCode() == 404);
        given().get("/ping/" + key.key() + "/new-one?create=1").then().statusCode(404);
    }

    @Test
    void tokenUrlsAreAsBeforeAlongsidePingKeys() {
        knownKey();
        Broker.Monitor monitor = knownMonitor();
        given().get("/ping/" + monitor.token() + "/fail").then().statusCode(200);
        given().get("/ping/" + monitor.token() + "/" + monitor.slug()).then().statusCode(400);
        given().get("/ping/" + monitor.token() + "/1/extra").then().statusCode(400);
        given().get("/ping/" + monitor.token() + "?create=1").then().statusCode(200);
        assertThat(awaitPings(monitor.id(), 2)).extracting(PingReceived::create).containsOnlyNulls();
    }
}
