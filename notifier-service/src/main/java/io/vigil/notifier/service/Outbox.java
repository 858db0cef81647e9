package io.vigil.notifier.service;

import io.vigil.contracts.Json;
import io.vigil.notifier.OutboxEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.time.InstantSource;

/**
 * Writes events to the outbox inside the caller's transaction. After the transaction commits, the
 * relay is told to publish (see {@link OutboxWritten}); it also polls, so nothing is left behind.
 */
@ApplicationScoped
public class Outbox {

    /** Fired after a transaction that wrote to the outbox commits (observe with {@code TransactionPhase.AFTER_SUCCESS}). */
    public record OutboxWritten() {
    }

    private final InstantSource clock;
    private final Event<OutboxWritten> written;

    public Outbox(InstantSource clock, Event<OutboxWritten> written) {
        this.clock = clock;
        this.written = written;
    }

    /** Queues {@code event} (serialised with {@link Json}) for {@code topic} under {@code key}. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void enqueue(String topic, String key, Object event) {
        OutboxEvent row = new OutboxEvent();
        row.topic = topic;
        row.key = key;
        row.payload = Json.write(event);
        row.createdAt = clock.instant();
        row.persist();
        written.fire(new OutboxWritten());
    }
}
