package io.vigil.notifier.messaging;

import io.quarkus.logging.Log;
import io.vigil.contracts.ChannelChanged;
import io.vigil.contracts.Json;
import io.vigil.contracts.Topics;
import io.vigil.notifier.service.ChannelStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Follows the compacted {@code vigil.channels.v1} from offset 0 (assigned, no group) into the
 * channel table. Knows when it has caught up with the topic's end, so the flip consumer can wait for
 * a channel created just before the flip that names it.
 */
@ApplicationScoped
public class ChannelView {

    private final KafkaSettings settings;
    private final ChannelStore store;
    private final InstantSource clock;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile Thread thread;
    private volatile boolean running;
    /** System.nanoTime() at which an end-offset check began that found the view caught up; Long.MIN_VALUE before. */
    private volatile long caughtUpAsOf = Long.MIN_VALUE;

    public ChannelView(KafkaSettings settings, ChannelStore store, InstantSource clock) {
        this.settings = settings;
        this.store = store;
        this.clock = clock;
    }

    void start() {
        running = true;
        consumer = new KafkaConsumer<>(settings.consumer(null));
        thread = new Thread(this::run, "vigil-channel-view");
        thread.setDaemon(true);
        thread.start();
    }

    void stop() {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        join(thread);
    }

    /** True once the view has read the whole topic at least once. */
    public boolean caughtUp() {
        return caughtUpAsOf != Long.MIN_VALUE;
    }

    /** Waits until the view holds every channel record written before this call; false on timeout. */
    public boolean awaitCaughtUp(Duration timeout) {
        long asked = System.nanoTime();
        long deadline = asked + timeout.toNanos();
        while (caughtUpAsOf == Long.MIN_VALUE || caughtUpAsOf - asked < 0) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private void run() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.CHANNELS, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running) {
                long checkStarted = System.nanoTime();
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    apply(record);
                }
                boolean atEnd = partitions.stream().allMatch(tp -> consumer.position(tp) >= end.getOrDefault(tp, 0L));
                if (atEnd) {
                    caughtUpAsOf = checkStarted;
                }
            }
        } catch (WakeupException e) {
            if (running) {
                Log.warn("channel view woken up unexpectedly");
            }
        } catch (RuntimeException e) {
            Log.errorf("channel view stopped: %s", e.getMessage());
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        UUID id;
        try {
            id = UUID.fromString(record.key());
        } catch (RuntimeException e) {
            Log.warnf("skipping a channel record without a channel id key at offset %d", record.offset());
            return;
        }
        try {
            ChannelChanged change = record.value() == null ? null : Json.read(record.value(), ChannelChanged.class);
            store.apply(id, change, clock.instant());
            Log.debugf("channel %s %s", id, change == null ? "deleted" : "version " + change.version());
        } catch (IllegalArgumentException e) {
            Log.warnf("skipping a malformed channel record for %s: %s", id, e.getMessage());
        }
    }

    static void join(Thread thread) {
        if (thread != null) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
