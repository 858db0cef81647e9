package io.vigil.evaluator.service;

import static io.vigil.contracts.Status.DOWN;
import static io.vigil.contracts.Status.LATE;
import static io.vigil.contracts.Status.MAINTENANCE;
import static io.vigil.contracts.Status.NEW;
import static io.vigil.contracts.Status.PAUSED;
import static io.vigil.contracts.Status.UP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vigil.contracts.Status;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Uptime, day bars and incidents rebuilt exactly from flips, with no database and no clock. */
class UptimeTest {

    private static final ZoneId OSLO = ZoneId.of("Europe/Oslo");

    /** Flips as (at, to) pairs; each one's from is the previous one's to (the first's is {@code first}). */
    private static List<Uptime.Change> flips(Status first, Object... atAndTo) {
        List<Uptime.Change> changes = new ArrayList<>();
        Status from = first;
        for (int i = 0; i < atAndTo.length; i += 2) {
            Status to = (Status) atAndTo[i + 1];
            changes.add(new Uptime.Change(UUID.randomUUID(), Instant.parse((String) atAndTo[i]), from, to));
            from = to;
        }
        return changes;
    }

    private static Instant at(String text) {
        return Instant.parse(text);
    }

    @Test
    void timeBeforeTheMonitorExistedIsNotCounted() {
        Uptime uptime = Uptime.of(flips(NEW, "2026-03-10T12:00:00Z", UP, "2026-03-11T06:00:00Z", DOWN,
                "2026-03-11T12:00:00Z", UP), at("2026-03-10T12:00:00Z"), UP, at("2026-03-12T00:00:00Z"));

        // observed from the creation only: 36 h, 6 of them down
        assertThat(uptime.percent(at("2026-03-01T00:00:00Z"), at("2026-03-12T00:00:00Z"))).isCloseTo(100.0 * 30 / 36, within(1e-9));
        assertThat(uptime.day(LocalDate.parse("2026-03-09"))).isEqualTo(
                new Uptime.Day(LocalDate.parse("2026-03-09"), null, null, Duration.ZERO));
        assertThat(uptime.day(LocalDate.parse("2026-03-10"))).isEqualTo(
                new Uptime.Day(LocalDate.parse("2026-03-10"), UP, 100.0, Duration.ZERO));
        assertThat(uptime.day(LocalDate.parse("2026-03-11"))).isEqualTo(
                new Uptime.Day(LocalDate.parse("2026-03-11"), DOWN, 75.0, Duration.ofHours(6)));
        // a day after now is not observed either
        assertThat(uptime.day(LocalDate.parse("2026-03-12")).status()).isNull();
    }

    @Test
    void aMonitorCreatedMidDayCountsOnlyItsPartOfTheDay() {
        Uptime uptime = Uptime.of(flips(NEW, "2026-04-01T18:00:00Z", UP, "2026-04-01T21:00:00Z", DOWN),
                at("2026-04-01T12:00:00Z"), DOWN, at("2026-04-02T00:00:00Z"));
        // NEW 12-18 is neither; UP 18-21, DOWN 21-24
        assertThat(uptime.day(LocalDate.parse("2026-04-01"))).isEqualTo(
                new Uptime.Day(LocalDate.parse("2026-04-01"), DOWN, 50.0, Duration.ofHours(3)));
    }

    @Test
    void pausedTimeIsNeitherUpNorDown() {
        Uptime uptime = Uptime.of(flips(NEW, "2026-05-01T10:00:00Z", UP, "2026-05-01T12:00:00Z", PAUSED,
                        "2026-05-01T18:00:00Z", DOWN, "2026-05-01T20:00:00Z", UP, "2026-05-02T00:00:00Z", PAUSED),
                at("2026-05-01T10:00:00Z"), PAUSED, at("2026-05-04T00:00:00Z"));

        // up 10-12 and 20-24 (6 h), down 18-20 (2 h); paused 12-18 counts for nothing
        assertThat(uptime.percent(at("2026-05-01T00:00:00Z"), at("2026-05-02T00:00:00Z"))).isEqualTo(75.0);
        // a day fully paused has no uptime and is shown as paused
        assertThat(uptime.day(LocalDate.parse("2026-05-02"))).isEqualTo(
                new Uptime.Day(LocalDate.parse("2026-05-02"), PAUSED, null, Duration.ZERO));
        // so has a window with only paused time
        assertThat(uptime.percent(at("2026-05-02T00:00:00Z"), at("2026-05-04T00:00:00Z"))).isNull();
    }

