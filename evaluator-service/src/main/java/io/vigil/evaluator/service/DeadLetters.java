package io.vigil.evaluator.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.vigil.evaluator.DeadLetter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.InstantSource;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Where records that cannot be parsed go (DESIGN.md's failure policy): stored once each (a redelivered record
 * changes nothing), counted in {@code vigil_dead_letters_total}, logged without their content, and listed in
 * the admin API. Nothing else is ever set aside.
 */
@ApplicationScoped
public class DeadLetters {

    private final EntityManager em;
    private final InstantSource clock;
    private final MeterRegistry metrics;

    public DeadLetters(EntityManager em, InstantSource clock, MeterRegistry metrics) {
        this.em = em;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Sets {@code record} aside, in the caller's transaction when there is one. */
    @Transactional
    public void record(ConsumerRecord<String, byte[]> record, String why) {
        int stored = em.createNativeQuery("""
                        INSERT INTO dead_letter (topic, kafka_partition, kafka_offset, record_key, value, error, recorded_at)
                        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING""")
                .setParameter(1, record.topic()).setParameter(2, record.partition()).setParameter(3, record.offset())
                .setParameter(4, PingApplier.clean(record.key())).setParameter(5, record.value())
                .setParameter(6, PingApplier.clean(why)).setParameter(7, clock.instant())
                .executeUpdate();
        if (stored > 0) {
            metrics.counter("vigil.dead.letters", "topic", record.topic()).increment();
            Log.warnf("set aside a record of %s-%d at offset %d that cannot be parsed (dead letter): %s", record.topic(),
                    record.partition(), record.offset(), why);
        }
    }

    /** Newest first, a page at a time. */
    @Transactional
    public Pages.Page<DeadLetter> page(Pages.Cursor after, int limit) {
        if (after != null && (after.n() == null || after.at() != null)) {
            throw InvalidRequestException.of("cursor", "is not a cursor from a previous page");
        }
        List<DeadLetter> fetched = DeadLetter.newestFirst(after == null ? null : after.n(), limit + 1);
        return Pages.of(fetched, limit, letter -> Pages.Cursor.ofN(letter.id));
    }
}
