package io.vigil.ingest.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vigil.contracts.Json;
import io.vigil.contracts.MonitorRegistered;
import io.vigil.contracts.TokenHash;
import io.vigil.ingest.TokenRegistry;
import io.vigil.testkit.KafkaResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The service's registry consumer on the real broker, on a registry topic of its own (so the service's
 * own topic keeps its partitions) with a short metadata refresh: it becomes ready once it read the
 * topic, and a partition added after that is assigned to it and read from its start, while the old
 * partition keeps its position.
 */
@QuarkusTest
@TestProfile(RegistryPartitionsTest.OwnTopic.class)
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
class RegistryPartitionsTest {

    static final String TOPIC = "vigil.monitors.partitions-test";

    /** The registry channel on {@link #TOPIC}, its metadata refreshed every 300 ms. */
    public static class OwnTopic implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mp.messaging.incoming.registry.topic", TOPIC,
                    "mp.messaging.incoming.registry.metadata.max.age.ms", "300");
        }
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    TokenRegistry registry;

    @Test
    void becomesReadyThenFollowsAPartitionAddedAfterStart() throws Exception {
        Properties adminProps = new Properties();
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(adminProps);
                KafkaProducer<String, byte[]> producer = producer()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1)
                    .configs(Map.of("cleanup.policy", "compact")))).all().get(30, TimeUnit.SECONDS);
            String before = register(producer, 0);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
            assertThat(registry.byTokenHash(TokenHash.of(before))).isNotNull();

            admin.createPartitions(Map.of(TOPIC, NewPartitions.increaseTo(3))).all().get(30, TimeUnit.SECONDS);
            // Written before the consumer can have seen the new partitions: read from their beginning.
            String onNewest = register(producer, 2);
            String onSecond = register(producer, 1);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(registry.byTokenHash(TokenHash.of(onNewest))).isNotNull();
                assertThat(registry.byTokenHash(TokenHash.of(onSecond))).isNotNull();
            });
            String onOld = register(producer, 0);
            await().atMost(Duration.ofSeconds(10)).until(() -> registry.byTokenHash(TokenHash.of(onOld)) != null);
            assertThat(registry.size()).isEqualTo(4);
            given().get("/q/health/ready").then().statusCode(200);
        }
    }

    private KafkaProducer<String, byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    /** Registers a new monitor on the given partition; returns its token. */
    private static String register(KafkaProducer<String, byte[]> producer, int partition) throws Exception {
        UUID id = UUID.randomUUID();
        String token = "token-" + UUID.randomUUID();
        producer.send(new ProducerRecord<>(TOPIC, partition, id.toString(),
                Json.write(new MonitorRegistered(id, "slug-" + id, TokenHash.of(token), 1)))).get(30, TimeUnit.SECONDS);
        return token;
    }
}
