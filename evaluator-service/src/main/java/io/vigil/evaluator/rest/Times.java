package io.vigil.evaluator.rest;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Timestamps as the API (and the public status pages) write them: ISO-8601 UTC with millisecond precision. */
public final class Times {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private Times() {
    }

    public static String format(Instant at) {
        return at == null ? null : FORMAT.format(at);
    }

    /** Parses a timestamp query parameter ({@code since}); null when absent; 400 naming the parameter when bad. */
    static Instant parse(String field, String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(raw.trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw io.vigil.evaluator.service.InvalidRequestException.of(field,
                    "must be an ISO-8601 timestamp such as 2026-11-23T10:15:30.123Z");
        }
    }
}
