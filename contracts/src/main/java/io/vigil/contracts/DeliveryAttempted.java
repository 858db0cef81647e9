package io.vigil.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;
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
 * @param suppressedBy on a notification held because a parent monitor was LATE or DOWN (status {@code SUPPRESSED},
 *                     outcome {@code suppressed}, nothing sent): that parent's id; else null
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
        long durationMs,
        @JsonInclude(JsonInclude.Include.NON_NULL) ConfigChange configChange,
        @JsonInclude(JsonInclude.Include.NON_NULL) UUID suppressedBy) {

    public static final int SCHEMA = 1;

    /**
     * Config fields the provider moved (only {@link ChannelDefinition.Field#movable} ones, never a secret): a Telegram group
     * that became a supergroup answers its new chat id. The change applies only to a channel that still holds
     * {@code from}.
     *
     * @param from the values the attempt was sent with, by field name
     * @param to   the values the provider named instead
     */
    public record ConfigChange(Map<String, String> from, Map<String, String> to) {

        public ConfigChange {
            from = Map.copyOf(from);
            to = Map.copyOf(to);
        }
    }

    /** This outcome, carrying {@code change} (null: none). */
    public DeliveryAttempted withConfigChange(ConfigChange change) {
        return new DeliveryAttempted(version, eventId, deliveryId, flipId, monitorId, channelId, channelType, kind, status, at,
                outcome, httpStatus, error, durationMs, change, suppressedBy);
    }

    /** An outcome that moved nothing and was not suppressed, with {@code configChange} (null: none). */
    public DeliveryAttempted(int version, UUID eventId, UUID deliveryId, UUID flipId, UUID monitorId, UUID channelId,
                             ChannelType channelType, String kind, String status, Instant at, String outcome,
                             Integer httpStatus, String error, long durationMs, ConfigChange configChange) {
        this(version, eventId, deliveryId, flipId, monitorId, channelId, channelType, kind, status, at, outcome, httpStatus,
                error, durationMs, configChange, null);
    }

    /** An outcome that moved nothing. */
    public DeliveryAttempted(int version, UUID eventId, UUID deliveryId, UUID flipId, UUID monitorId, UUID channelId,
                             ChannelType channelType, String kind, String status, Instant at, String outcome,
                             Integer httpStatus, String error, long durationMs) {
        this(version, eventId, deliveryId, flipId, monitorId, channelId, channelType, kind, status, at, outcome, httpStatus,
                error, durationMs, null, null);
    }
}
