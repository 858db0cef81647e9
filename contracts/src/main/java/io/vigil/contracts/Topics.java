package io.vigil.contracts;

/**
 * The Kafka topics between the services (API.md section 5). A breaking change to a value is a new
 * {@code .vN} topic, never an in-place edit.
 */
public final class Topics {

    /** Received pings and ingest watermarks, keyed by monitor id (watermarks: by partition). Ingest to evaluator. */
    public static final String PINGS = "vigil.pings.v1";
    /** Compacted token registry, keyed by monitor id, and the ping keys' hashes, keyed by ping key id. Evaluator to ingest. */
    public static final String MONITORS = "vigil.monitors.v1";
    /** Compacted channel view, keyed by channel id. Evaluator to notifier. */
    public static final String CHANNELS = "vigil.channels.v1";
    /** Status changes with the context an alert needs, keyed by monitor id. Evaluator to notifier. */
    public static final String FLIPS = "vigil.flips.v1";
    /** Outcomes of delivery attempts, keyed by monitor id. Notifier to evaluator. */
    public static final String DELIVERIES = "vigil.deliveries.v1";

    private Topics() {
    }
}
