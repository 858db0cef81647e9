package io.vigil.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * Takes the oldest outbox rows for publishing, one relay at a time across every instance of the service (a
 * transaction-scoped PostgreSQL advisory lock), so records leave in id order; rows are deleted in the same
 * transaction once the publisher returned (after the broker acknowledged them).
 */
@ApplicationScoped
public class OutboxDrain {

    private final EntityManager em;
    private final OutboxConfig config;

    public OutboxDrain(EntityManager em, OutboxConfig config) {
        this.em = em;
        this.config = config;
    }

    /**
     * Publishes up to {@code limit} of the oldest rows with {@code publish} (which must throw unless every
     * row was acknowledged) and deletes them.
     *
     * @return rows published; 0 when none were waiting; -1 when another relay holds the lock
     */
    @Transactional
    public int drain(int limit, Consumer<List<OutboxEvent>> publish) {
        Boolean locked = (Boolean) em.createNativeQuery("SELECT pg_try_advisory_xact_lock(?1)")
                .setParameter(1, config.lockKey()).getSingleResult();
        if (!Boolean.TRUE.equals(locked)) {
            return -1;
        }
        List<OutboxEvent> rows = OutboxEvent.findOldest(limit);
        if (rows.isEmpty()) {
            return 0;
        }
        publish.accept(rows);
        em.createQuery("delete from OutboxEvent where id in :ids")
                .setParameter("ids", rows.stream().map(r -> r.id).toList()).executeUpdate();
        return rows.size();
    }

    /** When the oldest waiting row was written, or null when the outbox is empty (for health checks). */
    @Transactional
    public Instant oldestWaiting() {
        return em.createQuery("select min(createdAt) from OutboxEvent", Instant.class).getSingleResult();
    }
}
