package io.vigil.ingest.rest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/** How a ping request ended; each is counted in {@code vigil_pings_total{outcome=...}}. */
public enum Outcome {
    ACCEPTED(200), NOT_FOUND(404), BAD_REQUEST(400), METHOD_NOT_ALLOWED(405), TOO_LARGE(413), TIMEOUT(408), UNAVAILABLE(503),
    /** A {@code ?create=1} slug ping for a slug ingest did not know: written with its create request. */
    CREATED(201);

    final int status;

    Outcome(int status) {
        this.status = status;
    }

    /** The counters of every outcome, registered once. */
    static Map<Outcome, Counter> counters(MeterRegistry registry) {
        Map<Outcome, Counter> counters = new EnumMap<>(Outcome.class);
        for (Outcome outcome : values()) {
            counters.put(outcome, Counter.builder("vigil.pings")
                    .description("Ping requests by outcome")
                    .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                    .register(registry));
        }
        return counters;
    }
}
