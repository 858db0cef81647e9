package io.vigil.contracts;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A status change with the context an alert needs, on {@link Topics#FLIPS} keyed by monitor id.
 * Relayed at least once, in order per monitor; {@code eventId} is the flip's id, so consumers
 * deduplicate on it.
 *
 * @param version      schema version, {@value #SCHEMA}
 * @param eventId      the flip id
 * @param sequence     per monitor, grows by one with each flip: the order alerts must keep
 * @param occurredAt   the flip's {@code at}: the due time for LATE, due + grace for DOWN, the ping time otherwise
 * @param detectedAt   when the evaluator recorded it
 * @param reason       the reason code: {@code missed}, {@code fail}, {@code exit-status N}, {@code run-too-long},
 *                     {@code ok}, {@code recovered}, {@code paused}, {@code resumed}, {@code deleted}
 * @param reasonText   the reason for people ({@code missed check-in: due 10:00:00Z, grace 5m})
 * @param lastPingAt   the monitor's last ping before or at this flip, or null
 * @param downtime     on a recovery, how long the monitor was down, else null
 * @param link         the monitor in the admin API
 * @param lastPingBody the last ping's body as text, at most 1000 characters, or null
 * @param channels     the monitor's channels when it flipped
 * @param suppressedBy the parent monitor ({@code dependsOn}) that was LATE or DOWN when this LATE or DOWN was recorded:
 *                     its alerts are held (recorded, not sent); null when nothing held it
 * @param releaseOf    on a held DOWN's alert sent once its parents are no longer LATE or DOWN: the held flip's id (this
 *                     record has its own {@code eventId} and the held flip's {@code sequence}); null on a flip
 */
public record MonitorFlipped(
        int version,
        UUID eventId,
        long sequence,
        MonitorRef monitor,
        Status previousStatus,
        Status status,
        String reason,
        String reasonText,
        Instant occurredAt,
        Instant detectedAt,
        Instant lastPingAt,
        Duration downtime,
        String link,
        String lastPingBody,
        List<UUID> channels,
        UUID suppressedBy,
        UUID releaseOf) {

    public static final int SCHEMA = 1;

    /** A flip that nothing held and that releases nothing (the record as it was before dependencies). */
    public MonitorFlipped(int version, UUID eventId, long sequence, MonitorRef monitor, Status previousStatus, Status status,
                          String reason, String reasonText, Instant occurredAt, Instant detectedAt, Instant lastPingAt,
                          Duration downtime, String link, String lastPingBody, List<UUID> channels) {
        this(version, eventId, sequence, monitor, previousStatus, status, reason, reasonText, occurredAt, detectedAt,
                lastPingAt, downtime, link, lastPingBody, channels, null, null);
    }

    /** The monitor as alerts name it. */
    public record MonitorRef(UUID id, String name, String slug, List<String> tags) {
    }
}
