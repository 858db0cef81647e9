package io.vigil.evaluator.messaging;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.vigil.evaluator.scheduling.SweepLoop;
import io.vigil.evaluator.service.PingApplier;
import io.vigil.evaluator.service.PingBatches;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code vigil.pings.v1} in batches (the {@code vigil-pings} channel, group {@code vigil-evaluator})
 * and hands each batch to {@link PingBatches}, which applies it until it is done and stores the next offsets in
 * the same transaction. Offsets live in PostgreSQL, not in Kafka ({@code commit-strategy=ignore}): on
 * assignment {@link PingOffsets} seeks to the stored ones, so a redelivered record changes nothing.
 */
@ApplicationScoped
public class PingConsumer {

    /** The channel, configured with {@code mp.messaging.incoming.vigil-pings.*}. */
    public static final String CHANNEL = "vigil-pings";

    private final PingBatches batches;
    private final KafkaClientService kafka;
    private final PingOffsets offsets;
    private final SweepLoop sweepLoop;
    private final AtomicLong lag = new AtomicLong();
    private volatile boolean stopping;
    private volatile long attemptStartedNanos;
    private volatile boolean inBatch;

    public PingConsumer(PingBatches batches, KafkaClientService kafka, @Identifier(PingOffsets.NAME) PingOffsets offsets,
                        SweepLoop sweepLoop,
                        MeterRegistry metrics) {
        this.batches = batches;
        this.kafka = kafka;
        this.offsets = offsets;
        this.sweepLoop = sweepLoop;
        Gauge.builder("vigil.consumer.lag", lag, AtomicLong::get)
                .description("records of vigil.pings.v1 not yet applied by this instance").register(metrics);
    }

    /** Applies one batch of records (each partition's in offset order); returns once it is stored. */
    @Incoming(CHANNEL)
    @Blocking
    public void consume(ConsumerRecords<String, byte[]> records) {
        Map<Integer, List<ConsumerRecord<String, byte[]>>> batch = new HashMap<>();
        for (TopicPartition tp : records.partitions()) {
            batch.put(tp.partition(), records.records(tp));
        }
        inBatch = true;
        try {
            PingApplier.Outcome outcome = batches.applyUntilDone(batch, () -> stopping,
                    () -> attemptStartedNanos = System.nanoTime());
            if (outcome == null) {
                return;
            }
            if (outcome.applied() > 0) {
                sweepLoop.nudge();
            } else if (outcome.watermarkMoved()) {
                sweepLoop.watermarkMoved();
            }
        } finally {
            inBatch = false;
        }
    }

    /** The partitions this instance applies now. */
    public Set<Integer> assignedPartitions() {
        return offsets.assignedPartitions();
    }

    /**
     * Whether the consumer makes progress: no attempt at a batch has been running for longer than
     * {@code stuckAfter} (a hung call). A batch retried with backoff while the database is away is progress.
     */
    public boolean live(Duration stuckAfter) {
        return !inBatch || System.nanoTime() - attemptStartedNanos < stuckAfter.toNanos();
    }

    void stopping(@Observes ShutdownEvent event) {
        stopping = true;
    }

    /** Keeps {@code vigil.consumer.lag} current, read on the consumer's polling thread (the client is not thread-safe). */
    @Scheduled(every = "1s", skipExecutionIf = Scheduled.ApplicationNotRunning.class,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void measureLag() {
        KafkaConsumer<Object, Object> consumer = kafka.getConsumer(CHANNEL);
        if (consumer != null) {
            consumer.runOnPollingThread(c -> {
                updateLag(c);
            }).subscribe().with(done -> { }, failure -> Log.debugf("cannot measure the consumer lag: %s", failure));
        }
    }

    private void updateLag(Consumer<?, ?> consumer) {
        long total = 0;
        for (TopicPartition tp : consumer.assignment()) {
            total += consumer.currentLag(tp).orElse(0);
        }
        lag.set(total);
    }
}
