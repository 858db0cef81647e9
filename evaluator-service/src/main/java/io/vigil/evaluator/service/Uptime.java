package io.vigil.evaluator.service;

import io.vigil.contracts.Status;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * A monitor's status timeline, rebuilt exactly from its flips, and what status pages compute from it: uptime over a
 * window, the UTC days of a day bar and the DOWN periods (incidents). Pure: no database, no clock.
 * <p>
 * The timeline runs from the monitor's creation to {@code now}: before the first flip the monitor had that flip's
 * {@code from} status (its current status when it has no flip), and each flip sets its {@code to} status from its
 * {@code at} on. Flips before the creation only set the status the timeline starts with; time before the creation
 * is never counted. UP and LATE count as up, DOWN as down; PAUSED, NEW and MAINTENANCE as neither, so uptime is
 * {@code up / (up + down)}, and a window with neither is {@code null} (no observed time).
 */
public final class Uptime {

    /** One flip as the timeline needs it: the flip's id, when it happened, and the statuses it went from and to. */
    public record Change(UUID id, Instant at, Status from, Status to) {
    }

    /** A stretch of the timeline in one status; {@code startedBy} is the flip that began it (null: the creation). */
    public record Span(Instant start, Instant end, Status status, UUID startedBy) {

        Duration overlap(Instant from, Instant to) {
            Instant a = start.isAfter(from) ? start : from;
            Instant b = end.isBefore(to) ? end : to;
            return a.isBefore(b) ? Duration.between(a, b) : Duration.ZERO;
        }
    }

    /**
     * A UTC calendar day of the bar: {@code status} is the worst seen in the day's observed part (DOWN, then LATE,
     * then UP, then MAINTENANCE, PAUSED, NEW), null when no part of the day was observed (before the creation, or
     * after now); {@code uptime} in percent, null without up or down time; {@code downtime} the DOWN time in the day.
     */
    public record Day(LocalDate date, Status status, Double uptime, Duration downtime) {
    }

    /**
     * A DOWN period: {@code id} is the flip that started it (null if the monitor was DOWN from its creation), {@code
     * endedAt} null while it goes on; {@code duration} is up to the end, or up to now while ongoing.
     */
    public record Incident(UUID id, Instant startedAt, Instant endedAt, Duration duration) {
    }

    /** How bad a status is for a day's colour: higher is worse. */
    private static final List<Status> BETTER_TO_WORSE = List.of(Status.NEW, Status.PAUSED, Status.MAINTENANCE,
            Status.UP, Status.LATE, Status.DOWN);

    private final List<Span> spans;
    private final Instant now;

    private Uptime(List<Span> spans, Instant now) {
        this.spans = spans;
        this.now = now;
    }

    /**
     * The timeline of a monitor created at {@code createdAt} whose status is {@code current} now.
     *
     * @param changes the monitor's flips in their order (by {@code at}, then sequence): at least every flip of the
     *                windows to be asked about and the last flip before them
     */
    public static Uptime of(List<Change> changes, Instant createdAt, Status current, Instant now) {
        List<Span> spans = new ArrayList<>();
        Status status = changes.isEmpty() ? current : changes.get(0).from();
        UUID startedBy = null;
        Instant start = createdAt;
        for (Change change : changes) {
            if (!start.isBefore(now)) {
                break;
            }
            if (change.at().isAfter(start)) {
                Instant end = change.at().isBefore(now) ? change.at() : now;
                spans.add(new Span(start, end, status, startedBy));
                start = end;
            }
            status = change.to();
            startedBy = change.id();
        }
        if (start.isBefore(now)) {
            spans.add(new Span(start, now, status, startedBy));
        }
        return new Uptime(List.copyOf(spans), now);
    }

    /** The timeline, oldest first, in spans of one status (adjacent spans may have the same status). */
    public List<Span> spans() {
        return spans;
    }

    /** Uptime in percent over {@code [from, to)}, or null when nothing in it was up or down. */
    public Double percent(Instant from, Instant to) {
        Duration[] upDown = upAndDown(from, to);
        long up = upDown[0].toNanos();
        long down = upDown[1].toNanos();
        return up + down == 0 ? null : 100.0 * up / (up + down);
    }

    /** The DOWN time within {@code [from, to)}. */
    public Duration downtime(Instant from, Instant to) {
        return upAndDown(from, to)[1];
    }

    /** The UTC calendar day {@code date} (always 24 hours, whatever the monitor's time zone). */
    public Day day(LocalDate date) {
        Instant from = date.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = date.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Status worst = null;
        for (Span span : spans) {
            if (!span.overlap(from, to).isZero()
                    && (worst == null || BETTER_TO_WORSE.indexOf(span.status()) > BETTER_TO_WORSE.indexOf(worst))) {
                worst = span.status();
            }
        }
        return new Day(date, worst, percent(from, to), upAndDown(from, to)[1]);
    }

    /** The {@code count} UTC days ending with {@code last}, oldest first. */
    public List<Day> days(LocalDate last, int count) {
        List<Day> days = new ArrayList<>(count);
        for (int i = count - 1; i >= 0; i--) {
            days.add(day(last.minusDays(i)));
        }
        return days;
    }

    /** The DOWN periods that overlap {@code [from, now)}, newest first; adjacent DOWN spans are one period. */
    public List<Incident> incidents(Instant from) {
        List<Incident> incidents = new ArrayList<>();
        Span first = null;
        Instant end = null;
        for (Span span : spans) {
            if (span.status() == Status.DOWN) {
                if (first == null) {
                    first = span;
                }
                end = span.end();
                continue;
            }
            if (first != null) {
                add(incidents, first, end, from, false);
                first = null;
            }
        }
        if (first != null) {
            add(incidents, first, end, from, true);
        }
        incidents.sort(Comparator.comparing(Incident::startedAt).reversed());
        return incidents;
    }

    private void add(List<Incident> incidents, Span first, Instant end, Instant from, boolean ongoing) {
        if (end.isAfter(from)) {
            incidents.add(new Incident(first.startedBy(), first.start(), ongoing ? null : end,
                    Duration.between(first.start(), ongoing ? now : end)));
        }
    }

    private Duration[] upAndDown(Instant from, Instant to) {
        Duration up = Duration.ZERO;
        Duration down = Duration.ZERO;
        for (Span span : spans) {
            switch (span.status()) {
                case UP, LATE -> up = up.plus(span.overlap(from, to));
                case DOWN -> down = down.plus(span.overlap(from, to));
                default -> {
                    // PAUSED, NEW, MAINTENANCE: neither up nor down
                }
            }
        }
        return new Duration[] {up, down};
    }
}
