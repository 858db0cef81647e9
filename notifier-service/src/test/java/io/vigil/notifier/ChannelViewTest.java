package io.vigil.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vigil.contracts.ChannelChanged;
import io.vigil.contracts.ChannelType;
import io.vigil.contracts.Json;
import io.vigil.contracts.Topics;
import io.vigil.notifier.service.ChannelStore;
import io.vigil.testkit.HttpReceiver;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import io.vigil.testkit.SharedInfra;
import io.vigil.testkit.SmtpResource;
import jakarta.inject.Inject;
import java.time.Duration;
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
