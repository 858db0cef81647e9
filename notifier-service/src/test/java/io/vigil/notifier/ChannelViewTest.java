package io.vigil.notifier;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vigil.contracts.ChannelChanged;
import io.vigil.contracts.ChannelType;
import io.vigil.contracts.Json;
import io.vigil.contracts.SecretsKeyring;
import io.vigil.contracts.MonitorFlipped;
import io.vigil.contracts.Topics;
import io.vigil.notifier.service.ChannelStore;
import io.vigil.notifier.service.FlipIntake;
import io.vigil.testkit.HttpReceiver;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import io.vigil.testkit.SharedInfra;
import io.vigil.testkit.SmtpResource;
import jakarta.inject.Inject;
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
class ChannelViewTest {

    private final HttpReceiver receiver = HttpReceiver.start();

    @Inject
    ChannelStore channels;
    @Inject
    FlipIntake intake;

    @AfterEach
    void close() {
        receiver.close();
    }

    private static void publish(UUID id, ChannelChanged change) throws Exception {
        Map<String, Object> config = Map.of("bootstrap.servers", SharedInfra.kafka().bootstrapServers(),
                "key.serializer", StringSerializer.class.getName(), "value.serializer", ByteArraySerializer.class.getName());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config)) {
            producer.send(new ProducerRecord<>(Topics.CHANNELS, id.toString(), change == null ? null : Json.write(change))).get();
        }
    }

    private static void publishRaw(String key, byte[] value) throws Exception {
        Map<String, Object> config = Map.of("bootstrap.servers", SharedInfra.kafka().bootstrapServers(),
                "key.serializer", StringSerializer.class.getName(), "value.serializer", ByteArraySerializer.class.getName());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config)) {
            producer.send(new ProducerRecord<>(Topics.CHANNELS, key, value)).get();
        }
    }

    private static boolean takenIn(MonitorFlipped flip) {
        return QuarkusTransaction.requiringNew().call(() -> Flip.findById(flip.eventId()) != null);
    }

    private static long waitingFor(UUID channelId) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) Flip.getEntityManager()
                .createNativeQuery("select count(*) from flip_awaiting_channel where channel_id = ?1")
                .setParameter(1, channelId).getSingleResult()).longValue());
    }

    @Test
    void aFlipNamingAChannelTheViewDoesNotKnowYetWaitsForItAndIsSentWhenItArrives() throws Exception {
        UUID id = UUID.randomUUID();
        Fixtures.Monitor monitor = new Fixtures.Monitor("early-flip", id);
        MonitorFlipped down = Fixtures.publish(monitor.down());
        MonitorFlipped up = Fixtures.publish(monitor.up());
        await().atMost(Duration.ofSeconds(15)).until(() -> takenIn(down) && takenIn(up));
        assertThat(waitingFor(id)).isEqualTo(2);
        assertThat(receiver.requests()).isEmpty();

        publish(id, new ChannelChanged(id, "late", ChannelType.WEBHOOK, Map.of("url", receiver.url("/late")), null, null, 1));
        await().atMost(Duration.ofSeconds(15)).until(() -> receiver.requests("/late").size() == 2);
        // in the monitor's flip order: the recovery is sent because the alert it ends was
        assertThat(receiver.requests("/late")).extracting(request -> request.bodyText().contains("\"status\":\"DOWN\""))
                .containsExactly(true, false);
        assertThat(receiver.requests("/late").get(1).bodyText()).contains("\"status\":\"UP\"");
        assertThat(waitingFor(id)).isZero();
    }

    @Test
    void aFlipWaitingForAChannelThatIsDeletedBeforeItArrivesEndsItsWaitWithNothingSent() throws Exception {
        UUID id = UUID.randomUUID();
        MonitorFlipped down = Fixtures.publish(new Fixtures.Monitor("never-known", id).down());
        await().atMost(Duration.ofSeconds(15)).until(() -> takenIn(down));
        assertThat(waitingFor(id)).isEqualTo(1);

        publish(id, null);
        await().atMost(Duration.ofSeconds(15)).until(() -> waitingFor(id) == 0);
        assertThat(channels.find(id).deleted()).isTrue();
        assertThat(intake.deliveriesOf(down.eventId())).isEmpty();
    }

    @Test
    void unparseableChannelRecordsAreSetAsideCountedAndListedAndTheViewKeepsGoing() throws Exception {
        UUID garbled = UUID.randomUUID();
        UUID typeless = UUID.randomUUID();
        publishRaw("not-a-channel-id", "{}".getBytes(StandardCharsets.UTF_8));
        publishRaw(garbled.toString(), "{\"name\": ".getBytes(StandardCharsets.UTF_8));
        publishRaw(typeless.toString(), "{\"name\":\"no type\",\"version\":1}".getBytes(StandardCharsets.UTF_8));
        UUID good = UUID.randomUUID();
        publish(good, new ChannelChanged(good, "after", ChannelType.WEBHOOK, Map.of("url", receiver.url("/after")), null, null, 1));
        Fixtures.publish(new Fixtures.Monitor("after-garbage", good).down());
        await().atMost(Duration.ofSeconds(15)).until(() -> receiver.requests("/after").size() == 1);

        List<Map<String, Object>> letters = Fixtures.internal().get("/internal/v1/dead-letters?limit=1000").then().statusCode(200)
                .extract().jsonPath().getList("$");
        assertThat(letters).filteredOn(letter -> Topics.CHANNELS.equals(letter.get("topic")))
                .extracting(letter -> letter.get("key") + ": " + letter.get("reason"))
                .contains("not-a-channel-id: a channel record's key must be a channel id",
                        typeless + ": incomplete ChannelChanged record: no type")
                .anyMatch(line -> line.startsWith(garbled + ": not a ChannelChanged record: "));
        assertThat(letters).allSatisfy(letter -> assertThat(letter).doesNotContainKey("payload"));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("vigil_notifier_dead_letters_total{topic=\"vigil.channels.v1\"}"));
        assertThat(channels.find(garbled)).isNull();
    }

    @Test
    void sealedSettingsAreOpenedAndARecordThatCannotBeOpenedIsSetAsideWhileTheViewKeepsGoing() throws Exception {
        byte[] foreign = new byte[32];
        new java.security.SecureRandom().nextBytes(foreign);
        SecretsKeyring otherKeys = SecretsKeyring.of(java.util.Base64.getEncoder().encodeToString(foreign), null);
        UUID unreadable = UUID.randomUUID();
        publish(unreadable, new ChannelChanged(unreadable, "other key", ChannelType.WEBHOOK,
                Map.of("url", receiver.url("/other-key")), null, null, 1).sealedWith(otherKeys));
        UUID moved = UUID.randomUUID();
        UUID original = UUID.randomUUID();
        publish(moved, new ChannelChanged(original, "moved", ChannelType.WEBHOOK, Map.of("url", receiver.url("/moved")),
                null, null, 1).sealedWith(Fixtures.keys()));
        UUID sealed = UUID.randomUUID();
        publish(sealed, new ChannelChanged(sealed, "sealed", ChannelType.WEBHOOK, Map.of("url", receiver.url("/sealed")),
                null, null, 1).sealedWith(Fixtures.keys()));
        Fixtures.publish(new Fixtures.Monitor("sealed-channel", sealed).down());
        await().atMost(Duration.ofSeconds(15)).until(() -> receiver.requests("/sealed").size() == 1);

        List<Map<String, Object>> letters = Fixtures.internal().get("/internal/v1/dead-letters?limit=1000").then().statusCode(200)
                .extract().jsonPath().getList("$");
        assertThat(letters).filteredOn(letter -> Topics.CHANNELS.equals(letter.get("topic")))
                .extracting(letter -> letter.get("key") + ": " + letter.get("reason"))
                .contains(moved + ": a channel record's channelId must be its key")
                .anyMatch(line -> line.startsWith(unreadable + ": channel settings cannot be opened: sealed under key "
                        + otherKeys.currentKeyId()));
        assertThat(channels.find(unreadable)).isNull();
        assertThat(channels.find(moved)).isNull();
    }

    @Test
    void deadLettersAreListedAtMostAThousandAtATime() {
        Fixtures.internal().get("/internal/v1/dead-letters?limit=0").then().statusCode(400)
                .contentType("application/problem+json").body("detail", equalTo("limit must be between 1 and 1000"));
    }

    @Test
    void anOlderChannelRecordIsIgnoredAndATombstoneStopsAlerts() throws Exception {
        UUID id = UUID.randomUUID();
        publish(id, new ChannelChanged(id, "v2", ChannelType.WEBHOOK, Map.of("url", receiver.url("/v2")), null, null, 2));
        publish(id, new ChannelChanged(id, "v1", ChannelType.WEBHOOK, Map.of("url", receiver.url("/v1")), null, null, 1));
        Fixtures.Monitor monitor = new Fixtures.Monitor("versions", id);
        Fixtures.publish(monitor.down());
        await().atMost(Duration.ofSeconds(15)).until(() -> receiver.requests("/v2").size() == 1);
        assertThat(channels.find(id).name()).isEqualTo("v2");
        assertThat(receiver.requests("/v1")).isEmpty();

        publish(id, null);
        await().atMost(Duration.ofSeconds(15)).until(() -> channels.find(id).deleted());
        Fixtures.publish(monitor.up());
        Fixtures.Monitor after = new Fixtures.Monitor("after-delete", id);
        Fixtures.publish(after.down());
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> receiver.requests().size() == 1);
    }
}
