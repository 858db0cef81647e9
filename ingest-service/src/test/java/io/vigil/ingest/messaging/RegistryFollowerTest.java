package io.vigil.ingest.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.contracts.Json;
import io.vigil.contracts.MonitorRegistered;
import io.vigil.contracts.TokenHash;
import io.vigil.ingest.TokenRegistry;
import io.vigil.ingest.rest.ReadinessCheck;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/**
 * The follower driven one poll at a time on a consumer whose contents and positions the test
 * controls: readiness is DOWN until every partition reached the end offset read at start, UP after,
 * and partitions added later are followed from their beginning.
 */
class RegistryFollowerTest {

    private static final String TOPIC = "vigil.monitors.test";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);
    private static final TopicPartition P2 = new TopicPartition(TOPIC, 2);

    private final MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");
    private final TokenRegistry registry = new TokenRegistry();
    private final RegistryFollower follower = new RegistryFollower(registry, TOPIC, Duration.ZERO, () -> consumer);
    private final ReadinessCheck readiness = new ReadinessCheck(follower);

    private static List<PartitionInfo> partitions(int count) {
        Node node = new Node(1, "127.0.0.1", 9092);
        return IntStream.range(0, count)
                .mapToObj(p -> new PartitionInfo(TOPIC, p, node, new Node[] {node}, new Node[] {node})).toList();
    }

    /** Appends {@code count} registrations to the partition from {@code offset}; returns their tokens. */
    private List<String> append(TopicPartition partition, long offset, int count) {
        return IntStream.range(0, count).mapToObj(i -> {
            UUID id = UUID.randomUUID();
            String token = "token-" + UUID.randomUUID();
            consumer.addRecord(new ConsumerRecord<>(TOPIC, partition.partition(), offset + i, id.toString(),
                    Json.write(new MonitorRegistered(id, "slug-" + id, TokenHash.of(token), 1))));
            return token;
        }).toList();
    }

    private HealthCheckResponse.Status readiness() {
        return readiness.call().getStatus();
    }

    private void startWith(int partitions, Map<TopicPartition, Long> endOffsets) {
        consumer.updatePartitions(TOPIC, partitions(partitions));
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L, P2, 0L));
        consumer.updateEndOffsets(endOffsets);
        assertThat(follower.assignFromStart(consumer)).isTrue();
    }

    @Test
    void downUntilEveryPartitionReachedTheEndOffsetsReadAtStartThenUp() {
        startWith(2, Map.of(P0, 300L, P1, 200L));
        assertThat(readiness()).isEqualTo(HealthCheckResponse.Status.DOWN);

        // Nothing fetched yet: positions 0/0 of 300/200.
        follower.pollOnce(consumer);
        assertThat(readiness()).isEqualTo(HealthCheckResponse.Status.DOWN);

        // P0 complete, P1 half-way: still down, though what was read is already served.
        append(P0, 0, 300);
        List<String> firstHalf = append(P1, 0, 100);
        follower.pollOnce(consumer);
        assertThat(registry.size()).isEqualTo(400);
        assertThat(registry.byTokenHash(TokenHash.of(firstHalf.get(99)))).isNotNull();
        assertThat(readiness()).isEqualTo(HealthCheckResponse.Status.DOWN);

        // One record short of P1's end offset.
        append(P1, 100, 99);
        follower.pollOnce(consumer);
        assertThat(readiness()).isEqualTo(HealthCheckResponse.Status.DOWN);

        List<String> last = append(P1, 199, 1);
        follower.pollOnce(consumer);
        assertThat(registry.byTokenHash(TokenHash.of(last.get(0)))).isNotNull();
        assertThat(readiness()).isEqualTo(HealthCheckResponse.Status.UP);

        // Records written after start do not move the goal: it stays up while they are read or not.
        append(P0, 300, 5);
        consumer.updateEndOffsets(Map.of(P0, 1_000L, P1, 1_000L));
        follower.pollOnce(consumer);
        assertThat(readiness()).isEqualTo(HealthCheckResponse.Status.UP);
    }

    @Test
    void anEmptyTopicIsCaughtUpAtTheFirstPoll() {
        startWith(2, Map.of(P0, 0L, P1, 0L));
        assertThat(readiness()).isEqualTo(HealthCheckResponse.Status.DOWN);
        follower.pollOnce(consumer);
        assertThat(readiness()).isEqualTo(HealthCheckResponse.Status.UP);
    }

    @Test
    void aPartitionAddedAfterStartIsFollowedFromItsBeginning() {
        startWith(2, Map.of(P0, 1L, P1, 0L));
        List<String> before = append(P0, 0, 1);
        follower.pollOnce(consumer);
        assertThat(readiness()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(consumer.assignment()).containsExactlyInAnyOrder(P0, P1);

        consumer.updatePartitions(TOPIC, partitions(3));
        follower.pollOnce(consumer); // sees the third partition and assigns it
        assertThat(consumer.assignment()).containsExactlyInAnyOrder(P0, P1, P2);

        List<String> onNew = append(P2, 0, 3);
        List<String> onOld = append(P0, 1, 1);
        follower.pollOnce(consumer);
        assertThat(onNew).allSatisfy(token -> assertThat(registry.byTokenHash(TokenHash.of(token))).isNotNull());
        assertThat(registry.byTokenHash(TokenHash.of(onOld.get(0)))).isNotNull();
        // The old partitions kept their positions: nothing was read twice or skipped.
        assertThat(consumer.position(P0)).isEqualTo(2);
        assertThat(registry.byTokenHash(TokenHash.of(before.get(0)))).isNotNull();
        assertThat(registry.size()).isEqualTo(5);
    }
}
