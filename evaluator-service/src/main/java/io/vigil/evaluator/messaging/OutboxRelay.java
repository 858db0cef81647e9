package io.vigil.evaluator.messaging;

import io.quarkus.logging.Log;
import io.vigil.evaluator.OutboxEvent;
import io.vigil.evaluator.config.EngineConfig;
import io.vigil.evaluator.service.Outbox;
import io.vigil.evaluator.service.OutboxDrain;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Relays the outbox to Kafka in id order, at least once: woken after every commit that wrote to the outbox,
 * and by a slow poll. A batch is deleted only after the broker acknowledged every record of it (acks=all,
 * idempotent producer); a failure leaves the rows for the next try.
 */
@ApplicationScoped
public class OutboxRelay {

    private final OutboxDrain drain;
    private final KafkaTopology topology;
    private final EngineConfig config;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private boolean nudged;
    private volatile boolean running;
    private KafkaProducer<String, byte[]> producer;
    private Thread thread;

    public OutboxRelay(OutboxDrain drain, KafkaTopology topology, EngineConfig config) {
        this.drain = drain;
        this.topology = topology;
        this.config = config;
    }

    /** Starts the relay (the engine calls it once at start). */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        producer = topology.producer("vigil-evaluator-relay");
        thread = new Thread(this::run, "vigil-outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops the relay after the batch in progress. */
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
            producer.close(java.time.Duration.ofSeconds(5));
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
        while (running) {
            int n = 0;
            try {
                n = drain.drain(config.relayBatch(), this::publish);
            } catch (RuntimeException e) {
                Log.errorf("relaying the outbox failed, retrying: %s", e.getMessage());
            }
            if (n == -1) {
                await(100); // another instance is relaying; look again soon for rows it may not have seen
            } else if (n < config.relayBatch()) {
                await(config.relayPoll().toMillis());
            }
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
