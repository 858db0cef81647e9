package io.vigil.evaluator.service;

import static io.vigil.evaluator.service.EngineFixture.now;
import static io.vigil.evaluator.service.EngineFixture.ping;
import static io.vigil.evaluator.service.EngineFixture.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vigil.contracts.PingType;
import io.vigil.contracts.Topics;
import io.vigil.evaluator.Monitor;
import io.vigil.evaluator.messaging.KafkaTopology;
import io.vigil.evaluator.messaging.PingConsumer;
import io.vigil.evaluator.scheduling.Heartbeat;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import io.vigil.testkit.SharedInfra;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Partitions moving between members of the evaluator group, and the own heartbeat. */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = HeartbeatReceiver.class, restrictToAnnotatedClass = false)
class ScaleOutTest {

    @Inject
    TestMonitors monitors;
    @Inject
    KafkaTopology topology;
    @Inject
    PingConsumer consumer;
    @Inject
    Heartbeat heartbeat;

    @BeforeAll
    static void ingest() {
        EngineFixture.start();
    }

    @AfterEach
    void release() {
        EngineFixture.releaseAll();
    }

    @Test
    void partitionsTakenByAnotherMemberComeBackAtTheStoredOffsetsAndLoseNothing() {
        List<Monitor> many = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            many.add(monitors.create(Duration.ofHours(1), Duration.ofHours(1), null));
        }
        Instant t0 = now();
        many.forEach(m -> send(ping(m.id, PingType.SUCCESS, t0)));
        await().atMost(Duration.ofSeconds(30)).until(() -> many.stream().allMatch(m -> monitors.find(m.id).pingCount == 1));

        // another member of the group (it applies nothing) takes some partitions over
        AtomicBoolean member = new AtomicBoolean(true);
        Set<Integer> taken = ConcurrentHashMap.newKeySet();
        Thread other = new Thread(() -> joinTheGroup(member, taken), "test-group-member");
        other.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> !taken.isEmpty()
                    && consumer.assignedPartitions().stream().noneMatch(taken::contains));
            Instant t1 = now();
            many.forEach(m -> send(ping(m.id, PingType.SUCCESS, t1)));
            await().atMost(Duration.ofSeconds(30)).until(() -> many.stream()
                    .filter(m -> !taken.contains(topology.partitionOf(m.id))).allMatch(m -> monitors.find(m.id).pingCount == 2));
            assertThat(many).filteredOn(m -> taken.contains(topology.partitionOf(m.id)))
                    .allMatch(m -> monitors.find(m.id).pingCount == 1);
        } finally {
            member.set(false);
        }
        // it leaves: its partitions come back, read from the offsets stored with the applied pings
        await().atMost(Duration.ofSeconds(60)).until(() -> consumer.assignedPartitions().size() == EngineFixture.partitions());
        await().atMost(Duration.ofSeconds(30)).until(() -> many.stream().allMatch(m -> monitors.find(m.id).pingCount == 2));
        for (Monitor m : many) {
            assertThat(monitors.flips(m.id)).extracting(f -> f.reason).containsExactly("ok");
            assertThat(monitors.pings(m.id)).hasSize(2);
        }
    }

    /** Stays a member of the evaluator's group until {@code member} is cleared, recording what it was given. */
    private static void joinTheGroup(AtomicBoolean member, Set<Integer> taken) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.kafka().bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, KafkaTopology.GROUP);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(Topics.PINGS), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    partitions.forEach(tp -> taken.add(tp.partition()));
                    c.pause(partitions); // it reads nothing: the records stay for the evaluator
                }

                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    partitions.forEach(tp -> taken.remove(tp.partition()));
                }
            });
            while (member.get()) {
                c.poll(Duration.ofMillis(100));
            }
        }
    }

    @Test
    void theOwnHeartbeatBeatsOnlyWhileWatermarksMove() {
        var receiver = HeartbeatReceiver.receiver();
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.requests("/heartbeat").size() >= 2);

        EngineFixture.holdAll();
        await().atMost(Duration.ofSeconds(20)).until(() -> heartbeat.unhealthy() != null);
        int silent = receiver.requests("/heartbeat").size();
        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(4))
                .until(() -> receiver.requests("/heartbeat").size() <= silent + 1);
        EngineFixture.releaseAll();
        int resumedFrom = receiver.requests("/heartbeat").size();
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.requests("/heartbeat").size() >= resumedFrom + 2);
    }
}