    @Test
    void lateCountsAsUpAndMaintenanceAsNeither() {
        Uptime uptime = Uptime.of(flips(UP, "2026-06-01T06:00:00Z", LATE, "2026-06-01T12:00:00Z", MAINTENANCE,
                "2026-06-01T18:00:00Z", DOWN), at("2026-05-01T00:00:00Z"), DOWN, at("2026-06-02T00:00:00Z"));
        // up 0-12 (LATE 6-12 included), maintenance 12-18, down 18-24
        Uptime.Day day = uptime.day(LocalDate.parse("2026-06-01"));
        assertThat(day.uptime()).isCloseTo(100.0 * 12 / 18, within(1e-9));
        assertThat(day.status()).isEqualTo(DOWN);
        assertThat(uptime.day(LocalDate.parse("2026-05-31")).status()).isEqualTo(UP);
        Uptime late = Uptime.of(flips(UP, "2026-06-01T06:00:00Z", LATE, "2026-06-01T07:00:00Z", UP),
                at("2026-05-01T00:00:00Z"), UP, at("2026-06-02T00:00:00Z"));
        assertThat(late.day(LocalDate.parse("2026-06-01"))).isEqualTo(
                new Uptime.Day(LocalDate.parse("2026-06-01"), LATE, 100.0, Duration.ZERO));
    }

    @Test
    void anOngoingIncidentHasNoEndAndLastsUntilNow() {
        Instant now = at("2026-07-10T12:00:00Z");
        UUID started = UUID.randomUUID();
        List<Uptime.Change> changes = new ArrayList<>(flips(NEW, "2026-07-01T00:00:00Z", UP, "2026-07-05T00:00:00Z", DOWN,
                "2026-07-05T02:30:00Z", UP));
        changes.add(new Uptime.Change(started, at("2026-07-10T11:00:00Z"), UP, DOWN));
        Uptime uptime = Uptime.of(changes, at("2026-07-01T00:00:00Z"), DOWN, now);

        assertThat(uptime.percent(now.minus(Duration.ofHours(24)), now)).isCloseTo(100.0 * 23 / 24, within(1e-9));
        assertThat(uptime.incidents(now.minus(Duration.ofDays(90)))).containsExactly(
                new Uptime.Incident(started, at("2026-07-10T11:00:00Z"), null, Duration.ofHours(1)),
                new Uptime.Incident(changes.get(1).id(), at("2026-07-05T00:00:00Z"), at("2026-07-05T02:30:00Z"),
                        Duration.ofMinutes(150)));
        // only incidents that reach into the window are listed
        assertThat(uptime.incidents(at("2026-07-06T00:00:00Z"))).extracting(Uptime.Incident::id).containsExactly(started);
        // the part of today observed so far: 11 h up, 1 h down
        assertThat(uptime.day(LocalDate.parse("2026-07-10"))).isEqualTo(
                new Uptime.Day(LocalDate.parse("2026-07-10"), DOWN, 100.0 * 11 / 12, Duration.ofHours(1)));
    }

    @Test
    void anIncidentThatStartedBeforeTheWindowKeepsItsStartAndItsFlip() {
        // the flips query holds the last flip before the 90 days: a DOWN that began then is one incident
        UUID started = UUID.randomUUID();
        List<Uptime.Change> changes = List.of(new Uptime.Change(started, at("2026-01-01T00:00:00Z"), UP, DOWN),
                new Uptime.Change(UUID.randomUUID(), at("2026-04-10T00:00:00Z"), DOWN, UP));
        Uptime uptime = Uptime.of(changes, at("2025-06-01T00:00:00Z"), UP, at("2026-04-20T00:00:00Z"));
        assertThat(uptime.incidents(at("2026-01-20T00:00:00Z"))).containsExactly(new Uptime.Incident(started,
                at("2026-01-01T00:00:00Z"), at("2026-04-10T00:00:00Z"), Duration.ofDays(99)));
        assertThat(uptime.percent(at("2026-04-05T00:00:00Z"), at("2026-04-15T00:00:00Z"))).isEqualTo(50.0);
    }

