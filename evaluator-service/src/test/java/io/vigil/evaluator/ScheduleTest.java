package io.vigil.evaluator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ScheduleTest {

    @Test
    void intervalIsDueEveryAfterTheLastSuccess() {
        Schedule s = Schedule.interval(Duration.ofMinutes(5));
        assertThat(s.nextDue(Instant.parse("2026-01-01T10:00:00Z"))).isEqualTo(Instant.parse("2026-01-01T10:05:00Z"));
    }

    @Test
    void defaultGraceIsTheIntervalUpToAnHourElseAnHour() {
        assertThat(Schedule.interval(Duration.ofMinutes(5)).defaultGrace()).isEqualTo(Duration.ofMinutes(5));
        assertThat(Schedule.interval(Duration.ofHours(1)).defaultGrace()).isEqualTo(Duration.ofHours(1));
        assertThat(Schedule.interval(Duration.ofDays(1)).defaultGrace()).isEqualTo(Duration.ofHours(1));
        assertThat(Schedule.cron("* * * * *", "UTC").defaultGrace()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void cronIsDueAtTheNextTickStrictlyAfterTheLastSuccessInItsZone() {
        Schedule s = Schedule.cron("0 3 * * *", "Europe/Oslo");
        // 03:00 Oslo in winter is 02:00Z
        assertThat(s.nextDue(Instant.parse("2026-01-10T01:00:00Z"))).isEqualTo(Instant.parse("2026-01-10T02:00:00Z"));
        assertThat(s.nextDue(Instant.parse("2026-01-10T02:00:00Z"))).isEqualTo(Instant.parse("2026-01-11T02:00:00Z"));
    }

    @Test
    void aTimeSkippedBySpringForwardFiresAtTheEndOfTheGap() {
        // Oslo 2026-03-29: 02:00 CET jumps to 03:00 CEST (01:00Z); 02:30 does not exist
        Schedule s = Schedule.cron("30 2 * * *", "Europe/Oslo");
        Instant due = s.nextDue(Instant.parse("2026-03-28T12:00:00Z"));
        assertThat(due).isEqualTo(Instant.parse("2026-03-29T01:00:00Z"));
        assertThat(s.nextDue(due)).isEqualTo(Instant.parse("2026-03-30T00:30:00Z"));
    }

    @Test
    void severalTicksInsideTheGapFireOnce() {
        Schedule s = Schedule.cron("*/15 2 * * *", "Europe/Oslo");
        Instant due = s.nextDue(Instant.parse("2026-03-28T23:00:00Z"));
        assertThat(due).isEqualTo(Instant.parse("2026-03-29T01:00:00Z"));
        assertThat(s.nextDue(due)).isEqualTo(Instant.parse("2026-03-30T00:00:00Z"));
    }

    @Test
    void aTimeRepeatedByFallBackFiresOnce() {
        // Oslo 2026-10-25: 03:00 CEST falls back to 02:00 CET; 02:30 happens at 00:30Z and again at 01:30Z
        Schedule s = Schedule.cron("30 2 * * *", "Europe/Oslo");
        Instant first = s.nextDue(Instant.parse("2026-10-24T12:00:00Z"));
        assertThat(first).isEqualTo(Instant.parse("2026-10-25T00:30:00Z"));
        assertThat(s.nextDue(first)).isEqualTo(Instant.parse("2026-10-26T01:30:00Z"));
        // a success during the repeated hour, after the first 02:30, waits for the next day
        assertThat(s.nextDue(Instant.parse("2026-10-25T01:10:00Z"))).isEqualTo(Instant.parse("2026-10-26T01:30:00Z"));
    }

    @Test
    void hourlyCronKeepsTicking() {
        Schedule s = Schedule.cron("0 * * * *", "Europe/Oslo");
        assertThat(s.nextDue(Instant.parse("2026-03-29T00:30:00Z"))).isEqualTo(Instant.parse("2026-03-29T01:00:00Z"));
        assertThat(s.nextDue(Instant.parse("2026-03-29T01:00:00Z"))).isEqualTo(Instant.parse("2026-03-29T02:00:00Z"));
    }

    @Test
    void refusesBadExpressionsAndZones() {
        assertThatThrownBy(() -> Schedule.cron("0 3 * *", "UTC")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5 fields");
        assertThatThrownBy(() -> Schedule.cron("0 3 * * * *", "UTC")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Schedule.cron("61 3 * * *", "UTC")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid cron");
        assertThatThrownBy(() -> Schedule.cron("0 3 * * *", "Mars/Olympus")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("time zone");
    }

    @Test
    void roundTripsThroughAMonitorsColumns() {
        Monitor m = new Monitor();
        Schedule.cron("0 3 * * 1-5", "Europe/Oslo").applyTo(m);
        assertThat(Schedule.of(m)).isEqualTo(Schedule.cron("0 3 * * 1-5", "Europe/Oslo"));
        Schedule.interval(Duration.ofSeconds(90)).applyTo(m);
        assertThat(m.cronExpression).isNull();
        assertThat(Schedule.of(m)).isEqualTo(Schedule.interval(Duration.ofSeconds(90)));
    }

    @Test
    void thePreviousTickWalksDstAsTheNextDueDoes() {
        Schedule.Cron s = Schedule.cron("30 2 * * *", "Europe/Oslo");
        assertThat(s.previousTick(Instant.parse("2026-01-10T01:30:00Z"))).as("a tick at the instant itself")
                .isEqualTo(Instant.parse("2026-01-10T01:30:00Z"));
        assertThat(s.previousTick(Instant.parse("2026-01-10T01:29:59.999Z"))).isEqualTo(Instant.parse("2026-01-09T01:30:00Z"));
        // spring forward: 02:30 does not exist, the tick is the end of the gap (01:00Z)
        assertThat(s.previousTick(Instant.parse("2026-03-29T01:10:00Z"))).isEqualTo(Instant.parse("2026-03-29T01:00:00Z"));
        // fall back: 02:30 happens twice, the tick is its first occurrence (00:30Z), also seen from the second hour
        assertThat(s.previousTick(Instant.parse("2026-10-25T01:45:00Z"))).isEqualTo(Instant.parse("2026-10-25T00:30:00Z"));
        assertThat(s.nextDue(s.previousTick(Instant.parse("2026-10-25T01:45:00Z"))))
                .isEqualTo(Instant.parse("2026-10-26T01:30:00Z"));
    }
}
