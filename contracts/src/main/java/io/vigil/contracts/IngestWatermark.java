package io.vigil.contracts;

import java.time.Instant;

/**
 * Written by each ingest instance to every partition of {@link Topics#PINGS} every 200 ms, through the
 * same producer as its pings (DESIGN.md): every ping this instance received before {@code watermark}
 * has been written before this record, or was never answered 200. The lease lets the evaluator drop an
 * instance that stopped writing.
 *
 * @param version        schema version, {@value #SCHEMA}
 * @param ingestId       the writing instance, stable for its lifetime
 * @param watermark      the oldest received-at among this instance's pings not yet acked, or now
 * @param leaseExpiresAt when the evaluator should forget this instance if no newer record comes
 */
public record IngestWatermark(int version, String ingestId, Instant watermark, Instant leaseExpiresAt)
        implements PingsRecord {

    public static final int SCHEMA = 1;
}
