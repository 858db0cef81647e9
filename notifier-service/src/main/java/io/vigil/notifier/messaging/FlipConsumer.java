package io.vigil.notifier.messaging;

import io.quarkus.logging.Log;
import io.vigil.contracts.Json;
import io.vigil.contracts.MonitorFlipped;
import io.vigil.contracts.Topics;
import io.vigil.notifier.scheduling.Dispatcher;
import io.vigil.notifier.service.ChannelStore;
import io.vigil.notifier.service.FlipIntake;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Consumes {@code vigil.flips.v1} (group {@code vigil-notifier}): each polled batch becomes
 * deliveries in one database transaction, then the offsets are committed. At least once: a batch
 * redelivered after a crash finds its flips already taken in and creates nothing.
 */
@ApplicationScoped
public class FlipConsumer {

    private final KafkaSettings settings;
    private final FlipIntake intake;
    private final ChannelStore channels;
    private final ChannelView channelView;
    private final Dispatcher dispatcher;
    private final InstantSource clock;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile Thread thread;
    private volatile boolean running;
    private volatile boolean healthy = true;

    public FlipConsumer(KafkaSettings settings, FlipIntake intake, ChannelStore channels, ChannelView channelView,
                        Dispatcher dispatcher, InstantSource clock) {
        this.settings = settings;
        this.intake = intake;
        this.channels = channels;
        this.channelView = channelView;
        this.dispatcher = dispatcher;
        this.clock = clock;
    }

    void start() {
        running = true;
        consumer = new KafkaConsumer<>(settings.consumer(KafkaSettings.GROUP));
        thread = new Thread(this::run, "vigil-flip-consumer");
        thread.setDaemon(true);
        thread.start();
    }

    void stop() {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        ChannelView.join(thread);
    }

    /** False while the last batch could not be recorded. */
    public boolean healthy() {
        return healthy && thread != null && thread.isAlive();
    }

    private void run() {
        try {
            consumer.subscribe(List.of(Topics.FLIPS));
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                if (records.isEmpty()) {
                    continue;
                }
                try {
                    process(records);
                    consumer.commitSync();
                    healthy = true;
                    dispatcher.wake();
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    healthy = false;
                    Log.warnf("could not record a batch of flips, will read it again: %s", e.getMessage());
                    rewind(records);
                    pause(Duration.ofSeconds(1));
                }
            }
        } catch (WakeupException e) {
            if (running) {
                Log.warn("flip consumer woken up unexpectedly");
            }
        } catch (RuntimeException e) {
            healthy = false;
            Log.errorf("flip consumer stopped: %s", e.getMessage());
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void process(ConsumerRecords<String, byte[]> records) {
        List<MonitorFlipped> flips = new ArrayList<>();
        Set<UUID> named = new HashSet<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                MonitorFlipped flip = Json.read(record.value(), MonitorFlipped.class);
                if (flip.eventId() == null || flip.monitor() == null || flip.status() == null) {
                    Log.warnf("skipping an incomplete flip record at %s-%d@%d", record.topic(), record.partition(), record.offset());
                    continue;
                }
                flips.add(flip);
                if (flip.channels() != null) {
                    named.addAll(flip.channels());
                }
            } catch (IllegalArgumentException | NullPointerException e) {
                Log.warnf("skipping a malformed flip record at %s-%d@%d", record.topic(), record.partition(), record.offset());
            }
        }
        if (!channels.unknown(named).isEmpty() && !channelView.awaitCaughtUp(Duration.ofSeconds(5))) {
            Log.warn("the channel view is behind; flips naming channels it does not know yet skip them");
        }
        intake.record(flips, clock.instant());
    }

    private void rewind(ConsumerRecords<String, byte[]> records) {
        Map<TopicPartition, Long> first = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            first.merge(new TopicPartition(record.topic(), record.partition()), record.offset(), Math::min);
        }
        first.forEach(consumer::seek);
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
