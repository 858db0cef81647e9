package io.vigil.evaluator.messaging;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vigil.contracts.DeliveryAttempted;
import io.vigil.contracts.Json;
import io.vigil.contracts.Topics;
import io.vigil.evaluator.service.Notifications;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Consumes {@code vigil.deliveries.v1} (group {@value #GROUP}) and records each attempt for the admin
 * API. Offsets are committed after the batch is stored; a redelivered record is recognised by its eventId.
 */
@ApplicationScoped
public class DeliveryOutcomes {

    /** The consumer group of the delivery-outcome consumer. */
    public static final String GROUP = "vigil-evaluator-deliveries";

    private final Notifications notifications;
    private final String bootstrap;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    public DeliveryOutcomes(Notifications notifications, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        this.notifications = notifications;
        this.bootstrap = bootstrap;
    }

    void start(@Observes StartupEvent start) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        running.set(true);
        thread = new Thread(this::run, "vigil-delivery-outcomes");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent stop) throws InterruptedException {
        running.set(false);
        if (consumer != null) {
            consumer.wakeup();
        }
        if (thread != null) {
            thread.join(10_000);
        }
    }

    private void run() {
        try (KafkaConsumer<String, byte[]> kafka = consumer) {
            kafka.subscribe(List.of(Topics.DELIVERIES));
            while (running.get()) {
                ConsumerRecords<String, byte[]> records = kafka.poll(Duration.ofMillis(500));
                if (records.isEmpty()) {
                    continue;
                }
                List<DeliveryAttempted> attempts = new ArrayList<>();
                for (ConsumerRecord<String, byte[]> record : records) {
                    if (record.value() == null) {
                        continue;
                    }
                    try {
                        attempts.add(Json.read(record.value(), DeliveryAttempted.class));
                    } catch (IllegalArgumentException e) {
                        Log.warnf("skipping a malformed record at %s-%d offset %d", record.topic(), record.partition(), record.offset());
                    }
                }
                if (storeUntilDone(attempts)) {
                    kafka.commitSync();
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            Log.errorf(e, "delivery outcome consumer stopped");
        }
    }

    /** Retries a failed store (the database may be briefly away) rather than skipping outcomes. */
    private boolean storeUntilDone(List<DeliveryAttempted> attempts) {
        long backoff = 200;
        while (running.get()) {
            try {
                int stored = notifications.record(attempts);
                Log.debugf("recorded %d delivery attempts", stored);
                return true;
            } catch (RuntimeException e) {
                Log.warnf("cannot record delivery attempts yet (%s); retrying", e.getClass().getSimpleName());
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                backoff = Math.min(backoff * 2, 5_000);
            }
        }
        return false;
    }
}
