package io.vigil.ingest.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.contracts.IngestWatermark;
import io.vigil.contracts.Json;
import io.vigil.contracts.PingReceived;
import io.vigil.contracts.PingType;
import io.vigil.contracts.PingsRecord;
import io.vigil.contracts.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The watermark rule on a producer whose acks the test controls (the broker itself is covered by the HTTP tests). */
class PingWriterTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final Instant[] now = {T0};
    private final MockProducer<String, byte[]> producer = new MockProducer<>(cluster(), false, null,
            new StringSerializer(), new ByteArraySerializer());
    private final PingWriter writer = new PingWriter(() -> now[0]);

    private static Cluster cluster() {
        Node node = new Node(1, "127.0.0.1", 9092);
        List<PartitionInfo> partitions = IntStream.range(0, 8)
                .mapToObj(p -> new PartitionInfo(Topics.PINGS, p, node, new Node[] {node}, new Node[] {node})).toList();
        return new Cluster("test", List.of(node), partitions, Set.of(), Set.of());
    }

    private static PingReceived ping(Instant receivedAt) {
        return new PingReceived(PingReceived.SCHEMA, UUID.randomUUID(), UUID.randomUUID(), PingType.SUCCESS, null, null,
                receivedAt, "GET", "http", "127.0.0.1", null, null, null, 0);
    }

    private List<ProducerRecord<String, byte[]>> watermarksSince(int index) {
        List<ProducerRecord<String, byte[]>> history = producer.history();
        return history.subList(index, history.size()).stream().filter(r -> PingWriter.WATERMARK_KEY.equals(r.key())).toList();
    }

    @Test
    void watermarkStaysAtTheOldestUnackedPingThenMovesToNow() {
        writer.start(producer, Duration.ofSeconds(1));
        CompletionStage<PingReceived> acked = writer.write(PingWriterTest::ping);
        assertThat(writer.pendingCount()).isEqualTo(1);

        now[0] = T0.plusSeconds(1);
        int mark = producer.history().size();
        writer.writeWatermarks(Duration.ofSeconds(5));
        List<ProducerRecord<String, byte[]>> held = watermarksSince(mark);
        assertThat(held).extracting(ProducerRecord::partition).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7);
        for (ProducerRecord<String, byte[]> record : held) {
            IngestWatermark w = (IngestWatermark) Json.read(record.value(), PingsRecord.class);
            assertThat(w.watermark()).isEqualTo(T0);
            assertThat(w.leaseExpiresAt()).isEqualTo(T0.plusSeconds(6));
            assertThat(w.ingestId()).isEqualTo(writer.ingestId());
        }

        assertThat(producer.completeNext()).isTrue(); // the ping, sent first
        assertThat(acked.toCompletableFuture()).isCompleted();
        assertThat(writer.pendingCount()).isZero();

        now[0] = T0.plusSeconds(2);
        mark = producer.history().size();
        writer.writeWatermarks(Duration.ofSeconds(5));
        assertThat(watermarksSince(mark)).hasSize(8).allSatisfy(record ->
                assertThat(((IngestWatermark) Json.read(record.value(), PingsRecord.class)).watermark()).isEqualTo(T0.plusSeconds(2)));
    }

    @Test
    void aFailedSendReleasesTheWatermarkAndFailsThePing() {
        writer.start(producer, Duration.ofSeconds(1));
        CompletionStage<PingReceived> failed = writer.write(PingWriterTest::ping);
        assertThat(producer.errorNext(new org.apache.kafka.common.errors.TimeoutException("no ack"))).isTrue();
        assertThat(failed.toCompletableFuture()).isCompletedExceptionally();
        assertThat(writer.pendingCount()).isZero();
    }
}
