package io.vigil.notifier.service;

import io.vigil.notifier.OutboxEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.function.Consumer;

/**
 * Takes the oldest outbox rows for publishing, one relay at a time across every notifier instance (a
 * transaction-scoped PostgreSQL advisory lock), so records leave in id order; rows are deleted in the same
 * transaction once the publisher returned (after the broker acknowledged them).
 */
@ApplicationScoped
public class OutboxDrain {

    /** The advisory lock key of the notifier's relay ("vigilN"; the evaluator's relay uses another key). */
    static final long RELAY_LOCK = 0x7669_6769_6c4eL;

    private final EntityManager em;

    public OutboxDrain(EntityManager em) {
        this.em = em;
    }

    /**
     * Publishes up to {@code limit} of the oldest rows with {@code publish} (which must throw unless every
     * row was acknowledged) and deletes them.
     *
     * @return rows published; 0 when none were waiting; -1 when another relay holds the lock
     */
    @Transactional
    public int drain(int limit, Consumer<List<OutboxEvent>> publish) {
        Boolean locked = (Boolean) em.createNativeQuery("select pg_try_advisory_xact_lock(?1)")
                .setParameter(1, RELAY_LOCK).getSingleResult();
        if (!Boolean.TRUE.equals(locked)) {
            return -1;
        }
        List<OutboxEvent> rows = OutboxEvent.findOldest(limit);
        if (rows.isEmpty()) {
            return 0;
        }
        publish.accept(rows);
        OutboxEvent.delete("id in ?1", rows.stream().map(row -> row.id).toList());
        return rows.size();
    }

    /** How many rows wait to be relayed (for tests and operators). */
    @Transactional
    public long waiting() {
        return OutboxEvent.count();
    }
}
