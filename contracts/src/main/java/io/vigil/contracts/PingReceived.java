package io.vigil.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * A ping the ingest service accepted for a monitor. {@code receivedAt} is the ingest server's clock
 * and is the ping's time everywhere; {@code body} is the first bytes of a POST body, byte-exact (base64
 * in JSON), and {@code bodySize} the whole body's size.
 *
 * @param version    schema version of this record, {@value #SCHEMA}
 * @param eventId    unique per ping; a redelivered ping keeps it
 * @param monitorId  the monitor the token belongs to
 * @param type       the signal
 * @param exitStatus the exit status for {@code /ping/{token}/{exit}} pings, else null
 * @param rid        the run id from {@code ?rid=}, else null
 */
public record PingReceived(
        int version,
        UUID eventId,
        UUID monitorId,
        PingType type,
        Integer exitStatus,
        UUID rid,
        Instant receivedAt,
        String method,
        String scheme,
        String remoteAddr,
        String userAgent,
        String contentType,
        byte[] body,
        long bodySize) implements PingsRecord {

    public static final int SCHEMA = 1;
}
