package io.vigil.evaluator.rest;

import static io.vigil.evaluator.rest.Admin.full;
import static io.vigil.evaluator.rest.Admin.suffix;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vigil.contracts.ChannelChanged;
import io.vigil.contracts.ChannelType;
import io.vigil.contracts.DeliveryAttempted;
import io.vigil.contracts.Json;
import io.vigil.contracts.SecretsKeyring;
import io.vigil.contracts.Topics;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import io.vigil.testkit.SharedInfra;
import jakarta.inject.Inject;
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
class ProviderMoveTest {

    private static final String TOKEN = "123456:ABC-def_ghi";

    @Inject
    SecretsKeyring keys;

    @Test
    void aTelegramChatThatMovedIsStoredBumpedAndRepublishedOnce() throws Exception {
        String monitor = Admin.createMonitor(Map.of()).getString("id");
        String channel = telegram("-4001");
        DeliveryAttempted moved = attempt(monitor, channel, move("chatId", "-4001", "-1004001"));
        publish(monitor, moved, moved);

        await().atMost(Duration.ofSeconds(20)).until(() -> "-1004001".equals(chatId(channel)));
        List<ChannelChanged> records = records(channel, 2);
        ChannelChanged latest = records.get(records.size() - 1);
        assertThat(latest.version()).isEqualTo(2);
        assertThat(latest.config()).containsEntry("chatId", "-1004001").containsEntry("botToken", TOKEN);
        full().get("/api/v1/channels/" + channel).then().statusCode(200);

        // a move from a chat the channel no longer holds, a move of a field the provider cannot move, and the same
        // outcome again change nothing
        publish(monitor, attempt(monitor, channel, move("chatId", "-4001", "-1009999")),
                attempt(monitor, channel, move("botToken", TOKEN, "999:stolen")), moved);
        DeliveryAttempted marker = attempt(monitor, channel, null);
        publish(monitor, marker);
        await().atMost(Duration.ofSeconds(20)).until(() -> full().get("/api/v1/monitors/" + monitor + "/notifications")
                .then().extract().jsonPath().getList("items.id").contains(marker.deliveryId().toString()));
        assertThat(chatId(channel)).isEqualTo("-1004001");
        assertThat(records(channel, 2)).hasSize(2);
    }

    private static DeliveryAttempted.ConfigChange move(String field, String from, String to) {
        return new DeliveryAttempted.ConfigChange(Map.of(field, from), Map.of(field, to));
    }

    private static String telegram(String chatId) {
        return full().contentType(ContentType.JSON)
                .body(Map.of("name", "tg-" + suffix(), "type", "telegram", "config", Map.of("botToken", TOKEN, "chatId", chatId)))
                .post("/api/v1/channels").then().statusCode(201).extract().path("id");
    }

    private static String chatId(String channel) {
        return full().get("/api/v1/channels/" + channel).then().statusCode(200).extract().path("config.chatId");
    }

    private List<ChannelChanged> records(String channel, int atLeast) {
        return TopicReader.await(Topics.CHANNELS, channel, values -> values.size() >= atLeast).stream().map(value -> {
            try {
                return Json.read(value, ChannelChanged.class).openedWith(keys);
            } catch (SecretsKeyring.SealException e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    private static DeliveryAttempted attempt(String monitor, String channel, DeliveryAttempted.ConfigChange change) {
        return new DeliveryAttempted(DeliveryAttempted.SCHEMA, UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
                UUID.fromString(monitor), UUID.fromString(channel), ChannelType.TELEGRAM, "alert", "SENT",
                Instant.now().truncatedTo(ChronoUnit.MILLIS), "delivered", 200, null, 150, change);
    }

    private static void publish(String key, DeliveryAttempted... events) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.kafka().bootstrapServers());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            for (DeliveryAttempted event : events) {
                producer.send(new ProducerRecord<>(Topics.DELIVERIES, key, Json.write(event))).get();
            }
        }
    }
}
