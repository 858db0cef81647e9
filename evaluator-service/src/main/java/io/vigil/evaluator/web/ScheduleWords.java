package io.vigil.evaluator.web;

import io.vigil.evaluator.Durations;
import io.vigil.evaluator.Monitor;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.format.TextStyle;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A schedule as an operator says it: "every 5 minutes", "03:00 Europe/Oslo daily", "hourly at :15". A cron
 * expression without a common shape is shown as it is, with its zone.
 */
final class ScheduleWords {

    private static final Pattern NUMBER = Pattern.compile("\\d{1,2}");
    private static final Pattern STEP = Pattern.compile("\\*/(\\d{1,2})");

    private ScheduleWords() {
    }

    static String of(Monitor monitor) {
        if ("cron".equals(monitor.scheduleType)) {
            return cron(monitor.cronExpression, monitor.timezone == null ? "UTC" : monitor.timezone);
        }
        return monitor.everyMs == null ? "" : every(Duration.ofMillis(monitor.everyMs));
    }

    /** "every 5 minutes", "every day", "every 1h30m". */
    static String every(Duration period) {
        long seconds = period.getSeconds();
        if (seconds > 0 && period.getNano() == 0) {
            if (seconds % 86_400 == 0) {
                return count(seconds / 86_400, "day");
            }
            if (seconds % 3_600 == 0) {
                return count(seconds / 3_600, "hour");
            }
            if (seconds % 60 == 0) {
                return count(seconds / 60, "minute");
            }
            if (seconds < 60) {
                return count(seconds, "second");
            }
        }
        return "every " + Durations.human(period);
    }

    static String cron(String expression, String zone) {
        String[] f = expression.trim().split("\\s+");
        if (f.length != 5) {
            return "cron " + expression + " (" + zone + ")";
        }
        String minute = f[0];
        String hour = f[1];
        boolean anyDay = f[2].equals("*") && f[3].equals("*");
        if (anyDay && f[4].equals("*")) {
            if (NUMBER.matcher(minute).matches() && NUMBER.matcher(hour).matches()) {
                return time(hour, minute) + " " + zone + " daily";
            }
            if (NUMBER.matcher(minute).matches() && hour.equals("*")) {
                return "hourly at :" + pad(minute);
            }
            var step = STEP.matcher(minute);
            if (step.matches() && hour.equals("*")) {
                return count(Long.parseLong(step.group(1)), "minute");
            }
            if (minute.equals("*") && hour.equals("*")) {
                return "every minute";
            }
            step = STEP.matcher(hour);
            if (step.matches() && NUMBER.matcher(minute).matches()) {
                return count(Long.parseLong(step.group(1)), "hour") + " at :" + pad(minute) + " " + zone;
            }
        }
        if (anyDay && NUMBER.matcher(minute).matches() && NUMBER.matcher(hour).matches()) {
            String days = weekdays(f[4]);
            if (days != null) {
                return time(hour, minute) + " " + zone + " " + days;
            }
        }
        if (f[3].equals("*") && f[4].equals("*") && NUMBER.matcher(f[2]).matches()
                && NUMBER.matcher(minute).matches() && NUMBER.matcher(hour).matches()) {
            return time(hour, minute) + " " + zone + " on day " + f[2] + " of each month";
        }
        return "cron " + expression + " (" + zone + ")";
    }

    /** "on Mondays", "on weekdays", "on Mon, Wed, Fri", or null when the field is not a plain list or range. */
    private static String weekdays(String field) {
        if (field.equals("1-5")) {
            return "on weekdays";
        }
        if (field.equals("0,6") || field.equals("6,0")) {
            return "at weekends";
        }
        if (!field.matches("[0-7](,[0-7])*")) {
            return null;
        }
        String[] days = field.split(",");
        if (days.length == 1) {
            return "on " + day(days[0], TextStyle.FULL) + "s";
        }
        StringBuilder out = new StringBuilder("on ");
        for (int i = 0; i < days.length; i++) {
            out.append(i == 0 ? "" : ", ").append(day(days[i], TextStyle.SHORT));
        }
        return out.toString();
    }

    private static String day(String number, TextStyle style) {
        int n = Integer.parseInt(number);
        return DayOfWeek.of(n == 0 ? 7 : n).getDisplayName(style, Locale.ENGLISH);
    }

    private static String time(String hour, String minute) {
        return pad(hour) + ":" + pad(minute);
    }

    private static String pad(String number) {
        return number.length() == 1 ? "0" + number : number;
    }

    private static String count(long n, String unit) {
        return n == 1 ? "every " + unit : "every " + n + " " + unit + "s";
    }
}
