package io.vigil.ingest;

import io.vigil.contracts.PingType;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What a ping URL means (API.md section 1): which route family, which token (and slug), which signal
 * and exit status. {@link #parse} returns null for a path that is not a ping URL at all, and a
 * {@link Malformed} for one that is but cannot be accepted (answered 400 with its reason).
 * <p>
 * {@code /ping/{a}/{b}} has two readings: a slug URL when {@code a} is a ping key ({@link SlugTarget}), else a
 * token URL with a signal, exactly as before ping keys existed. Which one is decided by looking {@code a} up,
 * ping keys first ({@link #parse(String, Function)}).
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

    /**
     * Healthchecks' slug URL, {@code /ping/{pingKey}/{slug}[/{signal}]}: the monitor with that slug (under a ping key
     * the second segment is always the slug, so a monitor may be called {@code fail} or {@code 0}; its signals come
     * third). Answered as text, like the token URLs.
     */
    record SlugTarget(String pingKey, String slug, PingType type, Integer exitStatus) implements PingUrl {
        @Override
        public Family family() {
            return Family.HEALTHCHECKS;
        }
    }

    /** A well-formed slug URL whose first segment is no ping key (nor a token): answered 404. */
    record Unknown() implements PingUrl {
        @Override
        public Family family() {
            return Family.HEALTHCHECKS;
        }
    }

    /** What the first segment of {@code /ping/{a}/...} is, as the registry knows it. */
    enum Segment {
        PING_KEY, TOKEN, UNKNOWN
    }

    /** A monitor slug as the admin API accepts it. */
    Pattern SLUG = Pattern.compile("^[a-z0-9_-]{1,100}$");

    /** Parses a request path without ping keys (every {@code /ping/{a}/{b}} is a token URL). */
    static PingUrl parse(String path) {
        return parse(path, segment -> Segment.UNKNOWN);
    }

    /**
     * Parses a request path; null when the path is not a ping URL. {@code lookup} tells what the first segment of a
     * {@code /ping/} URL of two or three segments is; it is asked at most once, and for no other URL.
     */
    static PingUrl parse(String path, Function<String, Segment> lookup) {
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
                if (segments.length > 4) {
                    return new Malformed(Family.HEALTHCHECKS, "malformed ping URL: expected /ping/{token}[/{signal}]");
                }
                if (segments.length == 2) {
                    return signal(segments[1], null);
                }
                return keyed(segments, lookup.apply(segments[1]));
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

    /**
     * {@code /ping/{a}/{b}} or {@code /ping/{a}/{b}/{c}}, once {@code a} is looked up. Not under a ping key, the
     * two-segment form is a token URL as before ping keys, except that a second segment no signal is spelled like
     * under an unknown first segment is a slug URL with an unknown key (404); the three-segment form was a 400 and
     * still is for a token.
     */
    private static PingUrl keyed(String[] segments, Segment first) {
        String slug = segments[2];
        String signal = segments.length == 4 ? segments[3] : null;
        if (first == Segment.PING_KEY) {
            return slug(segments[1], slug, signal);
        }
        if (segments.length == 3) {
            if (first == Segment.UNKNOWN && !signalShaped(slug) && SLUG.matcher(slug).matches()) {
                return new Unknown();
            }
            return signal(segments[1], slug);
        }
        if (first == Segment.TOKEN) {
            return new Malformed(Family.HEALTHCHECKS, "malformed ping URL: expected /ping/{token}[/{signal}]");
        }
        PingUrl parsed = slug(segments[1], slug, signal);
        return parsed instanceof Malformed ? parsed : new Unknown();
    }

    private static PingUrl slug(String pingKey, String slug, String signal) {
        if (!SLUG.matcher(slug).matches()) {
            return new Malformed(Family.HEALTHCHECKS, "invalid slug: expected 1 to 100 characters of a-z, 0-9, - and _");
        }
        PingUrl parsed = signal(pingKey, signal);
        if (parsed instanceof Target target) {
            return new SlugTarget(pingKey, slug, target.type(), target.exitStatus());
        }
        return parsed;
    }

    /** Whether a segment is spelled like a signal (start, fail, log or digits), valid or not. */
    private static boolean signalShaped(String segment) {
        return segment.equals("start") || segment.equals("fail") || segment.equals("log")
                || (!segment.isEmpty() && segment.chars().allMatch(c -> c >= '0' && c <= '9'));
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
