package io.vigil.evaluator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.contracts.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * A monitor's maintenance windows (column {@code monitor.maintenance}, JSON as the admin API shows it): recurring
 * windows, a 5-field cron expression in a time zone (the same walk as a cron {@link Schedule}) and a duration, and
 * one-off windows from a start to an end. Windows that overlap or touch are one maintenance: it ends when none of
 * them holds the time any more. Plain methods on instants, no clock.
 */
public final class Maintenance {

    /** The most windows a monitor may have. */
    public static final int MAX_WINDOWS = 20;

    /** How many chained windows {@link #endAt} follows; a longer chain continues when its end is reached. */
    private static final int MERGE_STEPS = 50;

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private static final Maintenance NONE = new Maintenance(List.of());

    /** One window: its occurrences are half-open intervals {@code [start, end)}. */
    public sealed interface Window {

        /** The occurrence that holds {@code at} ({@code start <= at < end}) and ends last, or null. */
        Span occurrenceAt(Instant at);

        /** The first start strictly after {@code at}, or null when there is none. */
        Instant nextStartAfter(Instant at);
    }

    /** From {@code start} (inclusive) to {@code end} (exclusive). */
    public record Span(Instant start, Instant end) {
    }

    /** Every tick of {@code cron} opens a window of {@code duration}. */
    public record Recurring(Schedule.Cron cron, Duration duration) implements Window {

        @Override
        public Span occurrenceAt(Instant at) {
            Instant start = cron.previousTick(at);
            return start != null && start.plus(duration).isAfter(at) ? new Span(start, start.plus(duration)) : null;
        }

        @Override
        public Instant nextStartAfter(Instant at) {
            try {
                return cron.nextDue(at);
            } catch (IllegalStateException e) {
                return null; // the expression has no further tick: the window never opens again
            }
        }
    }

    /** One window from {@code start} to {@code end}. */
    public record OneOff(Instant start, Instant end) implements Window {

        @Override
        public Span occurrenceAt(Instant at) {
            return !at.isBefore(start) && at.isBefore(end) ? new Span(start, end) : null;
        }

        @Override
        public Instant nextStartAfter(Instant at) {
            return start.isAfter(at) ? start : null;
        }
    }

    private final List<Window> windows;

    private Maintenance(List<Window> windows) {
        this.windows = List.copyOf(windows);
    }

    /** The windows, in the order given. */
    public static Maintenance of(List<Window> windows) {
        return windows == null || windows.isEmpty() ? NONE : new Maintenance(windows);
    }

    /** The windows stored on a monitor. */
    public static Maintenance of(Monitor monitor) {
        return parse(monitor.maintenance);
    }

    public List<Window> windows() {
        return windows;
    }

    public boolean isEmpty() {
        return windows.isEmpty();
    }

    /** Whether a window holds {@code at}. */
    public boolean activeAt(Instant at) {
        for (Window window : windows) {
            if (window.occurrenceAt(at) != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * When the maintenance that holds {@code at} ends: the latest end of the windows holding it, followed through
     * every window that holds that end in turn; {@code at} itself when no window holds it.
     */
    public Instant endAt(Instant at) {
        Instant end = at;
        for (int step = 0; step < MERGE_STEPS; step++) {
            Instant later = end;
            for (Window window : windows) {
                Span span = window.occurrenceAt(end);
                if (span != null && span.end().isAfter(later)) {
                    later = span.end();
                }
            }
            if (!later.isAfter(end)) {
                return end;
            }
            end = later;
        }
        return end;
    }

    /** The first window start strictly after {@code at}, or null. */
    public Instant nextStartAfter(Instant at) {
        Instant next = null;
        for (Window window : windows) {
            Instant start = window.nextStartAfter(at);
            if (start != null && (next == null || start.isBefore(next))) {
                next = start;
            }
        }
        return next;
    }

    /** When maintenance next begins, seen from {@code from}: {@code from} itself when a window holds it. */
    public Instant pendingStart(Instant from) {
        return activeAt(from) ? from : nextStartAfter(from);
    }

    /** The maintenance in force at {@code now} (from the earliest start among the windows holding it), else the next one; null when none is ahead. */
    public Span currentOrNext(Instant now) {
        Instant start = null;
        for (Window window : windows) {
            Span span = window.occurrenceAt(now);
            if (span != null && (start == null || span.start().isBefore(start))) {
                start = span.start();
            }
        }
        if (start == null) {
            start = nextStartAfter(now);
        }
        return start == null ? null : new Span(start, endAt(start));
    }

    /** The windows as stored and shown: {@code [{"cron","duration","timezone"} | {"start","end"}]}. */
    public String toJson() {
        ArrayNode array = Json.mapper().createArrayNode();
        for (Window window : windows) {
            ObjectNode node = array.addObject();
            if (window instanceof Recurring r) {
                node.put("cron", r.cron().expression());
                node.put("duration", Durations.format(r.duration()));
                node.put("timezone", r.cron().zone().getId());
            } else if (window instanceof OneOff o) {
                node.put("start", TIMESTAMP.format(o.start()));
                node.put("end", TIMESTAMP.format(o.end()));
            }
        }
        return array.toString();
    }

    /** Windows from their stored JSON ({@link #toJson}); null or blank is none. */
    public static Maintenance parse(String json) {
        if (json == null || json.isBlank() || json.equals("[]")) {
            return NONE;
        }
        JsonNode array;
        try {
            array = Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable maintenance windows", e);
        }
        List<Window> windows = new ArrayList<>();
        for (JsonNode node : array) {
            if (node.has("cron")) {
                windows.add(new Recurring(Schedule.cron(node.get("cron").asText(), node.path("timezone").asText("UTC")),
                        Durations.parse(node.get("duration").asText())));
            } else {
                windows.add(new OneOff(Instant.parse(node.get("start").asText()), Instant.parse(node.get("end").asText())));
            }
        }
        return of(windows);
    }
}
