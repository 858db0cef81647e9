package io.vigil.evaluator.web;

import io.quarkus.qute.TemplateExtension;
import io.vigil.contracts.Status;
import io.vigil.evaluator.Durations;
import io.vigil.evaluator.Monitor;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** What the console's templates say about monitors, statuses, times and durations. */
@TemplateExtension
final class ConsoleExtensions {

    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private ConsoleExtensions() {
    }

    /** The schedule in words: "every 5 minutes", "03:00 Europe/Oslo daily". */
    static String schedule(Monitor monitor) {
        return ScheduleWords.of(monitor);
    }

    /** The CSS class of a status mark: {@code up}, {@code down}, … */
    static String css(Status status) {
        return status.name().toLowerCase(Locale.ROOT);
    }

    /** For {@code <time datetime>}. */
    static String iso(Instant instant) {
        return instant.toString();
    }

    /** The exact time in UTC, what a page shows before its script localises it. */
    static String utc(Instant instant) {
        return UTC.format(instant);
    }

    /** An uptime: "99.58 %" (two decimals, never rounded up to 100). */
    static String percent(Double value) {
        if (value == null) {
            return "—";
        }
        double floored = Math.floor(value * 100) / 100;
        return String.format(Locale.ROOT, "%.2f %%", floored);
    }

    /** "5m", "1h30m", "250ms". */
    static String human(Duration duration) {
        return Durations.human(duration);
    }

    /** A millisecond count as a duration for people. */
    static String millis(Long ms) {
        return ms == null ? "" : Durations.human(Duration.ofMillis(ms));
    }
}
