package io.vigil.contracts;

import java.nio.charset.StandardCharsets;
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
 * @param create     for a {@code ?create=1} ping to a slug ingest did not know: create that monitor with the ping
 *                   key's defaults before applying the ping (then {@code monitorId} is {@link AutoCreate#monitorIdFor});
 *                   null for every other ping, and absent from records written before it existed
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
        long bodySize,
        AutoCreate create) implements PingsRecord {

    public static final int SCHEMA = 1;

    /** A ping for an existing monitor (no auto-provisioning): the record as it was before {@code create}. */
    public PingReceived(int version, UUID eventId, UUID monitorId, PingType type, Integer exitStatus, UUID rid,
                        Instant receivedAt, String method, String scheme, String remoteAddr, String userAgent,
                        String contentType, byte[] body, long bodySize) {
        this(version, eventId, monitorId, type, exitStatus, rid, receivedAt, method, scheme, remoteAddr, userAgent,
                contentType, body, bodySize, null);
    }

    /** The same ping for another monitor id (the evaluator resolves a create ping to the monitor that has the slug). */
    public PingReceived forMonitor(UUID id) {
        return new PingReceived(version, eventId, id, type, exitStatus, rid, receivedAt, method, scheme, remoteAddr,
                userAgent, contentType, body, bodySize, create);
    }

    /**
     * Auto-provisioning (Healthchecks' slug URLs with {@code ?create=1}): the monitor with {@code slug} is to be
     * created, if no monitor has that slug yet, with the defaults of the ping key {@code pingKeyId}.
     */
    public record AutoCreate(UUID pingKeyId, String slug) {

        /**
         * The id a monitor auto-created for {@code slug} gets: a name-based UUID of the slug, so every first ping of
         * one slug is keyed alike, lands on one partition and is applied in order, by one evaluator.
         */
        public static UUID monitorIdFor(String slug) {
            return UUID.nameUUIDFromBytes(("vigil:auto-provisioned-monitor:" + slug).getBytes(StandardCharsets.UTF_8));
        }
    }
}
