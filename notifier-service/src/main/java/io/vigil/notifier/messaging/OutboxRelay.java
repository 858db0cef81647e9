package io.vigil.notifier.messaging;

import io.quarkus.logging.Log;
import io.vigil.notifier.OutboxEvent;
import io.vigil.notifier.config.NotifierConfig;
import io.vigil.notifier.service.Outbox;
import io.vigil.notifier.service.OutboxDrain;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Relays the outbox (delivery outcomes) to {@code vigil.deliveries.v1} in id order, at least once: woken
 * after every commit that wrote to the outbox, and by a slow poll. A batch is deleted only after the broker
 * acknowledged every record of it (acks=all, idempotent producer); a failure leaves the rows for the next try.
 */
@ApplicationScoped
public class OutboxRelay {

    private final OutboxDrain drain;
    private final KafkaSettings settings;
    private final NotifierConfig config;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private boolean nudged;
    private volatile boolean running;
    private KafkaProducer<String, byte[]> producer;
    private Thread thread;

    public OutboxRelay(OutboxDrain drain, KafkaSettings settings, NotifierConfig config) {
        this.drain = drain;
        this.settings = settings;
        this.config = config;
    }

    /** Starts the relay (once, at start). */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        Map<String, Object> producerConfig = settings.producer();
        producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, "vigil-notifier-relay");
        producer = new KafkaProducer<>(producerConfig);
        thread = new Thread(this::run, "vigil-outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops the relay after one last pass (the dispatcher has stopped, so its last outcomes are in the outbox). */
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
        lock.lock();
        try {
            nudged = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        int batch = Math.max(1, config.outbox().batch());
        while (running) {
            int n = relayOnce(batch);
            if (n == -1) {
                await(100); // another instance is relaying; look again soon for rows it may not have seen
            } else if (n < batch) {
                await(config.outbox().poll().toMillis());
            }
        }
        relayOnce(batch);
    }

    private int relayOnce(int batch) {
        try {
            return drain.drain(batch, this::publish);
        } catch (RuntimeException e) {
            Log.errorf("relaying delivery outcomes failed, retrying: %s", e.getMessage());
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

    private void await(long millis) {
        lock.lock();
        try {
            if (!nudged && running) {
                wake.await(millis, TimeUnit.MILLISECONDS);
            }
            nudged = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }
}
