package io.vigil.notifier;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vigil.contracts.Json;
import io.vigil.contracts.MonitorFlipped;
import io.vigil.contracts.Topics;
import io.vigil.notifier.service.ChannelStore;
import io.vigil.testkit.HttpReceiver;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import io.vigil.testkit.SharedInfra;
import io.vigil.testkit.SmtpResource;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SmtpResource.class, restrictToAnnotatedClass = false)
class FlipConsumerTest {

    private final HttpReceiver receiver = HttpReceiver.start();

    @Inject
    ChannelStore channels;

    @AfterEach
    void close() {
        receiver.close();
    }

    private static void publishRaw(String key, byte[] value) throws Exception {
        Map<String, Object> config = Map.of("bootstrap.servers", SharedInfra.kafka().bootstrapServers(),
                "key.serializer", StringSerializer.class.getName(), "value.serializer", ByteArraySerializer.class.getName());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config)) {
            producer.send(new ProducerRecord<>(Topics.FLIPS, key, value)).get();
        }
    }

    @Test
    void unparseableFlipsAreSetAsideAndTheFlipsBehindThemInTheirPartitionAreDelivered() throws Exception {
        UUID channel = Fixtures.webhook(receiver.url("/behind"));
        Fixtures.Monitor monitor = new Fixtures.Monitor("behind-garbage", channel);
        // same key, same partition: the good flip is behind the bad ones
        publishRaw(monitor.id.toString(), "{\"eventId\": ".getBytes(StandardCharsets.UTF_8));
        MonitorFlipped down = monitor.down();
        MonitorFlipped incomplete = new MonitorFlipped(down.version(), down.eventId(), down.sequence(), down.monitor(),
                down.previousStatus(), null, down.reason(), down.reasonText(), down.occurredAt(), down.detectedAt(),
                down.lastPingAt(), down.downtime(), down.link(), down.lastPingBody(), down.channels());
        publishRaw(monitor.id.toString(), Json.write(incomplete));
        Fixtures.publish(down);

        await().atMost(Duration.ofSeconds(15)).until(() -> receiver.requests("/behind").size() == 1);
        List<String> reasons = given().get("/internal/v1/dead-letters").then().statusCode(200).extract().jsonPath()
                .getList("findAll { it.key == '" + monitor.id + "' }.reason");
        assertThat(reasons).hasSize(2)
                .contains("incomplete MonitorFlipped record: it needs eventId, monitor.id and status")
                .anyMatch(reason -> reason.startsWith("not a MonitorFlipped record: "));
        // the reason never quotes the record (a flip carries the last ping's body)
        assertThat(reasons).noneMatch(reason -> reason.contains("eventId\""));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("vigil_notifier_dead_letters_total{topic=\"vigil.flips.v1\"}"));
    }

    @Test
    void aFlipConsumerStuckOnALockTurnsLivenessDownUntilItMovesAgainAndLosesNothing() throws Exception {
        UUID channel = Fixtures.webhook(receiver.url("/stuck"));
        Fixtures.Monitor monitor = new Fixtures.Monitor("stuck", channel);
        await().atMost(Duration.ofSeconds(15)).until(() -> channels.find(channel) != null);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().get("/q/health/live").then().statusCode(200));
        try (Connection locker = DatabaseOutage.connect(); Statement statement = locker.createStatement()) {
            locker.setAutoCommit(false);
            statement.execute("LOCK TABLE notifier.flip IN ACCESS EXCLUSIVE MODE");
            Fixtures.publish(monitor.down());
            // stall-after is 5 s in tests
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/q/health/live").then().statusCode(503)
                    .body("checks.find { it.name == 'notifier-loops' }.data.flipConsumerStalled", equalTo(true)));
            assertThat(receiver.requests("/stuck")).isEmpty();
            locker.rollback();
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> receiver.requests("/stuck").size() == 1);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> given().get("/q/health/live").then().statusCode(200)
                .body("checks.name", hasItem("notifier-loops")));
    }
}
