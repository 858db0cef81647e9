package io.vigil.ingest.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.contracts.Json;
import io.vigil.contracts.MonitorRegistered;
import io.vigil.contracts.TokenHash;
import io.vigil.ingest.TokenRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The registry consumer's own parts on Kafka's MockConsumer: the probe reads the goal at the first
 * assignment, a batch applied up to it makes the view caught up, and a partition revoked and assigned
 * again resumes where it was instead of replaying from its beginning.
 */
class RegistryConsumerTest {

    private static final String TOPIC = "vigil.monitors.test";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    private final MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");
    private final TokenRegistry registry = new TokenRegistry();
    private final RegistryConsumer registryConsumer = new RegistryConsumer(registry, null, Instant::now);

    private static ConsumerRecord<String, byte[]> registration(TopicPartition partition, long offset, String token) {
        UUID id = UUID.randomUUID();
        return new ConsumerRecord<>(TOPIC, partition.partition(), offset, id.toString(),
                Json.write(new MonitorRegistered(id, "slug-" + id, TokenHash.of(token), 1)));
    }

    @Test
    void caughtUpOnceTheBatchesReachedTheEndOffsetsTheProbeSawAtTheFirstAssignment() {
        consumer.assign(List.of(P0, P1));
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        consumer.updateEndOffsets(Map.of(P0, 2L, P1, 0L));
        registryConsumer.observe(consumer);
        assertThat(registryConsumer.caughtUp()).isFalse();

        registryConsumer.apply(new ConsumerRecords<>(Map.of(P0, List.of(registration(P0, 0, "token-a-0123456789")))));
        assertThat(registryConsumer.caughtUp()).isFalse();
        registryConsumer.apply(new ConsumerRecords<>(Map.of(P0, List.of(registration(P0, 1, "token-b-0123456789")))));
        assertThat(registryConsumer.caughtUp()).isTrue();
        assertThat(registry.byTokenHash(TokenHash.of("token-b-0123456789"))).isNotNull();
    }

    @Test
    void aBadRecordIsSkippedAndTheRestOfTheBatchApplied() {
        ConsumerRecord<String, byte[]> noKey = new ConsumerRecord<>(TOPIC, 0, 0, "not-a-uuid", new byte[] {1});
        ConsumerRecord<String, byte[]> garbage = new ConsumerRecord<>(TOPIC, 0, 1, UUID.randomUUID().toString(), "{".getBytes());
        registryConsumer.apply(new ConsumerRecords<>(Map.of(P0, List.of(noKey, garbage, registration(P0, 2, "token-c-0123456789")))));
        assertThat(registry.byTokenHash(TokenHash.of("token-c-0123456789"))).isNotNull();
        assertThat(registry.size()).isEqualTo(1);
    }

    @Test
    void aPartitionRevokedAndAssignedAgainResumesWhereItWas() {
        consumer.assign(List.of(P0, P1));
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        consumer.seek(P0, 40);
        consumer.seek(P1, 7);
        registryConsumer.onPartitionsRevoked(consumer, List.of(P0, P1));

        consumer.assign(List.of(P0, P1));
        consumer.seekToBeginning(List.of(P0, P1)); // what a fresh assignment without commits would do
        registryConsumer.onPartitionsAssigned(consumer, List.of(P0, P1));
        assertThat(consumer.position(P0)).isEqualTo(40);
        assertThat(consumer.position(P1)).isEqualTo(7);
    }
}
