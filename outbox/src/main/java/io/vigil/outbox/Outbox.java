package io.vigil.outbox;

import io.vigil.contracts.Json;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.sql.PreparedStatement;
import java.time.InstantSource;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.engine.spi.SessionImplementor;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.engine.spi.TransactionCompletionCallbacks;

/**
 * Writes events to the outbox inside the caller's transaction. The rows of one transaction are inserted
 * together, in the order they were queued, with one JDBC batch just before it commits (an identity key
 * would otherwise cost a round trip per row); their ids are taken then, while the transaction still holds
 * the locks that ordered its changes, so the relay's id order stays each key's change order. After the
 * transaction commits the relay is woken (see {@link OutboxWritten}); it also polls, so nothing is left
 * behind.
 */
@ApplicationScoped
public class Outbox {

    /** Fired once per transaction that wrote to the outbox; the relay observes it after the commit. */
    public record OutboxWritten() {
    }

    private static final String INSERT = "INSERT INTO outbox (topic, record_key, payload, created_at) VALUES (?, ?, ?, ?)";

    private final InstantSource clock;
    private final Event<OutboxWritten> written;
    private final TransactionSynchronizationRegistry transactions;
    private final EntityManager em;

    public Outbox(InstantSource clock, Event<OutboxWritten> written, TransactionSynchronizationRegistry transactions,
                  EntityManager em) {
        this.clock = clock;
        this.written = written;
        this.transactions = transactions;
        this.em = em;
    }

    /** Queues {@code event} (serialised with {@link Json}) for {@code topic} under {@code key}; null is a tombstone. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void enqueue(String topic, String key, Object event) {
        Pending pending = (Pending) transactions.getResource(Pending.class);
        if (pending == null) {
            pending = new Pending();
            transactions.putResource(Pending.class, pending);
            // run by Hibernate just before the transaction completes, after its own flush, on its connection
            em.unwrap(SessionImplementor.class).getTransactionCompletionCallbacks().registerCallback(pending);
            written.fire(new OutboxWritten());
        }
        pending.rows.add(new Row(topic, key, event == null ? null : Json.write(event),
                OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC)));
    }

    private record Row(String topic, String key, byte[] payload, OffsetDateTime createdAt) {
    }

    /** The rows one transaction queued, written just before it commits. */
    private static final class Pending implements TransactionCompletionCallbacks.BeforeCompletionCallback {

        final List<Row> rows = new ArrayList<>();

        @Override
        public void doBeforeTransactionCompletion(SharedSessionContractImplementor session) {
            session.doWork(connection -> {
                try (PreparedStatement st = connection.prepareStatement(INSERT)) {
                    for (Row row : rows) {
                        st.setString(1, row.topic());
                        st.setString(2, row.key());
                        st.setBytes(3, row.payload());
                        st.setObject(4, row.createdAt());
                        st.addBatch();
                    }
                    st.executeBatch();
                }
            });
        }
    }
}
