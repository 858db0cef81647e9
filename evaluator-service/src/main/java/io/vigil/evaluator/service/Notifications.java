package io.vigil.evaluator.service;

import io.vigil.contracts.DeliveryAttempted;
import io.vigil.evaluator.Notification;
import io.vigil.evaluator.NotificationAttempt;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;

/**
 * Records the delivery outcomes the notifier reports, so the admin API can show each notification with
 * every attempt, and stores a channel's config change an outcome reports ({@link Channels#followProvider}).
 * Idempotent: an attempt already recorded (same eventId) changes nothing.
 */
@ApplicationScoped
public class Notifications {

    /** The outcome of a notification held for a parent: nothing was sent. */
    static final String SUPPRESSED = "suppressed";

    private final Channels channels;

    public Notifications(Channels channels) {
        this.channels = channels;
    }

    /** Records a batch of attempts in one transaction; returns how many were new. */
    @Transactional
    public int record(List<DeliveryAttempted> attempts) {
        int recorded = 0;
        for (DeliveryAttempted attempt : attempts) {
            if (attempt.eventId() == null || attempt.deliveryId() == null || attempt.at() == null
                    || NotificationAttempt.findById(attempt.eventId()) != null) {
                continue;
            }
            if (SUPPRESSED.equals(attempt.outcome())) {
                if (suppressed(attempt)) {
                    recorded++;
                }
                continue;
            }
            if (attempt.configChange() != null && attempt.channelId() != null) {
                channels.followProvider(attempt.channelId(), attempt.configChange());
            }
            Notification notification = Notification.findById(attempt.deliveryId());
            if (notification == null) {
                notification = new Notification();
                notification.id = attempt.deliveryId();
                notification.monitorId = attempt.monitorId();
                notification.flipId = attempt.flipId();
                notification.channelId = attempt.channelId();
                notification.channelType = attempt.channelType() == null ? null : attempt.channelType().json();
                notification.kind = attempt.kind() == null ? "alert" : attempt.kind();
                notification.createdAt = attempt.at();
                notification.status = attempt.status();
                notification.lastAt = attempt.at();
                notification.persist();
            } else if (!attempt.at().isBefore(notification.lastAt)) {
                // attempts may arrive out of order: the newest one decides the status
                notification.status = attempt.status();
                notification.lastAt = attempt.at();
            }
            if (notification.status == null) {
                notification.status = "PENDING";
            }
            NotificationAttempt row = new NotificationAttempt();
            row.eventId = attempt.eventId();
            row.notificationId = attempt.deliveryId();
            row.at = attempt.at();
            row.outcome = attempt.outcome() == null ? "unknown" : attempt.outcome();
            row.httpStatus = attempt.httpStatus();
            row.error = attempt.error();
            row.durationMs = attempt.durationMs();
            row.persist();
            recorded++;
        }
        return recorded;
    }

    /**
     * A notification the notifier held because a parent was LATE or DOWN: shown with its parent, no attempt (nothing
     * was sent). It is reported once; a redelivered report finds it recorded.
     */
    private static boolean suppressed(DeliveryAttempted attempt) {
        if (Notification.findById(attempt.deliveryId()) != null) {
            return false;
        }
        Notification notification = new Notification();
        notification.id = attempt.deliveryId();
        notification.monitorId = attempt.monitorId();
        notification.flipId = attempt.flipId();
        notification.channelId = attempt.channelId();
        notification.channelType = attempt.channelType() == null ? null : attempt.channelType().json();
        notification.kind = attempt.kind() == null ? "alert" : attempt.kind();
        notification.status = attempt.status() == null ? "SUPPRESSED" : attempt.status();
        notification.suppressedBy = attempt.suppressedBy();
        notification.createdAt = attempt.at();
        notification.lastAt = attempt.at();
        notification.persist();
        return true;
    }
}
