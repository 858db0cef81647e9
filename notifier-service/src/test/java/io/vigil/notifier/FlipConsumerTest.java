package io.vigil.notifier;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vigil.contracts.Json;
import io.vigil.contracts.MonitorFlipped;
import io.vigil.contracts.Topics;
import io.vigil.testkit.HttpReceiver;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import io.vigil.testkit.SharedInfra;
import io.vigil.testkit.SmtpResource;
import java.nio.charset.StandardCharsets;
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
        List<String> reasons = Fixtures.internal().get("/internal/v1/dead-letters").then().statusCode(200).extract().jsonPath()
                .getList("findAll { it.key == '" + monitor.id + "' }.reason");
        assertThat(reasons).hasSize(2)
                .contains("incomplete MonitorFlipped record: it needs eventId, monitor.id and status")
                .anyMatch(reason -> reason.startsWith("not a MonitorFlipped record: "));
        // the reason never quotes the record (a flip carries the last ping's body)
        assertThat(reasons).noneMatch(reason -> reason.contains("eventId\""));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("vigil_notifier_dead_letters_total{topic=\"vigil.flips.v1\"}"));
    }
}
