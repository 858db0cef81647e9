package io.vigil.evaluator;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Optional;

/**
 * When a monitor's next check-in is due (API.md section 2): an interval after the last success, or the
 * next tick of a 5-field Unix cron expression in a time zone. A cron time skipped by a DST change fires
 * at the first valid instant after it (the end of the gap); a time repeated by a DST change fires once
 * (its first occurrence).
 */
public sealed interface Schedule {

    /** The grace used when a monitor does not set one: {@code every} up to one hour, else one hour. */
    Duration defaultGrace();

    /** The next due time strictly after {@code lastSuccess}. */
    Instant nextDue(Instant lastSuccess);

    /** Writes this schedule to the monitor's columns (schedule_type, every_ms, cron_expression, timezone). */
    void applyTo(Monitor monitor);

    /** An interval schedule. */
    static Interval interval(Duration every) {
        return new Interval(every);
    }

    /**
     * A cron schedule, validated.
     *
     * @throws IllegalArgumentException naming the problem: a bad expression or an unknown time zone
     */
    static Cron cron(String expression, String timezone) {
        return new Cron(expression, zone(timezone));
    }

    /** The schedule stored in a monitor's columns. */
    static Schedule of(Monitor monitor) {
        if ("cron".equals(monitor.scheduleType)) {
            return new Cron(monitor.cronExpression, zone(monitor.timezone));
        }
        return new Interval(Duration.ofMillis(monitor.everyMs));
    }

    private static ZoneId zone(String timezone) {
        if (timezone == null || timezone.isBlank()) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(timezone.trim());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("unknown time zone \"" + timezone + "\" (use an IANA name such as \"Europe/Oslo\")");
        }
    }

    /** Due {@code every} after the last success. */
    record Interval(Duration every) implements Schedule {

        private static final Duration ONE_HOUR = Duration.ofHours(1);

        public Interval {
            if (every == null || every.isNegative() || every.isZero()) {
                throw new IllegalArgumentException("an interval must be positive");
            }
        }

        @Override
        public Duration defaultGrace() {
            return every.compareTo(ONE_HOUR) <= 0 ? every : ONE_HOUR;
        }

        @Override
        public Instant nextDue(Instant lastSuccess) {
            return lastSuccess.plus(every);
        }

        @Override
        public void applyTo(Monitor monitor) {
            monitor.scheduleType = "interval";
            monitor.everyMs = every.toMillis();
            monitor.cronExpression = null;
            monitor.timezone = null;
        }
    }

    /** Due at the next tick of a 5-field Unix cron expression, in a time zone. */
    record Cron(String expression, ZoneId zone) implements Schedule {

        private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

        public Cron {
            if (expression == null || expression.isBlank()) {
                throw new IllegalArgumentException("a cron expression is required");
            }
            expression = expression.trim().replaceAll("\\s+", " ");
            if (expression.split(" ").length != 5) {
                throw new IllegalArgumentException("cron expression \"" + expression
                        + "\" must have 5 fields: minute hour day-of-month month day-of-week");
            }
            executionTime(expression);
            if (zone == null) {
                zone = ZoneOffset.UTC;
            }
        }

        private static ExecutionTime executionTime(String expression) {
            try {
                return ExecutionTime.forCron(PARSER.parse(expression).validate());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid cron expression \"" + expression + "\": " + e.getMessage());
            }
        }

        @Override
        public Duration defaultGrace() {
            return Duration.ofHours(1);
        }

        /**
         * The wall clock of {@link #zone} is walked tick by tick (cron-utils evaluates the expression on a
         * zone without DST, so its own DST handling plays no part), and each tick is mapped to an instant:
         * a tick inside a gap maps to the end of the gap, a tick inside an overlap to its first
         * occurrence; ticks that map to an instant not after {@code lastSuccess} are skipped.
         */
        @Override
        public Instant nextDue(Instant lastSuccess) {
            ExecutionTime execution = executionTime(expression);
            ZonedDateTime cursor = LocalDateTime.ofInstant(lastSuccess, zone).atZone(ZoneOffset.UTC);
            for (int i = 0; i < 10_000; i++) {
                Optional<ZonedDateTime> tick = execution.nextExecution(cursor);
                if (tick.isEmpty()) {
                    break;
                }
                Instant due = toInstant(tick.get().toLocalDateTime());
                if (due.isAfter(lastSuccess)) {
                    return due;
                }
                cursor = tick.get();
            }
            throw new IllegalStateException("cron expression \"" + expression + "\" has no next tick");
        }

        /** Whether the expression fires at least once after {@code from} and no later than {@code from + window}. */
        public boolean ticksWithin(Instant from, Duration window) {
            ExecutionTime execution = executionTime(expression);
            Optional<ZonedDateTime> tick = execution.nextExecution(LocalDateTime.ofInstant(from, zone).atZone(ZoneOffset.UTC));
            return tick.isPresent() && !toInstant(tick.get().toLocalDateTime()).isAfter(from.plus(window));
        }

        /**
         * The latest tick at or before {@code at}, or null when there is none: the wall clock of {@link #zone} is
         * walked as {@link #nextDue} walks it, so a tick inside a DST gap is the end of the gap and a repeated time is
         * its first occurrence.
         */
        public Instant previousTick(Instant at) {
            ExecutionTime execution = executionTime(expression);
            LocalDateTime wall = LocalDateTime.ofInstant(at, zone).truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
            Optional<ZonedDateTime> tick = execution.lastExecution(wall.plusSeconds(1).atZone(ZoneOffset.UTC));
            Instant latest = null;
            for (int i = 0; i < 10_000 && tick.isPresent(); i++) {
                Instant instant = toInstant(tick.get().toLocalDateTime());
                if (instant.isAfter(at)) {
                    break;
                }
                latest = instant;
                // in a repeated hour, later wall-clock ticks can still map to instants before at
                tick = execution.nextExecution(tick.get());
            }
            return latest;
        }

        private Instant toInstant(LocalDateTime wallClock) {
            ZoneRules rules = zone.getRules();
            if (rules.getValidOffsets(wallClock).isEmpty()) {
                ZoneOffsetTransition gap = rules.getTransition(wallClock);
                return gap.getInstant();
            }
            return ZonedDateTime.ofLocal(wallClock, zone, null).withEarlierOffsetAtOverlap().toInstant();
        }

        @Override
        public void applyTo(Monitor monitor) {
            monitor.scheduleType = "cron";
            monitor.everyMs = null;
            monitor.cronExpression = expression;
            monitor.timezone = zone.getId();
        }
    }
}
