package io.vigil.notifier;

/** Where a delivery stands. */
public enum DeliveryStatus {
    /** To be sent (now or at its next attempt time). */
    PENDING,
    /** Part of a storm digest that has not gone yet. */
    HELD,
    SENT,
    FAILED,
    /** No longer wanted (a reminder overtaken by a later flip). */
    CANCELLED,
    /**
     * Never sent: the monitor's LATE or DOWN was recorded while a parent it depends on was LATE or DOWN (the flip's
     * {@code suppressedBy}). Does not count as alerting the channel, so the recovery that ends it sends nothing either.
     */
    SUPPRESSED
}
