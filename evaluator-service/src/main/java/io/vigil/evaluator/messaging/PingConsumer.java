package io.vigil.evaluator.messaging;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.vigil.contracts.Topics;
import io.vigil.evaluator.PartitionOffset;
import io.vigil.evaluator.scheduling.SweepLoop;
import io.vigil.evaluator.service.PingApplier;
import io.vigil.evaluator.service.Sweep;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Consumes {@code vigil.pings.v1} in batches on its own thread (group {@code vigil-evaluator}) and hands each
 * batch to {@link PingApplier}, which stores the next offsets in the same transaction. Offsets live in the
 * database: on assignment the consumer seeks to the stored ones, so a redelivered record changes nothing.
 */
@ApplicationScoped
public class PingConsumer {

    private final KafkaTopology topology;
    private final PingApplier applier;
    private final Sweep sweep;
    private final SweepLoop sweepLoop;
    private final AtomicLong lag = new AtomicLong();
    private final Set<Integer> assigned = ConcurrentHashMap.newKeySet();

    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    public PingConsumer(KafkaTopology topology, PingApplier applier, Sweep sweep, SweepLoop sweepLoop,
                        MeterRegistry metrics) {
        this.topology = topology;
        this.applier = applier;
        this.sweep = sweep;
        this.sweepLoop = sweepLoop;
        Gauge.builder("vigil.consumer.lag", lag, AtomicLong::get)
                .description("records of vigil.pings.v1 not yet applied by this instance").register(metrics);
    }

    /** Starts consuming (the engine calls it once at start). */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        consumer = topology.consumer("vigil-evaluator-" + UUID.randomUUID());
        thread = new Thread(this::run, "vigil-ping-consumer");
        thread.setDaemon(true);
        thread.start();
    }

    /** The partitions this instance applies now. */
    public Set<Integer> assignedPartitions() {
        return Set.copyOf(assigned);
    }

    /** Stops consuming; a batch in progress finishes (or rolls back) first. */
    public synchronized void stop() {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        assigned.clear();
    }

    private void run() {
        try (KafkaConsumer<String, byte[]> c = consumer) {
            c.subscribe(List.of(Topics.PINGS), new SeekToStored(c));
            while (running) {
                ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(500));
                updateLag(c);
                if (records.isEmpty()) {
                    continue;
                }
                Map<Integer, List<ConsumerRecord<String, byte[]>>> batch = new HashMap<>();
                for (TopicPartition tp : records.partitions()) {
                    batch.put(tp.partition(), records.records(tp));
                }
                try {
                    long started = System.nanoTime();
                    PingApplier.Outcome outcome = applier.apply(batch);
                    Log.debugf("applied %d record(s), %d ping(s) in %d ms", records.count(), outcome.applied(),
                            (System.nanoTime() - started) / 1_000_000);
                    if (outcome.applied() > 0) {
                        sweepLoop.nudge();
                    } else if (outcome.watermarkMoved()) {
                        sweepLoop.watermarkMoved();
                    }
                } catch (RuntimeException e) {
                    if (poison(e)) {
                        applyOneByOne(c, batch);
                    } else {
                        Log.errorf(e, "applying %d ping record(s) failed; they will be read again", records.count());
                        seekToStored(c, c.assignment());
                        pause(Duration.ofSeconds(1));
                    }
                }
            }
        } catch (WakeupException e) {
            if (running) {
                Log.error("ping consumer woken unexpectedly", e);
            }
        } catch (RuntimeException e) {
            Log.errorf(e, "ping consumer stopped");
        }
    }

    /**
     * A batch failed on its data: apply its records one at a time and skip (with an ERROR) only the record
     * that cannot be applied, so one bad record cannot block every monitor of its partition.
     */
    private void applyOneByOne(KafkaConsumer<String, byte[]> c, Map<Integer, List<ConsumerRecord<String, byte[]>>> batch) {
        for (var entry : batch.entrySet()) {
            for (ConsumerRecord<String, byte[]> record : entry.getValue()) {
                try {
                    applier.apply(Map.of(entry.getKey(), List.of(record)));
                } catch (RuntimeException e) {
                    if (!poison(e)) {
                        Log.errorf(e, "applying ping records failed; they will be read again");
                        seekToStored(c, c.assignment());
                        pause(Duration.ofSeconds(1));
                        return;
                    }
                    Log.errorf("skipping a record of %s-%d at offset %d that cannot be applied: %s", record.topic(),
                            record.partition(), record.offset(), rootMessage(e));
                    applier.skip(entry.getKey(), record.offset());
                }
            }
        }
        sweepLoop.nudge();
    }

    /** A failure caused by the record's data (not by the database or broker being away). */
    static boolean poison(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("22")) {
                return true;
            }
            if (t instanceof IllegalArgumentException || t instanceof NullPointerException
                    || t instanceof ArithmeticException || t instanceof DateTimeException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private void updateLag(KafkaConsumer<String, byte[]> c) {
        long total = 0;
        for (TopicPartition tp : c.assignment()) {
            total += c.currentLag(tp).orElse(0);
        }
        lag.set(total);
    }

    private void seekToStored(KafkaConsumer<String, byte[]> c, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        Map<Integer, PartitionOffset> stored = sweep.partitions();
        for (TopicPartition tp : partitions) {
            PartitionOffset po = stored.get(tp.partition());
            if (po != null) {
                c.seek(tp, po.nextOffset);
            } else {
                c.seekToBeginning(List.of(tp));
            }
        }
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Seeks newly assigned partitions to the offsets stored with the pings they applied. */
    private final class SeekToStored implements ConsumerRebalanceListener {
        private final KafkaConsumer<String, byte[]> c;

        SeekToStored(KafkaConsumer<String, byte[]> c) {
            this.c = c;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            partitions.forEach(tp -> assigned.add(tp.partition()));
            seekToStored(c, partitions);
            Log.infof("applying pings of partition(s) %s", partitions.stream().map(TopicPartition::partition).toList());
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // nothing to commit: offsets are stored with the pings they applied
            partitions.forEach(tp -> assigned.remove(tp.partition()));
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            partitions.forEach(tp -> assigned.remove(tp.partition()));
        }
    }
}
