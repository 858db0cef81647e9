package io.vigil.notifier;

import io.vigil.contracts.MonitorFlipped;
import io.vigil.contracts.Status;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;

/**
 * What one message says, whatever the channel: the monitor, its new status, why, when it was last
 * seen, how long it was down (on recovery), a link and the last ping body (at most
 * {@value #BODY_LIMIT} characters, raw: each channel escapes it for its own markup). A digest carries
 * its entries instead.
 *
 * @param eventId the delivery's id: the same on every retry, so receivers can deduplicate
 */
public record Notification(
        UUID eventId,
        DeliveryKind kind,
        MonitorFlipped.MonitorRef monitor,
        Status previousStatus,
        Status status,
        String reason,
        String reasonText,
        Instant occurredAt,
        Instant lastPingAt,
        Duration downtime,
        String link,
        String lastPingBody,
        List<Entry> entries) {

    /** The most ping body characters a message carries. */
    public static final int BODY_LIMIT = 1000;

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter READABLE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    /** One monitor of a digest. */
    public record Entry(String monitorName, Status status, String reasonText, Instant occurredAt, String link) {

        public String line() {
            return monitorName + " is " + status + (reasonText == null ? "" : " (" + reasonText + ")")
                    + " since " + readable(occurredAt);
        }
    }

    /** The alert, reminder or notice about a flip. */
    public static Notification of(UUID eventId, DeliveryKind kind, MonitorFlipped flip) {
        return new Notification(eventId, kind, flip.monitor(), flip.previousStatus(), flip.status(), flip.reason(),
                flip.reasonText() == null ? flip.reason() : flip.reasonText(), flip.occurredAt(), flip.lastPingAt(),
                flip.downtime(), flip.link(), clip(flip.lastPingBody()), List.of());
    }

    /** One message naming every monitor of a storm window. */
    public static Notification digest(UUID eventId, List<Entry> entries, Instant now) {
        boolean anyDown = entries.stream().anyMatch(entry -> entry.status() == Status.DOWN);
        return new Notification(eventId, DeliveryKind.DIGEST, null, null, anyDown ? Status.DOWN : Status.UP,
                "digest", entries.size() + " monitors changed status", now, null, null, null, null, List.copyOf(entries));
    }

    /** A test message for a channel. */
    public static Notification test(UUID eventId, String channelName, Instant now) {
        MonitorFlipped.MonitorRef monitor = new MonitorFlipped.MonitorRef(null, "Vigil test", "vigil-test", List.of());
        return new Notification(eventId, DeliveryKind.TEST, monitor, null, Status.UP, "test",
                "test notification for channel " + channelName + ": this channel works", now, null, null, null, null,
                List.of());
    }

    /** A ping body cut to {@value #BODY_LIMIT} characters. */
    public static String clip(String body) {
        if (body == null || body.length() <= BODY_LIMIT) {
            return body;
        }
        return body.substring(0, BODY_LIMIT);
    }

    /** The status word a title starts with: DOWN, UP, LATE, or what a notice/digest/test is. */
    public String headline() {
        return switch (kind) {
            case NOTICE -> "NO LONGER WATCHED";
            case DIGEST -> "DIGEST";
            case TEST -> "TEST";
            case REMINDER -> status + " (reminder)";
            default -> status.name();
        };
    }

    /** The subject / header: {@code DOWN | nightly-backup}. */
    public String title() {
        return switch (kind) {
            case DIGEST -> "DIGEST | " + entries.size() + " monitors changed status";
            case NOTICE -> "NO LONGER WATCHED | " + monitor.name();
            case TEST -> "TEST | Vigil";
            default -> status + " | " + monitor.name();
        };
    }

    /** The one-line summary notifications show. */
    public String summary() {
        return switch (kind) {
            case DIGEST -> digestSummary();
            case NOTICE -> monitor.name() + " is no longer watched (" + ("deleted".equals(reason) ? "deleted" : "paused")
                    + ") while it was DOWN";
            case TEST -> "Vigil test: " + reasonText;
            case REMINDER -> monitor.name() + " is still DOWN: " + reasonText;
            default -> status == Status.MAINTENANCE ? monitor.name() + " is in maintenance: " + reasonText
                    : monitor.name() + " is " + status + ": " + reasonText;
        };
    }

    /**
     * A digest's one line: the count, then as many monitors as fit in about {@value #SUMMARY_LIMIT} characters, then
     * "… and N more" (a storm of thousands must not make a line of hundreds of kilobytes).
     */
    private String digestSummary() {
        StringBuilder line = new StringBuilder("Alert storm: " + entries.size() + " monitors changed status: ");
        int named = 0;
        for (Entry entry : entries) {
            String piece = (named == 0 ? "" : ", ") + cut(entry.monitorName(), NAME_LIMIT) + " " + entry.status();
            if (line.length() + piece.length() > SUMMARY_LIMIT) {
                break;
            }
            line.append(piece);
            named++;
        }
        if (named < entries.size()) {
            line.append(" … and ").append(entries.size() - named).append(" more");
        }
        return line.toString();
    }

    /** The most characters of a digest's one-line summary (before any escaping), about; a long storm says "… and N more". */
    public static final int SUMMARY_LIMIT = 600;

    /** The most characters of one monitor name in a digest. */
    public static final int NAME_LIMIT = 200;

    /**
     * Where a digest that could not name every monitor sends people for the rest: the monitor list of the admin API
     * the entries' links point into ({@code .../api/v1/monitors}), or null when the entries carry no link.
     */
    public String monitorListLink() {
        for (Entry entry : entries) {
            String link = entry.link();
            if (link != null && link.lastIndexOf('/') > link.indexOf("//") + 1) {
                return link.substring(0, link.lastIndexOf('/'));
            }
        }
        return null;
    }

    /** {@code text} cut to {@code max} characters, the last one an ellipsis when cut. */
    public static String cut(String text, int max) {
        if (text == null) {
            return "";
        }
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    /** The labelled facts every message shows, in order (label, value); absent facts are left out. */
    public List<String[]> facts() {
        java.util.ArrayList<String[]> facts = new java.util.ArrayList<>();
        if (kind == DeliveryKind.DIGEST) {
            return facts;
        }
        facts.add(new String[] {"Monitor", monitor.name()});
        facts.add(new String[] {"Status", previousStatus == null ? status.name() : status + " (was " + previousStatus + ")"});
        facts.add(new String[] {"Why", reasonText});
        facts.add(new String[] {"Last seen", lastPingAt == null ? "never" : readable(lastPingAt)});
        if (downtime != null) {
            facts.add(new String[] {"Down for", human(downtime)});
        }
        if (occurredAt != null) {
            facts.add(new String[] {"At", readable(occurredAt)});
        }
        return facts;
    }

    /**
     * The status colour: red {@code #d0312d} for DOWN, green {@code #2eb67d} for UP (and tests), amber for LATE, blue
     * {@code #3b82f6} for MAINTENANCE, grey for notices.
     */
    public String colour() {
        if (kind == DeliveryKind.TEST) {
            return "#2eb67d";
        }
        if (kind == DeliveryKind.NOTICE) {
            return "#8d8d8d";
        }
        return switch (status) {
            case DOWN -> "#d0312d";
            case UP -> "#2eb67d";
            case LATE -> "#e8a33d";
            case MAINTENANCE -> "#3b82f6";
            default -> "#8d8d8d";
        };
    }

    /** A colour-free severity: true when this message reports a problem. */
    public boolean problem() {
        return kind != DeliveryKind.TEST && kind != DeliveryKind.NOTICE && (status == Status.DOWN || status == Status.LATE);
    }

    /** {@code 2026-11-23T10:15:30.123Z}, or null. */
    public static String timestamp(Instant instant) {
        return instant == null ? null : TIMESTAMP.format(instant);
    }

    /** {@code 2026-11-23 10:15:30 UTC}, or "never". */
    public static String readable(Instant instant) {
        return instant == null ? "never" : READABLE.format(instant);
    }

    /** {@code 2h 5m 3s}. */
    public static String human(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        long days = seconds / 86_400;
        long hours = seconds % 86_400 / 3600;
        long minutes = seconds % 3600 / 60;
        long rest = seconds % 60;
        StringBuilder text = new StringBuilder();
        if (days > 0) {
            text.append(days).append("d ");
        }
        if (hours > 0) {
            text.append(hours).append("h ");
        }
        if (minutes > 0) {
            text.append(minutes).append("m ");
        }
        if (rest > 0 || text.isEmpty()) {
            text.append(rest).append('s');
        }
        return text.toString().trim();
    }
}
