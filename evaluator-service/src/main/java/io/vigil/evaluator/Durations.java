package io.vigil.evaluator;

import java.time.Duration;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as users write them (API.md): ISO-8601 ({@code PT5M}, {@code P1D}, {@code P1W}), the short
 * forms {@code 90s}, {@code 5m}, {@code 2h}, {@code 1d}, {@code 1w}, and the later.js phrases
 * {@code every N seconds|minutes|hours|days|weeks} (with later.js' own abbreviations {@code s}, {@code sec},
 * {@code min}, {@code m}, {@code h}). A phrase later.js would misread or reject, such as {@code every 1 hr},
 * is refused rather than guessed. Answers are always the normalised ISO-8601 form of {@link #format}.
 */
public final class Durations {

    private static final Pattern SHORT = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h|d|w)");
    // later.js' text tokens: second /^(s|sec(ond)?(s)?)\b/, minute /^(m|min(ute)?(s)?)\b/, hour /^(h|hour(s)?)\b/,
    // day /^(day(s)?)\b/, week /^week(s)?\b/.
    private static final Pattern PHRASE = Pattern.compile(
            "every\\s+(\\d{1,9})\\s+(s|secs?|seconds?|m|mins?|minutes?|h|hours?|days?|weeks?)");

    private Durations() {
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException with a message fit for a validation error when the text is not a
     *                                  duration in one of the accepted forms, or is negative
     */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a duration is required (e.g. \"PT5M\", \"5m\" or \"every 5 minutes\")");
        }
        String value = text.trim().toLowerCase(Locale.ROOT);
        Duration result;
        if (value.startsWith("p") || value.startsWith("-p")) {
            result = parseIso(text.trim());
        } else if (value.startsWith("every")) {
            result = parsePhrase(text.trim(), value);
        } else {
            Matcher m = SHORT.matcher(value);
            if (!m.matches()) {
                throw invalid(text);
            }
            result = unit(Long.parseLong(m.group(1)), m.group(2));
        }
        if (result.isNegative()) {
            throw new IllegalArgumentException("duration \"" + text.trim() + "\" is negative");
        }
        return result;
    }

    /** The normalised ISO-8601 form: {@code PT5M}, {@code PT24H}, {@code PT12M3S}, {@code PT0S}. */
    public static String format(Duration duration) {
        return duration.toString();
    }

    /** A compact form for people, as alerts show it: {@code 5m}, {@code 1h30m}, {@code 90ms}, {@code 0s}. */
    public static String human(Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        long days = duration.toDays();
        if (days > 0) {
            out.append(days).append('d');
        }
        if (duration.toHoursPart() > 0) {
            out.append(duration.toHoursPart()).append('h');
        }
        if (duration.toMinutesPart() > 0) {
            out.append(duration.toMinutesPart()).append('m');
        }
        if (duration.toSecondsPart() > 0) {
            out.append(duration.toSecondsPart()).append('s');
        }
        if (duration.toMillisPart() > 0) {
            out.append(duration.toMillisPart()).append("ms");
        }
        return out.toString();
    }

    private static Duration parseIso(String text) {
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException notADuration) {
            try {
                Period period = Period.parse(text);
                if (period.getYears() != 0 || period.getMonths() != 0) {
                    throw new IllegalArgumentException("duration \"" + text
                            + "\" uses years or months, which have no fixed length; use days (\"P30D\")");
                }
                return Duration.ofDays(period.getDays());
            } catch (DateTimeParseException notAPeriod) {
                throw invalid(text);
            }
        }
    }

    private static Duration parsePhrase(String original, String value) {
        Matcher m = PHRASE.matcher(value.replaceAll("\\s+", " "));
        if (!m.matches()) {
            throw new IllegalArgumentException("\"" + original + "\" is not a schedule phrase Vigil reads the way later.js does;"
                    + " write \"every N seconds|minutes|hours|days|weeks\" (e.g. \"every 5 minutes\") or an ISO-8601 duration");
        }
        long n = Long.parseLong(m.group(1));
        if (n == 0) {
            throw new IllegalArgumentException("\"" + original + "\": the number after \"every\" must be at least 1");
        }
        String unit = m.group(2);
        if (unit.startsWith("s")) {
            return Duration.ofSeconds(n);
        } else if (unit.startsWith("m")) {
            return Duration.ofMinutes(n);
        } else if (unit.startsWith("h")) {
            return Duration.ofHours(n);
        } else if (unit.startsWith("d")) {
            return Duration.ofDays(n);
        }
        return Duration.ofDays(7 * n);
    }

    private static Duration unit(long n, String unit) {
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
        };
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("\"" + text.trim() + "\" is not a duration; use ISO-8601 (\"PT5M\"),"
                + " a short form (\"90s\", \"5m\", \"2h\", \"1d\") or a phrase (\"every 5 minutes\")");
    }
}
