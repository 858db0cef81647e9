package io.vigil.evaluator.service;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * The one pagination rule of every list: {@code ?limit=} (default 50, at most 500) and an opaque
 * {@code ?cursor=} naming the last item of the previous page; answers carry {@code nextCursor}.
 */
public final class Pages {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    /** A position in a list ordered by (time, id), by (time, sequence number) or by a sequence number {@code n}. */
    public record Cursor(Instant at, UUID id, Long n) {

        public static Cursor of(Instant at, UUID id) {
            return new Cursor(at, id, null);
        }

        public static Cursor ofN(long n) {
            return new Cursor(null, null, n);
        }

        public static Cursor of(Instant at, long n) {
            return new Cursor(at, null, n);
        }

        /** The opaque form handed to clients. */
        public String encode() {
            String plain = at == null ? "n|" + n : n != null ? "s|" + at + "|" + n : "t|" + at + "|" + id;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** One page of items and the cursor of the next page (null on the last page). */
    public record Page<T>(List<T> items, String nextCursor) {

        public <R> Page<R> map(Function<T, R> mapper) {
            return new Page<>(items.stream().map(mapper).toList(), nextCursor);
        }
    }

    private Pages() {
    }

    /** Validates {@code ?limit=}: absent is the default; 1 to 500. */
    public static int limit(String raw) {
        if (raw == null || raw.isBlank()) {
            return DEFAULT_LIMIT;
        }
        int limit;
        try {
            limit = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw InvalidRequestException.of("limit", "must be a whole number from 1 to " + MAX_LIMIT);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw InvalidRequestException.of("limit", "must be from 1 to " + MAX_LIMIT);
        }
        return limit;
    }

    /** Decodes {@code ?cursor=}: absent is the first page; anything not made by {@link Cursor#encode()} is 400. */
    public static Cursor cursor(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            String plain = new String(Base64.getUrlDecoder().decode(raw.trim()), StandardCharsets.UTF_8);
            String[] parts = plain.split("\\|");
            if (parts.length == 2 && parts[0].equals("n")) {
                return Cursor.ofN(Long.parseLong(parts[1]));
            }
            if (parts.length == 3 && parts[0].equals("s")) {
                return Cursor.of(Instant.parse(parts[1]), Long.parseLong(parts[2]));
            }
            if (parts.length == 3 && parts[0].equals("t")) {
                return Cursor.of(Instant.parse(parts[1]), UUID.fromString(parts[2]));
            }
        } catch (RuntimeException e) {
            // fall through: not a cursor this API made
        }
        throw InvalidRequestException.of("cursor", "is not a cursor from a previous page");
    }

    /**
     * Cuts a list fetched with {@code limit + 1} rows into a page: the extra row only says there is more.
     */
    public static <T> Page<T> of(List<T> fetched, int limit, Function<T, Cursor> position) {
        if (fetched.size() <= limit) {
            return new Page<>(fetched, null);
        }
        List<T> items = fetched.subList(0, limit);
        return new Page<>(List.copyOf(items), position.apply(items.get(limit - 1)).encode());
    }
}
