package io.vigil.outbox;

import io.vigil.contracts.Json;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.time.InstantSource;

/**
 * Writes events to the outbox inside the caller's transaction. After that transaction commits, the relay is
 * woken (see {@link OutboxWritten}); it also polls, so nothing is left behind.
 */
@ApplicationScoped
public class Outbox {

    /** Fired for each outbox write; the relay observes it after the transaction commits. */
    public record OutboxWritten() {
    }

    private final InstantSource clock;
    private final Event<OutboxWritten> written;

    public Outbox(InstantSource clock, Event<OutboxWritten> written) {
        this.clock = clock;
        this.written = written;
    }

    /** Queues {@code event} (serialised with {@link Json}) for {@code topic} under {@code key}; null is a tombstone. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void enqueue(String topic, String key, Object event) {
        OutboxEvent row = new OutboxEvent();
        row.topic = topic;
        row.key = key;
        row.payload = event == null ? null : Json.write(event);
        row.createdAt = clock.instant();
        row.persist();
        written.fire(new OutboxWritten());
    }
}
