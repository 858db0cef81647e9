package io.vigil.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * The outcome of one attempt to deliver a notification, on {@link Topics#DELIVERIES} keyed by monitor
 * id, so the admin API can show every notification with its attempts.
 *
 * @param version      schema version, {@value #SCHEMA}
 * @param eventId      unique per attempt
 * @param deliveryId   the notification this attempt belongs to
 * @param flipId       the flip it alerts about (null for a test message)
 * @param kind         {@code alert}, {@code reminder}, {@code digest}, {@code notice} or {@code test}
 * @param status       the notification's status after this attempt: {@code PENDING}, {@code SENT}, {@code FAILED}
 * @param outcome      this attempt: {@code delivered}, {@code retry} or {@code failed}
 * @param httpStatus   the target's HTTP status, or null
 * @param error        why it failed, for people; never a secret
 */
public record DeliveryAttempted(
        int version,
        UUID eventId,
        UUID deliveryId,
        UUID flipId,
        UUID monitorId,
        UUID channelId,
        ChannelType channelType,
        String kind,
        String status,
        Instant at,
        String outcome,
        Integer httpStatus,
        String error,
        long durationMs) {

    public static final int SCHEMA = 1;
}
