package io.vigil.notifier.service;

import io.quarkus.logging.Log;
import io.vigil.notifier.DeadLetter;
import io.vigil.notifier.RejectedRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import org.hibernate.query.TypedParameterValue;
import org.hibernate.type.StandardBasicTypes;

/**
 * The dead-letter table: records that cannot be parsed are set aside here, in the same transaction as the
 * rest of their batch, so the batch is committed (and its offsets) only with them. A record set aside twice
 * (a redelivered batch, a second notifier instance reading the channels) is kept once.
 */
@ApplicationScoped
public class DeadLetterStore {

    private final EntityManager em;

    public DeadLetterStore(EntityManager em) {
        this.em = em;
    }

    /** Sets the records aside; returns how many were new. */
    @Transactional
    public int setAside(List<RejectedRecord> rejected, Instant now) {
        int added = 0;
        for (RejectedRecord record : rejected) {
            int inserted = em.createNativeQuery("insert into dead_letter (topic, kafka_partition, record_offset, record_key,"
                            + " payload, reason, received_at) values (?1, ?2, ?3, ?4, ?5, ?6, ?7) on conflict do nothing")
                    .setParameter(1, record.topic()).setParameter(2, record.partition()).setParameter(3, record.offset())
                    .setParameter(4, new TypedParameterValue<>(StandardBasicTypes.STRING, record.key()))
                    .setParameter(5, new TypedParameterValue<>(StandardBasicTypes.BINARY, record.payload()))
                    .setParameter(6, record.reason()).setParameter(7, now)
                    .executeUpdate();
            if (inserted > 0) {
                Log.warnf("set aside an unparseable record at %s: %s", record.position(), record.reason());
            }
            added += inserted;
        }
        return added;
    }

    /** The newest dead letters, at most {@code limit}. */
    @Transactional
    public List<DeadLetter> newest(int limit) {
        return DeadLetter.findNewest(limit);
    }
}
