package io.vigil.ingest.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vigil.contracts.Json;
import io.vigil.contracts.MonitorRegistered;
import io.vigil.contracts.TokenHash;
import io.vigil.ingest.TokenRegistry;
import io.vigil.testkit.KafkaResource;
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
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A follower on the real broker, on a registry topic of its own (so the service's own topic keeps its
 * partitions): a partition added after the follower caught up is noticed and read from its start.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
class RegistryPartitionsTest {

    private static final Duration REFRESH = Duration.ofMillis(300);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void followsAPartitionAddedAfterStart() throws Exception {
        String topic = "vigil.monitors.test-" + UUID.randomUUID();
        Properties adminProps = new Properties();
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        TokenRegistry registry = new TokenRegistry();
        RegistryFollower follower = new RegistryFollower(registry, topic, REFRESH,
                () -> new KafkaConsumer<>(RegistryFollower.consumerProps(bootstrap, REFRESH)));
        try (Admin admin = Admin.create(adminProps);
                KafkaProducer<String, byte[]> producer = producer()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)
                    .configs(Map.of("cleanup.policy", "compact")))).all().get(30, TimeUnit.SECONDS);
            String before = register(producer, topic, 0);
            follower.start();
            await().atMost(Duration.ofSeconds(30)).until(follower::caughtUp);
            assertThat(registry.byTokenHash(TokenHash.of(before))).isNotNull();

            admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(3))).all().get(30, TimeUnit.SECONDS);
            // Written before the follower can have seen the new partitions: read from their beginning.
            String onNewest = register(producer, topic, 2);
            String onSecond = register(producer, topic, 1);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(registry.byTokenHash(TokenHash.of(onNewest))).isNotNull();
                assertThat(registry.byTokenHash(TokenHash.of(onSecond))).isNotNull();
            });
            String onOld = register(producer, topic, 0);
            await().atMost(Duration.ofSeconds(10)).until(() -> registry.byTokenHash(TokenHash.of(onOld)) != null);
            assertThat(registry.size()).isEqualTo(4);
        } finally {
            follower.stop();
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
    private static String register(KafkaProducer<String, byte[]> producer, String topic, int partition) throws Exception {
        UUID id = UUID.randomUUID();
        String token = "token-" + UUID.randomUUID();
        producer.send(new ProducerRecord<>(topic, partition, id.toString(),
                Json.write(new MonitorRegistered(id, "slug-" + id, TokenHash.of(token), 1)))).get(30, TimeUnit.SECONDS);
        return token;
    }
}
