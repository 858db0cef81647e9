package io.vigil.evaluator;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** One attempt to deliver a {@link Notification}; its id is the event id, so a redelivered record is recognised. */
@Entity
@Table(name = "notification_attempt")
public class NotificationAttempt extends PanacheEntityBase {

    @Id
    @Column(name = "event_id")
    public UUID eventId;

    @Column(name = "notification_id")
    public UUID notificationId;

    public Instant at;

    /** {@code delivered}, {@code retry} or {@code failed}. */
    public String outcome;

    @Column(name = "http_status")
    public Integer httpStatus;

    public String error;

    @Column(name = "duration_ms")
    public long durationMs;

    /** The attempts of the given notifications, oldest first. */
    public static List<NotificationAttempt> ofNotifications(Collection<UUID> notificationIds) {
        if (notificationIds.isEmpty()) {
            return List.of();
        }
        return list("notificationId in ?1 order by at, eventId", notificationIds);
    }
}
