package io.vigil.ingest;

import io.vigil.contracts.PingType;

/**
 * What a ping URL means (API.md section 1): which route family, which token (and slug), which signal
 * and exit status. {@link #parse} returns null for a path that is not a ping URL at all, and a
 * {@link Malformed} for one that is but cannot be accepted (answered 400 with its reason).
 */
public sealed interface PingUrl {

    /** The route families, each with its own answer format. */
    enum Family {
        /** {@code /ping/{token}[/{signal}]} and Healthchecks' hosted {@code /{uuid}[/{signal}]}: text answers. */
        HEALTHCHECKS,
        /** Kener's heartbeat URLs: looked up by slug, JSON answers. */
        KENER,
        /** Uptime Kuma's push URL: any method, status and msg from the query, JSON answers. */
        UPTIME_KUMA
    }

    /** The family, for choosing the answer format. */
    Family family();

    /** A ping URL that names a token (and, for Kener, a slug) and a signal. */
    record Target(Family family, String token, String slug, PingType type, Integer exitStatus) implements PingUrl {
    }

    /** A ping URL that cannot be accepted, with a one-line reason. */
    record Malformed(Family family, String reason) implements PingUrl {
    }

    /** Parses a request path; null when the path is not a ping URL. */
    static PingUrl parse(String path) {
        if (path == null || path.length() < 2 || path.charAt(0) != '/') {
            return null;
        }
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        String[] segments = p.substring(1).split("/", -1);
        String first = segments[0];
        switch (first) {
            case "ping" -> {
                if (segments.length < 2 || segments[1].isEmpty()) {
                    return new Malformed(Family.HEALTHCHECKS, "missing token: expected /ping/{token}");
                }
                if (segments.length > 3) {
                    return new Malformed(Family.HEALTHCHECKS, "malformed ping URL: expected /ping/{token}[/{signal}]");
                }
                return signal(segments[1], segments.length == 3 ? segments[2] : null);
            }
            case "api" -> {
                if (segments.length >= 2 && segments[1].equals("heartbeat")) {
                    return segments.length == 3 ? kenerColon(segments[2])
                            : new Malformed(Family.KENER, "malformed heartbeat URL: expected /api/heartbeat/{slug}:{token}");
                }
                if (segments.length >= 2 && segments[1].equals("push")) {
                    return segments.length == 3 && !segments[2].isEmpty()
                            ? new Target(Family.UPTIME_KUMA, segments[2], null, PingType.SUCCESS, null)
                            : new Malformed(Family.UPTIME_KUMA, "malformed push URL: expected /api/push/{token}");
                }
                return null;
            }
            case "ext" -> {
                if (segments.length < 2 || !segments[1].equals("heartbeat")) {
                    return null;
                }
                if (segments.length == 3) {
                    return kenerColon(segments[2]);
                }
                if (segments.length == 4 && !segments[2].isEmpty() && !segments[3].isEmpty()) {
                    return new Target(Family.KENER, segments[3], segments[2], PingType.SUCCESS, null);
                }
                return new Malformed(Family.KENER, "malformed heartbeat URL: expected /ext/heartbeat/{slug}/{token}");
            }
            default -> {
                if (!isUuid(first) || segments.length > 2) {
                    return null;
                }
                return signal(first, segments.length == 2 ? segments[1] : null);
            }
        }
    }

    private static PingUrl kenerColon(String raw) {
        // Some clients percent-encode the colon.
        String segment = raw.replace("%3A", ":").replace("%3a", ":");
        int colon = segment.lastIndexOf(':');
        if (colon <= 0 || colon == segment.length() - 1) {
            return new Malformed(Family.KENER, "malformed heartbeat URL: expected {slug}:{token}");
        }
        return new Target(Family.KENER, segment.substring(colon + 1), segment.substring(0, colon), PingType.SUCCESS, null);
    }

    private static PingUrl signal(String token, String signal) {
        if (signal == null) {
            return new Target(Family.HEALTHCHECKS, token, null, PingType.SUCCESS, null);
        }
        switch (signal) {
            case "start" -> {
                return new Target(Family.HEALTHCHECKS, token, null, PingType.START, null);
            }
            case "fail" -> {
                return new Target(Family.HEALTHCHECKS, token, null, PingType.FAIL, null);
            }
            case "log" -> {
                return new Target(Family.HEALTHCHECKS, token, null, PingType.LOG, null);
            }
            default -> {
                if (signal.isEmpty() || signal.length() > 9 || !signal.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    return new Malformed(Family.HEALTHCHECKS, "unknown signal: expected start, fail, log or an exit status 0-255");
                }
                int exit = Integer.parseInt(signal);
                if (exit > 255) {
                    return new Malformed(Family.HEALTHCHECKS, "exit status must be 0-255");
                }
                return new Target(Family.HEALTHCHECKS, token, null, exit == 0 ? PingType.SUCCESS : PingType.FAIL, exit);
            }
        }
    }

    /** A UUID in its 8-4-4-4-12 hex form, any case (stricter than {@link java.util.UUID#fromString}). */
    static boolean isUuid(String s) {
        if (s == null || s.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') {
                    return false;
                }
            } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }
}