    @Test
    void downThenPausedThenDownAgainAreTwoIncidents() {
        Uptime uptime = Uptime.of(flips(UP, "2026-08-01T01:00:00Z", DOWN, "2026-08-01T02:00:00Z", PAUSED,
                "2026-08-01T03:00:00Z", DOWN, "2026-08-01T04:00:00Z", UP), at("2026-07-01T00:00:00Z"), UP,
                at("2026-08-02T00:00:00Z"));
        assertThat(uptime.incidents(at("2026-07-01T00:00:00Z"))).extracting(Uptime.Incident::startedAt)
                .containsExactly(at("2026-08-01T03:00:00Z"), at("2026-08-01T01:00:00Z"));
    }

    @Test
    void flipsExactlyOnDayAndWindowBoundariesBelongToTheDayThatStartsThere() {
        Uptime uptime = Uptime.of(flips(UP, "2026-05-02T00:00:00Z", DOWN, "2026-05-03T00:00:00Z", UP),
                at("2026-04-01T00:00:00Z"), UP, at("2026-05-10T00:00:00Z"));

        assertThat(uptime.day(LocalDate.parse("2026-05-01"))).isEqualTo(
                new Uptime.Day(LocalDate.parse("2026-05-01"), UP, 100.0, Duration.ZERO));
        assertThat(uptime.day(LocalDate.parse("2026-05-02"))).isEqualTo(
                new Uptime.Day(LocalDate.parse("2026-05-02"), DOWN, 0.0, Duration.ofHours(24)));
        assertThat(uptime.day(LocalDate.parse("2026-05-03"))).isEqualTo(
                new Uptime.Day(LocalDate.parse("2026-05-03"), UP, 100.0, Duration.ZERO));
        // windows are [from, to): one ending at the DOWN flip holds none of it, one starting at the UP flip neither
        assertThat(uptime.percent(at("2026-05-01T00:00:00Z"), at("2026-05-02T00:00:00Z"))).isEqualTo(100.0);
        assertThat(uptime.percent(at("2026-05-03T00:00:00Z"), at("2026-05-04T00:00:00Z"))).isEqualTo(100.0);
        assertThat(uptime.percent(at("2026-05-01T12:00:00Z"), at("2026-05-02T12:00:00Z"))).isEqualTo(50.0);
    }

    @Test
    void aFlipAtTheCreationOrBeforeItOnlySetsTheStartingStatus() {
        Uptime uptime = Uptime.of(flips(NEW, "2026-02-01T00:00:00Z", UP, "2026-02-10T00:00:00Z", DOWN),
                at("2026-02-10T00:00:00Z"), DOWN, at("2026-02-11T00:00:00Z"));
        assertThat(uptime.spans()).containsExactly(new Uptime.Span(at("2026-02-10T00:00:00Z"), at("2026-02-11T00:00:00Z"),
                DOWN, uptime.spans().get(0).startedBy()));
        assertThat(uptime.percent(at("2026-01-01T00:00:00Z"), at("2026-02-11T00:00:00Z"))).isEqualTo(0.0);
    }

    @Test
    void withoutFlipsTheCurrentStatusHoldsSinceTheCreation() {
        assertThat(Uptime.of(List.of(), at("2026-02-01T00:00:00Z"), UP, at("2026-02-02T00:00:00Z"))
                .percent(at("2026-01-01T00:00:00Z"), at("2026-02-02T00:00:00Z"))).isEqualTo(100.0);
        Uptime fresh = Uptime.of(List.of(), at("2026-02-01T00:00:00Z"), NEW, at("2026-02-02T00:00:00Z"));
        assertThat(fresh.percent(at("2026-01-01T00:00:00Z"), at("2026-02-02T00:00:00Z"))).isNull();
        assertThat(fresh.day(LocalDate.parse("2026-02-01")).status()).isEqualTo(NEW);
        assertThat(fresh.incidents(at("2026-01-01T00:00:00Z"))).isEmpty();
    }

