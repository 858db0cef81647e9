package io.vigil.evaluator.rest;

import static io.vigil.evaluator.rest.Admin.full;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vigil.contracts.ChannelType;
import io.vigil.contracts.DeliveryAttempted;
import io.vigil.contracts.Json;
import io.vigil.contracts.PingReceived;
import io.vigil.contracts.PingType;
import io.vigil.contracts.Topics;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import io.vigil.testkit.SharedInfra;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = NotifierStandIn.class, restrictToAnnotatedClass = false)
class HistoryTest {

    @Test
    void notificationsAreRecordedOnceWithEveryAttempt() throws Exception {
        String monitorId = Admin.createMonitor(Map.of()).getString("id");
        UUID monitor = UUID.fromString(monitorId);
        UUID channel = UUID.fromString(Admin.createSlackChannel());
        UUID flip = UUID.randomUUID();
        UUID older = UUID.randomUUID();
        UUID newer = UUID.randomUUID();
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        DeliveryAttempted retry = attempt(older, flip, monitor, channel, "alert", "PENDING", at, "retry", 503, "HTTP 503");
        DeliveryAttempted sent = attempt(older, flip, monitor, channel, "alert", "SENT", at.plusSeconds(2), "delivered", 200, null);
        DeliveryAttempted reminder = attempt(newer, flip, monitor, channel, "reminder", "FAILED", at.plusSeconds(60), "failed", 410, "gone");
        publish(monitorId, sent, retry, retry, reminder, sent);

        JsonPath page = await().atMost(Duration.ofSeconds(20)).until(
                () -> full().get("/api/v1/monitors/" + monitorId + "/notifications").then().statusCode(200).extract().jsonPath(),
                json -> json.getList("items").size() == 2 && json.getList("items[1].attempts").size() == 2);
        assertThat(page.getString("items[0].id")).isEqualTo(newer.toString());
        assertThat(page.getString("items[0].kind")).isEqualTo("reminder");
        assertThat(page.getString("items[0].status")).isEqualTo("FAILED");
        assertThat(page.getString("items[1].id")).isEqualTo(older.toString());
        assertThat(page.getString("items[1].flipId")).isEqualTo(flip.toString());
        assertThat(page.getString("items[1].channelId")).isEqualTo(channel.toString());
        assertThat(page.getString("items[1].channelType")).isEqualTo("slack");
        assertThat(page.getString("items[1].status")).isEqualTo("SENT");
        assertThat(page.getList("items[1].attempts.outcome")).containsExactly("retry", "delivered");
        assertThat(page.getList("items[1].attempts.httpStatus")).containsExactly(503, 200);
        assertThat(page.getString("items[1].attempts[0].error")).isEqualTo("HTTP 503");
        assertThat(page.getString("items[1].attempts[0].at")).isEqualTo(Times.format(at));
        assertThat(page.getLong("items[1].attempts[0].durationMs")).isEqualTo(120);
        full().get("/api/v1/monitors/" + monitorId + "/notifications?limit=1").then().statusCode(200)
                .body("items", hasSize(1)).body("items[0].id", equalTo(newer.toString()));
    }

    @Test
    void pingsAreServedNewestFirstWithTheirBodies() throws Exception {
        JsonPath monitor = Admin.createMonitor(Map.of());
        String id = monitor.getString("id");
        full().get("/api/v1/monitors/" + id + "/pings").then().statusCode(200).body("items", hasSize(0))
                .body("nextCursor", equalTo(null));
        full().get("/api/v1/monitors/" + id + "/pings/1/body").then().statusCode(404).contentType("application/problem+json");
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        byte[] body = "{\"job\":\"backup\",\"bytes\":42}".getBytes(StandardCharsets.UTF_8);
        publish(id, ping(id, PingType.START, null, at, null, null),
                ping(id, PingType.SUCCESS, null, at.plusMillis(500), "application/json", body));

        JsonPath pings = await().atMost(Duration.ofSeconds(20)).until(
                () -> full().get("/api/v1/monitors/" + id + "/pings").then().statusCode(200).extract().jsonPath(),
                json -> json.getList("items").size() == 2);
        assertThat(pings.getList("items.type")).containsExactly("success", "start");
        assertThat(pings.getLong("items[0].n")).isEqualTo(2);
        assertThat(pings.getString("items[0].contentType")).isEqualTo("application/json");
        assertThat(pings.getLong("items[0].bodySize")).isEqualTo(body.length);
        assertThat(pings.getString("items[0].receivedAt")).isEqualTo(Times.format(at.plusMillis(500)));
        assertThat(pings.getString("items[0].remoteAddr")).isEqualTo("203.0.113.5");
        byte[] served = full().get("/api/v1/monitors/" + id + "/pings/2/body").then().statusCode(200)
                .contentType("application/json").header("X-Content-Type-Options", "nosniff").extract().asByteArray();
        assertThat(served).isEqualTo(body);
        JsonPath first = full().get("/api/v1/monitors/" + id + "/pings?limit=1").then().extract().jsonPath();
        full().get("/api/v1/monitors/" + id + "/pings?limit=1&cursor=" + first.getString("nextCursor")).then()
                .body("items.n", equalTo(List.of(1))).body("nextCursor", equalTo(null));
        full().get("/api/v1/monitors/" + id + "/pings/99/body").then().statusCode(404);
    }

    private static PingReceived ping(String monitorId, PingType type, Integer exit, Instant at, String contentType, byte[] body) {
        return new PingReceived(PingReceived.SCHEMA, UUID.randomUUID(), UUID.fromString(monitorId), type, exit, null, at, "POST",
                "https", "203.0.113.5", "curl/8", contentType, body, body == null ? 0 : body.length);
    }

    private static DeliveryAttempted attempt(UUID delivery, UUID flip, UUID monitor, UUID channel, String kind, String status,
                                             Instant at, String outcome, Integer http, String error) {
        return new DeliveryAttempted(DeliveryAttempted.SCHEMA, UUID.randomUUID(), delivery, flip, monitor, channel,
                ChannelType.SLACK, kind, status, at, outcome, http, error, 120);
    }

    private static void publish(String key, Object... events) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.kafka().bootstrapServers());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            for (Object event : events) {
                String topic = event instanceof DeliveryAttempted ? Topics.DELIVERIES : Topics.PINGS;
                producer.send(new ProducerRecord<>(topic, key, Json.write(event))).get();
            }
        }
    }
}
