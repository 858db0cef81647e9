package io.vigil.evaluator.hc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.evaluator.Schedule;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A create or update request of the Healthchecks API, checked as Healthchecks checks it (strictly typed JSON,
 * fields in its order, the first problem answered with its wording); null is a field the request left out.
 * Unknown fields (and {@code api_key}) are ignored, as there.
 *
 * @param timeout seconds, for an interval ("simple") check
 * @param grace   seconds
 */
record HcSpec(String channels, String desc, String failureKw, Boolean filterSubject, Boolean filterBody,
              Boolean filterHttpBody, Boolean filterDefaultFail, Long grace, Boolean manualResume, String methods,
              String name, String schedule, String slug, String startKw, String subject, String subjectFail,
              String successKw, String tags, Long timeout, String tz, List<String> unique) {

    /** Healthchecks' default timeout of a new check: a day. */
    static final long DEFAULT_TIMEOUT = 86400;
    /** Healthchecks' default grace of a new check: an hour. */
    static final long DEFAULT_GRACE = 3600;

    private static final long MIN_SECONDS = 60;
    private static final long MAX_SECONDS = 31_536_000;
    private static final Pattern SLUG = Pattern.compile("^[a-z0-9-_]*$");
    private static final Set<String> UNIQUE_FIELDS = Set.of("name", "slug", "tags", "timeout", "grace");

    /** The request's spec, or an {@link HcException} (400) naming its first problem. */
    static HcSpec read(ObjectNode body) {
        Reader r = new Reader(body);
        String channels = r.text("channels", 0);
        String desc = r.text("desc", 0);
        String failureKw = r.text("failure_kw", 200);
        Boolean filterSubject = r.flag("filter_subject");
        Boolean filterBody = r.flag("filter_body");
        Boolean filterHttpBody = r.flag("filter_http_body");
        Boolean filterDefaultFail = r.flag("filter_default_fail");
        Long grace = r.seconds("grace");
        Boolean manualResume = r.flag("manual_resume");
        String methods = r.methods();
        String name = r.text("name", 100);
        String schedule = r.text("schedule", 100);
        if (schedule != null && !validCron(schedule)) {
            throw invalid("schedule is not a valid cron or OnCalendar expression");
        }
        String slug = r.text("slug", 100);
        if (slug != null && !SLUG.matcher(slug).matches()) {
            throw invalid("slug does not match pattern");
        }
        String startKw = r.text("start_kw", 200);
        String subject = r.text("subject", 200);
        String subjectFail = r.text("subject_fail", 200);
        String successKw = r.text("success_kw", 200);
        String tags = r.text("tags", 0);
        Long timeout = r.seconds("timeout");
        String tz = r.text("tz", 0);
        if (tz != null && !ZoneId.getAvailableZoneIds().contains(tz)) {
            throw invalid("tz is not a valid timezone");
        }
        List<String> unique = r.unique();
        return new HcSpec(channels, desc, failureKw, filterSubject, filterBody, filterHttpBody, filterDefaultFail, grace,
                manualResume, methods, name, schedule, slug, startKw, subject, subjectFail, successKw, tags, timeout, tz,
                unique);
    }

    /** {@code "cron"} when the request gives a schedule, {@code "simple"} when it gives a timeout, else null. */
    String kind() {
        if (schedule != null && !schedule.isEmpty()) {
            return "cron";
        }
        if (timeout != null) {
            return "simple";
        }
        return null;
    }

    /** A 5-field cron expression Vigil's schedule accepts (Healthchecks' OnCalendar expressions are not supported). */
    private static boolean validCron(String expression) {
        if (expression.strip().contains("\n") || expression.trim().split("\\s+").length != 5) {
            return false;
        }
        try {
            Schedule.cron(expression, "UTC");
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static HcException invalid(String message) {
        return HcException.error(400, "json validation error: " + message);
    }

    /** Reads fields with Healthchecks' strict types: a JSON null is the wrong type, as there. */
    private record Reader(ObjectNode body) {

        String text(String field, int maxLength) {
            JsonNode value = body.get(field);
            if (value == null) {
                return null;
            }
            if (!value.isTextual()) {
                throw invalid(field + " is not a string");
            }
            if (maxLength > 0 && value.asText().codePointCount(0, value.asText().length()) > maxLength) {
                throw invalid(field + " is too long");
            }
            return value.asText();
        }

        Boolean flag(String field) {
            JsonNode value = body.get(field);
            if (value == null) {
                return null;
            }
            if (!value.isBoolean()) {
                throw invalid(field + " is not a boolean");
            }
            return value.asBoolean();
        }

        /** Whole seconds from 60 to 31,536,000 (a JSON boolean counts as 0 or 1, as Python's bool is an int). */
        Long seconds(String field) {
            JsonNode value = body.get(field);
            if (value == null) {
                return null;
            }
            long seconds;
            if (value.isBoolean()) {
                seconds = value.asBoolean() ? 1 : 0;
            } else if (value.isIntegralNumber()) {
                if (!value.canConvertToLong()) {
                    throw invalid(field + (value.bigIntegerValue().signum() > 0 ? " is too large" : " is too small"));
                }
                seconds = value.asLong();
            } else {
                throw invalid(field + " is not a number");
            }
            if (seconds < MIN_SECONDS) {
                throw invalid(field + " is too small");
            }
            if (seconds > MAX_SECONDS) {
                throw invalid(field + " is too large");
            }
            return seconds;
        }

        String methods() {
            JsonNode value = body.get("methods");
            if (value == null) {
                return null;
            }
            if (!value.isTextual() || !(value.asText().equals("") || value.asText().equals("POST"))) {
                throw invalid("methods has unexpected value");
            }
            return value.asText();
        }

        List<String> unique() {
            JsonNode value = body.get("unique");
            if (value == null) {
                return null;
            }
            if (!value.isArray()) {
                throw invalid("unique is not an array");
            }
            List<String> fields = new ArrayList<>();
            for (JsonNode item : value) {
                if (!item.isTextual() || !UNIQUE_FIELDS.contains(item.asText())) {
                    throw invalid("an item in 'unique' has unexpected value");
                }
                fields.add(item.asText());
            }
            return fields;
        }
    }
}