    @Test
    void daysAreUtcDaysOf24HoursEvenWhenOsloChangesItsClocks() {
        // 2026-03-29: Oslo springs forward (its local day has 23 h); 2026-10-25: it falls back (25 h)
        assertThat(Duration.between(ZonedDateTime.of(2026, 3, 29, 0, 0, 0, 0, OSLO),
                ZonedDateTime.of(2026, 3, 30, 0, 0, 0, 0, OSLO))).isEqualTo(Duration.ofHours(23));
        assertThat(Duration.between(ZonedDateTime.of(2026, 10, 25, 0, 0, 0, 0, OSLO),
                ZonedDateTime.of(2026, 10, 26, 0, 0, 0, 0, OSLO))).isEqualTo(Duration.ofHours(25));

        // down 00:30-06:30 Oslo time on each: 6 h of a 24 h UTC day = 75 %, not 6/23 or 6/25
        Uptime uptime = Uptime.of(flips(UP,
                        "2026-03-28T23:30:00Z", DOWN, "2026-03-29T04:30:00Z", UP,   // 00:30 CET to 06:30 CEST
                        "2026-10-24T22:30:00Z", DOWN, "2026-10-25T05:30:00Z", UP),  // 00:30 CEST to 06:30 CET
                at("2026-01-01T00:00:00Z"), UP, at("2026-12-01T00:00:00Z"));
        Uptime.Day spring = uptime.day(LocalDate.parse("2026-03-29"));
        Uptime.Day autumn = uptime.day(LocalDate.parse("2026-10-25"));
        // the UTC days: 03-28 holds 30 min of it, 03-29 4.5 h; 10-24 holds 1.5 h, 10-25 5.5 h
        assertThat(uptime.day(LocalDate.parse("2026-03-28")).downtime()).isEqualTo(Duration.ofMinutes(30));
        assertThat(spring.downtime()).isEqualTo(Duration.ofMinutes(270));
        assertThat(spring.uptime()).isEqualTo(100.0 * (24 * 60 - 270) / (24 * 60));
        assertThat(uptime.day(LocalDate.parse("2026-10-24")).downtime()).isEqualTo(Duration.ofMinutes(90));
        assertThat(autumn.downtime()).isEqualTo(Duration.ofMinutes(330));
        assertThat(autumn.uptime()).isEqualTo(100.0 * (24 * 60 - 330) / (24 * 60));
        // each day's window is exactly 24 h: a whole-day DOWN on either date is 24 h of downtime
        Uptime allDay = Uptime.of(flips(UP, "2026-03-29T00:00:00Z", DOWN, "2026-03-30T00:00:00Z", UP,
                        "2026-10-25T00:00:00Z", DOWN, "2026-10-26T00:00:00Z", UP),
                at("2026-01-01T00:00:00Z"), UP, at("2026-12-01T00:00:00Z"));
        assertThat(allDay.day(LocalDate.parse("2026-03-29")).downtime()).isEqualTo(Duration.ofHours(24));
        assertThat(allDay.day(LocalDate.parse("2026-10-25")).downtime()).isEqualTo(Duration.ofHours(24));
        // and 6 h down inside the UTC day is 75 %
        Uptime six = Uptime.of(flips(UP, "2026-03-29T06:00:00Z", DOWN, "2026-03-29T12:00:00Z", UP,
                        "2026-10-25T06:00:00Z", DOWN, "2026-10-25T12:00:00Z", UP),
                at("2026-01-01T00:00:00Z"), UP, at("2026-12-01T00:00:00Z"));
        assertThat(six.day(LocalDate.parse("2026-03-29")).uptime()).isEqualTo(75.0);
        assertThat(six.day(LocalDate.parse("2026-10-25")).uptime()).isEqualTo(75.0);
    }

    @Test
    void theBarHoldsTheLastDaysOldestFirst() {
        Uptime uptime = Uptime.of(List.of(), at("2026-02-01T00:00:00Z"), UP, at("2026-03-01T10:00:00Z"));
        List<Uptime.Day> days = uptime.days(LocalDate.parse("2026-03-01"), 90);
        assertThat(days).hasSize(90);
        assertThat(days.get(0).date()).isEqualTo(LocalDate.parse("2025-12-02"));
        assertThat(days.get(89).date()).isEqualTo(LocalDate.parse("2026-03-01"));
        assertThat(days).filteredOn(day -> day.status() == null).hasSize(61);
        assertThat(days.get(89)).isEqualTo(new Uptime.Day(LocalDate.parse("2026-03-01"), UP, 100.0, Duration.ZERO));
    }
}
