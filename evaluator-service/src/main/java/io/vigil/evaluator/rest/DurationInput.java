package io.vigil.evaluator.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.evaluator.Durations;
import java.time.Duration;

/** Reads a duration field (ISO-8601, short form or later.js phrase) with bounds, reporting to an {@link Input}. */
final class DurationInput {

    private DurationInput() {
    }

    /** The duration, or null when absent, null or invalid (an invalid one is reported). */
    static Duration read(Input input, String field, JsonNode value, Duration min, Duration max) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            input.error(field, "must be a duration string such as \"PT5M\", \"5m\" or \"every 5 minutes\"");
            return null;
        }
        Duration duration;
        try {
            duration = Durations.parse(value.asText());
        } catch (IllegalArgumentException | ArithmeticException e) {
            input.error(field, e.getMessage() == null ? "is not a duration" : e.getMessage());
            return null;
        }
        if (duration.compareTo(min) < 0 || duration.compareTo(max) > 0) {
            input.error(field, "must be from " + Durations.format(min) + " to " + Durations.format(max));
            return null;
        }
        return duration;
    }
}
