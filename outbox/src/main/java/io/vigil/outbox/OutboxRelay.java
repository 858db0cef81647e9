package io.vigil.outbox;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Relays the outbox to Kafka in id order, at least once, through the {@code vigil-outbox} channel (SmallRye
 * Reactive Messaging; each service configures it with acks=all and an idempotent producer). It runs on a
 * {@link DeadlineLoop}, woken after every commit that wrote to the outbox and by a {@code @Scheduled} poll, so
 * nothing is left behind. A batch is deleted only after the broker acknowledged every record of it; a failure
 * leaves the rows for the next try. The service starts it once and stops it last, after everything that writes
 * to the outbox has stopped.
 */
@ApplicationScoped
public class OutboxRelay {

    /** How long a batch may wait for the broker's acknowledgements before it is tried again. */
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    private final OutboxDrain drain;
    private final OutboxConfig config;
    private final MutinyEmitter<Record<String, byte[]>> emitter;
    private final InstantSource clock;
    private final DeadlineLoop loop;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "vigil-outbox-sender");
        thread.setDaemon(true);
        return thread;
    });

    public OutboxRelay(OutboxDrain drain, OutboxConfig config, InstantSource clock,
                       @Channel("vigil-outbox") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
                       MutinyEmitter<Record<String, byte[]>> emitter) {
        this.drain = drain;
        this.config = config;
        this.emitter = emitter;
        this.clock = clock;
        this.loop = new DeadlineLoop("vigil-outbox-relay", clock, this::relay);
    }

    /** Starts the relay (once, at start). */
    public void start() {
        loop.start();
    }

    /** Stops the relay after one last pass, so what was written before the stop still leaves. */
    public void stop() {
        loop.stop(true, Duration.ofSeconds(15));
        sender.shutdown();
    }

    void committed(@Observes(during = TransactionPhase.AFTER_SUCCESS) Outbox.OutboxWritten written) {
        loop.nudge();
    }

    /** The slow poll: rows another instance left, or a wake-up lost in a crash, are relayed within it. */
    @Scheduled(every = "${vigil.outbox.poll:5s}", delayed = "${vigil.outbox.poll:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class) // the channel is wired during start-up
    void poll() {
        loop.nudge();
    }

    /** Look at the outbox now. */
    public void nudge() {
        loop.nudge();
    }

    /** Whether the relay's loop runs and is not stuck (for liveness). */
    public boolean live(Duration stuckAfter) {
        return loop.live(stuckAfter);
    }

    /** Relays batches until the outbox is empty; waits for the next commit or poll then. */
    private Instant relay() {
        int batch = Math.max(1, config.batch());
        while (true) {
            int n = drain.drain(batch, this::publish);
            if (n == -1) {
                // another instance is relaying: look again soon for rows it may not have seen
                return clock.instant().plusMillis(100);
            }
            if (n < batch) {
                return null;
            }
        }
    }

    /**
     * Sends the rows and waits for every acknowledgement. The sends start on the relay's own sender thread, which
     * carries no context: started from the drain's thread, the connector's pipeline would take the drain's
     * transaction along to the producer's threads, and the transaction would then commit with several threads in it.
     */
    private void publish(List<OutboxEvent> rows) {
        try {
            sender.submit(() -> {
                List<Uni<Void>> acks = new ArrayList<>(rows.size());
                for (OutboxEvent row : rows) {
                    Message<Record<String, byte[]>> message = Message.of(Record.of(row.key, row.payload))
                            .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withTopic(row.topic)
                                    .withKey(row.key).build());
                    acks.add(emitter.sendMessage(message));
                }
                Uni.join().all(acks).andFailFast().await().atMost(ACK_TIMEOUT);
                return null;
            }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while relaying the outbox", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the broker did not acknowledge the outbox batch: " + e.getCause().getMessage(),
                    e.getCause());
        }
    }
}
