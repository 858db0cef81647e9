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
    CANCELLED
}
