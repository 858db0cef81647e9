package io.vigil.outbox;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Relays the outbox to Kafka in id order, at least once: woken after every commit that wrote to the outbox,
 * and by a slow poll. A batch is deleted only after the broker acknowledged every record of it (acks=all,
 * idempotent producer); a failure leaves the rows for the next try. The service starts it once and stops it
 * last, after everything that writes to the outbox has stopped.
 */
@ApplicationScoped
public class OutboxRelay {

    private final OutboxDrain drain;
    private final OutboxConfig config;
    private final String bootstrapServers;

    private final Wakeup wakeup = new Wakeup();
    private volatile boolean running;
    private KafkaProducer<String, byte[]> producer;
    private Thread thread;

    public OutboxRelay(OutboxDrain drain, OutboxConfig config,
                       @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.drain = drain;
        this.config = config;
        this.bootstrapServers = bootstrapServers;
    }

    /** Starts the relay (once, at start). */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        Map<String, Object> producerConfig = new HashMap<>();
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, config.clientId());
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        producerConfig.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        producerConfig.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
        thread = new Thread(this::run, "vigil-outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops the relay after one last pass, so what was written before the stop still leaves. */
    public synchronized void stop() {
        running = false;
        nudge();
        if (thread != null) {
            try {
                thread.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    void committed(@Observes(during = TransactionPhase.AFTER_SUCCESS) Outbox.OutboxWritten written) {
        nudge();
    }

    /** Look at the outbox now. */
    public void nudge() {
        wakeup.nudge();
    }

    private void run() {
        int batch = Math.max(1, config.batch());
        while (running) {
            int n = relayOnce(batch);
            if (n == -1) {
                await(Duration.ofMillis(100)); // another instance is relaying; look again soon for rows it may not have seen
            } else if (n < batch) {
                await(config.poll());
            }
        }
        relayOnce(batch);
    }

    private int relayOnce(int batch) {
        try {
            return drain.drain(batch, this::publish);
        } catch (RuntimeException e) {
            Log.errorf("relaying the outbox failed, retrying: %s", e.getMessage());
            return 0;
        }
    }

    private void publish(List<OutboxEvent> rows) {
        List<Future<RecordMetadata>> acks = new ArrayList<>(rows.size());
        for (OutboxEvent row : rows) {
            acks.add(producer.send(new ProducerRecord<>(row.topic, row.key, row.payload)));
        }
        producer.flush();
        try {
            for (Future<RecordMetadata> ack : acks) {
                ack.get(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while relaying the outbox", e);
        } catch (Exception e) {
            throw new IllegalStateException("the broker did not acknowledge the outbox batch: " + e.getMessage(), e);
        }
    }

    private void await(Duration timeout) {
        if (running && !wakeup.await(timeout)) {
            running = false;
        }
    }
}
