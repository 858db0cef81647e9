package io.vigil.evaluator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.contracts.PingReceived;
import io.vigil.contracts.PingType;
import io.vigil.contracts.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Every cell of API.md section 2's state table, with times given explicitly (no clock). */
class MonitorRulesTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final Duration EVERY = Duration.ofMinutes(5);
    private static final Duration GRACE = Duration.ofMinutes(2);

    private final List<Transition> flips = new ArrayList<>();

    private static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    private static Monitor monitor() {
        Monitor m = new Monitor();
        m.id = UUID.randomUUID();
        m.slug = "job";
        Schedule.interval(EVERY).applyTo(m);
        m.graceMs = GRACE.toMillis();
        return m;
    }

    private static PingReceived ping(PingType type, Instant at) {
        return ping(type, null, null, at);
    }

    private static PingReceived ping(PingType type, Integer exit, UUID rid, Instant at) {
        return new PingReceived(1, UUID.randomUUID(), UUID.randomUUID(), type, exit, rid, at, "GET", "http", "127.0.0.1",
                "curl", null, null, 0);
    }

    /** Applies a ping with the watermark just past the ping (the normal case). */
    private MonitorRules.Applied apply(Monitor m, PingReceived p) {
        MonitorRules.Applied applied = MonitorRules.applyPing(m, p, p.receivedAt().plusMillis(200));
        flips.addAll(applied.transitions());
        return applied;
    }

    private void advance(Monitor m, Instant until) {
        flips.addAll(MonitorRules.advance(m, until));
    }

    private Monitor inState(Status status) {
        Monitor m = monitor();
        switch (status) {
            case NEW -> { }
            case UP -> apply(m, ping(PingType.SUCCESS, at(0)));
            case LATE -> {
                apply(m, ping(PingType.SUCCESS, at(0)));
                advance(m, at(301));
            }
            case DOWN -> apply(m, ping(PingType.FAIL, at(0)));
            case PAUSED -> {
                apply(m, ping(PingType.SUCCESS, at(0)));
                flips.addAll(MonitorRules.pause(m, at(1)));
            }
            case MAINTENANCE -> {
                apply(m, ping(PingType.SUCCESS, at(0)));
                m.maintenance = Maintenance.of(List.of(new Maintenance.OneOff(at(1), at(100_000)))).toJson();
                m.maintenanceFrom = at(1);
                advance(m, at(2));
            }
        }
        assertThat(m.status).isEqualTo(status);
        flips.clear();
        return m;
    }

    private void assertFlip(Status from, Status to, String reason, Instant at) {
        assertThat(flips).hasSize(1);
        Transition f = flips.get(0);
        assertThat(f.from()).isEqualTo(from);
        assertThat(f.to()).isEqualTo(to);
        assertThat(f.reason()).isEqualTo(reason);
        assertThat(f.at()).isEqualTo(at);
    }

    // success row

    @Test
    void successTakesNewUpWithOk() {
        Monitor m = inState(Status.NEW);
        apply(m, ping(PingType.SUCCESS, at(10)));
        assertFlip(Status.NEW, Status.UP, "ok", at(10));
        assertThat(m.dueAt).isEqualTo(at(10).plus(EVERY));
        assertThat(m.nextAlertAt).isEqualTo(m.dueAt);
    }

    @Test
    void successKeepsUpUpWithoutAFlipAndMovesTheDueTime() {
        Monitor m = inState(Status.UP);
        apply(m, ping(PingType.SUCCESS, at(100)));
        assertThat(flips).isEmpty();
        assertThat(m.dueAt).isEqualTo(at(400));
    }

    @Test
    void successEndsLateWithOk() {
        Monitor m = inState(Status.LATE);
        apply(m, ping(PingType.SUCCESS, at(350)));
        assertFlip(Status.LATE, Status.UP, "ok", at(350));
    }

    @Test
    void successEndsDownWithRecoveredAndItsDowntime() {
        Monitor m = inState(Status.DOWN);
        apply(m, ping(PingType.SUCCESS, at(60)));
        assertFlip(Status.DOWN, Status.UP, "recovered", at(60));
        assertThat(flips.get(0).downtime()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void successEndsPausedWithResumed() {
        Monitor m = inState(Status.PAUSED);
        apply(m, ping(PingType.SUCCESS, at(60)));
        assertFlip(Status.PAUSED, Status.UP, "resumed", at(60));
        assertThat(m.nextAlertAt).isEqualTo(at(60).plus(EVERY));
    }

    // fail row

    @Test
    void failTakesEveryLiveStatusDown() {
        for (Status s : new Status[] {Status.NEW, Status.UP, Status.LATE, Status.PAUSED}) {
            Monitor m = inState(s);
            Instant t = s == Status.UP ? at(200) : at(310);
            apply(m, ping(PingType.FAIL, t));
            assertFlip(s, Status.DOWN, "fail", t);
            assertThat(flips.get(0).reasonText()).isEqualTo("failure signal");
            assertThat(m.nextAlertAt).isNull();
            flips.clear();
        }
    }

    @Test
    void failOnDownIsNoFlip() {
        Monitor m = inState(Status.DOWN);
        apply(m, ping(PingType.FAIL, at(60)));
        assertThat(flips).isEmpty();
    }

    @Test
    void nonZeroExitStatusIsAFailNamingTheStatus() {
        Monitor m = inState(Status.UP);
        apply(m, ping(PingType.FAIL, 3, null, at(60)));
        assertFlip(Status.UP, Status.DOWN, "exit-status 3", at(60));
        assertThat(flips.get(0).reasonText()).isEqualTo("exit status 3");
    }

    @Test
    void exitStatusZeroIsASuccess() {
        Monitor m = inState(Status.DOWN);
        apply(m, ping(PingType.SUCCESS, 0, null, at(60)));
        assertFlip(Status.DOWN, Status.UP, "recovered", at(60));
    }

    // start row

    @Test
    void startSetsRunningWithoutChangingStatus() {
        for (Status s : Status.values()) {
            Monitor m = inState(s);
            apply(m, ping(PingType.START, at(30)));
            assertThat(flips).isEmpty();
            assertThat(m.running).isTrue();
            assertThat(m.status).isEqualTo(s);
        }
    }

    // log row

    @Test
    void logChangesNothingButIsCounted() {
        for (Status s : Status.values()) {
            Monitor m = inState(s);
            Instant due = m.dueAt;
            long count = m.pingCount;
            apply(m, ping(PingType.LOG, at(30)));
            assertThat(flips).isEmpty();
            assertThat(m.status).isEqualTo(s);
            assertThat(m.running).isFalse();
            assertThat(m.dueAt).isEqualTo(due);
            assertThat(m.pingCount).isEqualTo(count + 1);
        }
    }

    // due time passes

    @Test
    void dueTimePassingMakesUpLateAtTheDueTime() {
        Monitor m = inState(Status.UP);
        advance(m, at(300));
        assertThat(flips).isEmpty();
        advance(m, at(300).plusMillis(1));
        assertFlip(Status.UP, Status.LATE, "missed", at(300));
        assertThat(flips.get(0).reasonText()).isEqualTo("missed check-in: due 10:05:00Z");
        assertThat(m.nextAlertAt).isEqualTo(at(420));
    }

    @Test
    void dueTimeChangesNothingForNewDownAndPaused() {
        for (Status s : new Status[] {Status.NEW, Status.DOWN, Status.PAUSED}) {
            Monitor m = inState(s);
            advance(m, at(100_000));
            assertThat(flips).isEmpty();
            assertThat(m.status).isEqualTo(s);
            assertThat(m.nextAlertAt).isNull();
        }
    }

    // grace passes

    @Test
    void gracePassingMakesLateDownAtDuePlusGrace() {
        Monitor m = inState(Status.LATE);
        advance(m, at(420).plusMillis(1));
        assertFlip(Status.LATE, Status.DOWN, "missed", at(420));
        assertThat(flips.get(0).reasonText()).isEqualTo("missed check-in: due 10:05:00Z, grace 2m");
        assertThat(m.nextAlertAt).isNull();
    }

    @Test
    void aLongSilenceFromUpRecordsLateThenDownAtTheirOwnTimes() {
        Monitor m = inState(Status.UP);
        advance(m, at(3600));
        assertThat(flips).extracting(Transition::to).containsExactly(Status.LATE, Status.DOWN);
        assertThat(flips).extracting(Transition::at).containsExactly(at(300), at(420));
        assertThat(flips).extracting(Transition::sequence).containsExactly(2L, 3L);
    }

    @Test
    void graceZeroGoesStraightFromUpToDownAtTheDueTime() {
        Monitor m = monitor();
        m.graceMs = 0;
        apply(m, ping(PingType.SUCCESS, at(0)));
        flips.clear();
        advance(m, at(301));
        assertFlip(Status.UP, Status.DOWN, "missed", at(300));
    }

    @Test
    void newNeverGoesLateOrDownByItself() {
        Monitor m = monitor();
        advance(m, at(1_000_000));
        assertThat(flips).isEmpty();
        assertThat(m.status).isEqualTo(Status.NEW);
    }

    // running

    @Test
    void aRunSuspendsTheDueTimeAndIsBoundedByMaxRuntime() {
        Monitor m = inState(Status.UP);
        m.maxRuntimeMs = Duration.ofHours(2).toMillis();
        apply(m, ping(PingType.START, at(200)));
        assertThat(m.nextAlertAt).isEqualTo(at(200).plus(Duration.ofHours(2)));
        advance(m, at(3600));
        assertThat(flips).isEmpty();
        advance(m, at(200 + 7200 + 1));
        assertFlip(Status.UP, Status.DOWN, "run-too-long", at(200 + 7200));
        assertThat(flips.get(0).reasonText()).isEqualTo("run exceeded max runtime 2h");
    }

    @Test
    void withoutMaxRuntimeGraceBoundsTheRun() {
        Monitor m = inState(Status.NEW);
        apply(m, ping(PingType.START, at(10)));
        advance(m, at(10 + 120 + 1));
        assertFlip(Status.NEW, Status.DOWN, "run-too-long", at(130));
    }

    @Test
    void runTooLongFromLate() {
        Monitor m = inState(Status.LATE);
        apply(m, ping(PingType.START, at(310)));
        advance(m, at(310 + 120 + 1));
        assertFlip(Status.LATE, Status.DOWN, "run-too-long", at(430));
    }

    @Test
    void runTooLongChangesNothingForDownAndPaused() {
        for (Status s : new Status[] {Status.DOWN, Status.PAUSED}) {
            Monitor m = inState(s);
            apply(m, ping(PingType.START, at(10)));
            advance(m, at(100_000));
            assertThat(flips).isEmpty();
            assertThat(m.status).isEqualTo(s);
        }
    }

    @Test
    void aFinishEndsTheRunAndRecordsItsDuration() {
        Monitor m = inState(Status.UP);
        apply(m, ping(PingType.START, at(100)));
        MonitorRules.Applied done = apply(m, ping(PingType.SUCCESS, at(160)));
        assertThat(done.runDuration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(m.running).isFalse();
        assertThat(m.lastDurationMs).isEqualTo(60_000);
        assertThat(m.nextAlertAt).isEqualTo(at(160).plus(EVERY));
    }

    @Test
    void onlyTheFinishWithTheStartsRidEndsTheRun() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        Monitor m = inState(Status.UP);
        apply(m, ping(PingType.START, null, a, at(100)));
        MonitorRules.Applied other = apply(m, ping(PingType.SUCCESS, null, b, at(110)));
        assertThat(other.runDuration()).isNull();
        assertThat(m.running).isTrue();
        MonitorRules.Applied own = apply(m, ping(PingType.SUCCESS, null, a, at(130)));
        assertThat(own.runDuration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(m.running).isFalse();
    }

    @Test
    void aFinishWithoutRidEndsAnyRun() {
        Monitor m = inState(Status.UP);
        apply(m, ping(PingType.START, null, UUID.randomUUID(), at(100)));
        MonitorRules.Applied done = apply(m, ping(PingType.FAIL, at(140)));
        assertThat(done.runDuration()).isEqualTo(Duration.ofSeconds(40));
        assertThat(m.running).isFalse();
        assertFlip(Status.UP, Status.DOWN, "fail", at(140));
    }

    @Test
    void aFinishAfterRunTooLongRecovers() {
        Monitor m = inState(Status.UP);
        apply(m, ping(PingType.START, at(100)));
        advance(m, at(100 + 121));
        flips.clear();
        apply(m, ping(PingType.SUCCESS, at(300)));
        assertFlip(Status.DOWN, Status.UP, "recovered", at(300));
        assertThat(m.running).isFalse();
    }

    // pause and resume

    @Test
    void pauseMakesEveryOtherStatusPausedAtTheRequestTime() {
        for (Status s : new Status[] {Status.NEW, Status.UP, Status.LATE, Status.DOWN}) {
            Monitor m = inState(s);
            flips.addAll(MonitorRules.pause(m, at(500)));
            assertFlip(s, Status.PAUSED, "paused", at(500));
            assertThat(m.nextAlertAt).isNull();
            flips.clear();
        }
    }

    @Test
    void pausingAPausedMonitorChangesNothing() {
        Monitor m = inState(Status.PAUSED);
        assertThat(MonitorRules.pause(m, at(500))).isEmpty();
    }

    @Test
    void resumeIsRefusedUnlessPaused() {
        for (Status s : new Status[] {Status.NEW, Status.UP, Status.LATE, Status.DOWN}) {
            Monitor m = inState(s);
            assertThatThrownBy(() -> MonitorRules.resume(m, at(500))).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void resumeMakesAPingedMonitorUpDueOnePeriodLater() {
        Monitor m = inState(Status.PAUSED);
        flips.addAll(MonitorRules.resume(m, at(1000)));
        assertFlip(Status.PAUSED, Status.UP, "resumed", at(1000));
        assertThat(m.dueAt).isEqualTo(at(1000).plus(EVERY));
        assertThat(m.nextAlertAt).isEqualTo(m.dueAt);
    }

    @Test
    void resumeMakesANeverPingedMonitorNew() {
        Monitor m = monitor();
        MonitorRules.pause(m, at(1));
        flips.addAll(MonitorRules.resume(m, at(2)));
        assertFlip(Status.PAUSED, Status.NEW, "resumed", at(2));
        assertThat(m.nextAlertAt).isNull();
    }

    @Test
    void aPingReceivedBeforeAPauseDoesNotResume() {
        Monitor m = inState(Status.PAUSED); // paused at 1 s
        MonitorRules.Applied late = apply(m, ping(PingType.SUCCESS, at(0).plusMillis(500)));
        assertThat(late.ignored()).isTrue();
        assertThat(flips).isEmpty();
        assertThat(m.status).isEqualTo(Status.PAUSED);
    }

    @Test
    void startWhilePausedStaysPausedAndRaisesNoRunTooLong() {
        Monitor m = inState(Status.PAUSED);
        apply(m, ping(PingType.START, at(10)));
        advance(m, at(100_000));
        assertThat(m.status).isEqualTo(Status.PAUSED);
        assertThat(flips).isEmpty();
    }

    // ordering

    @Test
    void aStartOlderThanTheLastFinishIsClosed() {
        Monitor m = inState(Status.UP);
        apply(m, ping(PingType.SUCCESS, at(100)));
        MonitorRules.Applied start = apply(m, ping(PingType.START, at(90)));
        assertThat(start.ignored()).isTrue();
        assertThat(m.running).isFalse();
        assertThat(m.nextAlertAt).isEqualTo(at(400));
    }

    @Test
    void aSuccessOlderThanANewerFailDoesNotRecover() {
        Monitor m = inState(Status.UP);
        apply(m, ping(PingType.FAIL, at(100)));
        flips.clear();
        apply(m, ping(PingType.SUCCESS, at(99)));
        assertThat(flips).isEmpty();
        assertThat(m.status).isEqualTo(Status.DOWN);
    }

    @Test
    void aFailOlderThanANewerSuccessDoesNotGoDown() {
        Monitor m = inState(Status.UP);
        apply(m, ping(PingType.SUCCESS, at(100)));
        apply(m, ping(PingType.FAIL, at(99)));
        assertThat(flips).isEmpty();
        assertThat(m.status).isEqualTo(Status.UP);
        assertThat(m.dueAt).isEqualTo(at(400));
    }

    @Test
    void aFinishOlderThanTheRunsStartDoesNotEndTheRun() {
        Monitor m = inState(Status.UP);
        apply(m, ping(PingType.START, at(100)));
        MonitorRules.Applied older = apply(m, ping(PingType.SUCCESS, at(90)));
        assertThat(older.runDuration()).isNull();
        assertThat(m.running).isTrue();
    }

    @Test
    void outOfOrderPingsEndWhereReceivedAtOrderEnds() {
        // received: start 100, success 160, start 200, fail 230 — delivered shuffled
        Monitor m = inState(Status.UP);
        apply(m, ping(PingType.START, at(200)));
        apply(m, ping(PingType.FAIL, at(230)));
        apply(m, ping(PingType.SUCCESS, at(160)));
        apply(m, ping(PingType.START, at(100)));
        assertThat(m.status).isEqualTo(Status.DOWN);
        assertThat(m.running).isFalse();
        assertThat(m.lastFinishAt).isEqualTo(at(230));
        assertThat(flips).extracting(Transition::to).containsExactly(Status.DOWN);
    }

    @Test
    void aPingAppliedAfterDueAndGraceRecordsTheMissedFlipsFirst() {
        Monitor m = inState(Status.UP);
        apply(m, ping(PingType.SUCCESS, at(1000)));
        assertThat(flips).extracting(Transition::to).containsExactly(Status.LATE, Status.DOWN, Status.UP);
        assertThat(flips).extracting(Transition::at).containsExactly(at(300), at(420), at(1000));
        assertThat(flips).extracting(Transition::reason).containsExactly("missed", "missed", "recovered");
        assertThat(flips.get(2).downtime()).isEqualTo(Duration.ofSeconds(580));
    }

    @Test
    void deadlinesAfterTheWatermarkAreNotDeclaredByAPing() {
        Monitor m = inState(Status.UP);
        // the watermark is still before the due time: an earlier ping may be in flight
        MonitorRules.Applied applied = MonitorRules.applyPing(m, ping(PingType.SUCCESS, at(1000)), at(250));
        assertThat(applied.transitions()).isEmpty();
        assertThat(m.status).isEqualTo(Status.UP);
    }

    @Test
    void aPingPastTheNextDeadlineWaitsForTheWatermarkToPassIt() {
        Monitor m = inState(Status.UP); // due at 300, DOWN at 420
        assertThat(MonitorRules.mustWait(m, at(299), at(250))).as("before the deadline: nothing to erase").isFalse();
        assertThat(MonitorRules.mustWait(m, at(300), at(250))).as("at the due time, watermark before it").isTrue();
        assertThat(MonitorRules.mustWait(m, at(1000), at(999))).as("an earlier ping may still arrive").isTrue();
        assertThat(MonitorRules.mustWait(m, at(1000), null)).as("no watermark yet").isTrue();
        assertThat(MonitorRules.mustWait(m, at(1000), at(1000))).as("every earlier ping applied").isFalse();
        Monitor fresh = inState(Status.NEW);
        assertThat(MonitorRules.mustWait(fresh, at(1000), at(0))).as("a NEW monitor has no deadline").isFalse();
        Monitor paused = inState(Status.PAUSED);
        assertThat(MonitorRules.mustWait(paused, at(1000), at(0))).as("a PAUSED monitor has no deadline").isFalse();
    }

    @Test
    void aFlipNeverGoesBeforeThePreviousOne() {
        Monitor m = inState(Status.UP);
        advance(m, at(500)); // LATE at 300, DOWN at 420
        flips.clear();
        MonitorRules.applyPing(m, ping(PingType.SUCCESS, at(410)), at(500)).transitions().forEach(flips::add);
        assertFlip(Status.DOWN, Status.UP, "recovered", at(420));
    }

    @Test
    void reconfiguringMovesTheDueTime() {
        Monitor m = inState(Status.UP);
        Schedule.interval(Duration.ofMinutes(1)).applyTo(m);
        MonitorRules.reconfigure(m);
        assertThat(m.dueAt).isEqualTo(at(60));
        assertThat(m.nextAlertAt).isEqualTo(at(60));
    }

    // failureThreshold: DOWN from failed runs only on the Nth in a row

    @Test
    void underTheFailureThresholdAFailKeepsUpCountsAndMovesTheDueTime() {
        Monitor m = inState(Status.UP);
        m.failureThreshold = 3;
        apply(m, ping(PingType.FAIL, at(100)));
        apply(m, ping(PingType.FAIL, null, null, at(200)));
        assertThat(flips).isEmpty();
        assertThat(m.status).isEqualTo(Status.UP);
        assertThat(m.consecutiveFailures).isEqualTo(2);
        assertThat(m.dueAt).isEqualTo(at(200).plus(EVERY));
        assertThat(m.lastSuccessAt).isEqualTo(at(0));
    }

    @Test
    void theNthFailureInARowIsDownAndSaysHowMany() {
        Monitor m = inState(Status.UP);
        m.failureThreshold = 3;
        apply(m, ping(PingType.FAIL, at(100)));
        apply(m, ping(PingType.FAIL, 2, null, at(200)));
        apply(m, ping(PingType.FAIL, 7, null, at(300)));
        assertFlip(Status.UP, Status.DOWN, "exit-status 7", at(300));
        assertThat(flips.get(0).reasonText()).isEqualTo("exit status 7 (3 consecutive failures)");
    }

    @Test
    void aSuccessStartsTheFailureCountAgain() {
        Monitor m = inState(Status.UP);
        m.failureThreshold = 2;
        apply(m, ping(PingType.FAIL, at(100)));
        apply(m, ping(PingType.SUCCESS, at(200)));
        assertThat(m.consecutiveFailures).isZero();
        apply(m, ping(PingType.FAIL, at(300)));
        assertThat(flips).isEmpty();
        apply(m, ping(PingType.FAIL, at(400)));
        assertFlip(Status.UP, Status.DOWN, "fail", at(400));
    }

    @Test
    void underTheFailureThresholdAFailEndsLateAsUp() {
        Monitor m = inState(Status.LATE);
        m.failureThreshold = 2;
        apply(m, ping(PingType.FAIL, at(330)));
        assertFlip(Status.LATE, Status.UP, "ok", at(330));
        assertThat(flips.get(0).reasonText()).isEqualTo("failure signal, failure 1 of 2 before DOWN");
        assertThat(m.dueAt).isEqualTo(at(330).plus(EVERY));
    }

    @Test
    void underTheFailureThresholdAFailKeepsNewAndPausedAsTheyAre() {
        Monitor fresh = inState(Status.NEW);
        fresh.failureThreshold = 2;
        apply(fresh, ping(PingType.FAIL, at(10)));
        Monitor paused = inState(Status.PAUSED);
        paused.failureThreshold = 2;
        apply(paused, ping(PingType.FAIL, at(10)));
        assertThat(flips).isEmpty();
        assertThat(fresh.status).isEqualTo(Status.NEW);
        assertThat(paused.status).isEqualTo(Status.PAUSED);
        apply(fresh, ping(PingType.FAIL, at(20)));
        assertFlip(Status.NEW, Status.DOWN, "fail", at(20));
    }

    @Test
    void aMissedDeadlineIsDownAtDuePlusGraceWhateverTheFailureThreshold() {
        Monitor m = inState(Status.UP);
        m.failureThreshold = 5;
        advance(m, at(300 + 120 + 1));
        assertThat(flips).extracting(Transition::to).containsExactly(Status.LATE, Status.DOWN);
        assertThat(flips.get(1).at()).isEqualTo(at(420));
    }

    @Test
    void anOverlongRunIsAFailedRunThatCountsTowardsTheThreshold() {
        Monitor m = inState(Status.UP);
        m.failureThreshold = 2;
        m.maxRuntimeMs = Duration.ofMinutes(1).toMillis();
        apply(m, ping(PingType.START, at(100)));
        advance(m, at(161));
        assertThat(flips).isEmpty();
        assertThat(m.running).isFalse();
        assertThat(m.consecutiveFailures).isEqualTo(1);
        assertThat(m.dueAt).isEqualTo(at(160).plus(EVERY));
        apply(m, ping(PingType.START, at(200)));
        advance(m, at(261));
        assertFlip(Status.UP, Status.DOWN, "run-too-long", at(260));
        assertThat(flips.get(0).reasonText()).isEqualTo("run exceeded max runtime 1m (2 consecutive failures)");
    }

    // recoveryThreshold: UP again only on the Nth success in a row

    @Test
    void aDownMonitorRecoversOnTheNthSuccessInARow() {
        Monitor m = inState(Status.DOWN);
        m.recoveryThreshold = 2;
        apply(m, ping(PingType.SUCCESS, at(60)));
        assertThat(flips).isEmpty();
        assertThat(m.status).isEqualTo(Status.DOWN);
        assertThat(m.consecutiveSuccesses).isEqualTo(1);
        assertThat(m.nextAlertAt).isNull();
        apply(m, ping(PingType.FAIL, at(70)));
        apply(m, ping(PingType.SUCCESS, at(80)));
        assertThat(flips).isEmpty();
        apply(m, ping(PingType.SUCCESS, at(90)));
        assertFlip(Status.DOWN, Status.UP, "recovered", at(90));
        assertThat(flips.get(0).reasonText()).isEqualTo("check-in received, recovered after 2 consecutive successes");
        assertThat(flips.get(0).downtime()).isEqualTo(Duration.ofSeconds(90));
        assertThat(m.dueAt).isEqualTo(at(90).plus(EVERY));
        assertThat(m.consecutiveSuccesses).isZero();
    }

    // minRuntime: a run shorter than it is a failed run

    @Test
    void aRunShorterThanMinRuntimeIsAFailure() {
        Monitor m = inState(Status.UP);
        m.minRuntimeMs = Duration.ofMinutes(5).toMillis();
        apply(m, ping(PingType.START, at(100)));
        apply(m, ping(PingType.SUCCESS, at(103)));
        assertFlip(Status.UP, Status.DOWN, "run-too-short", at(103));
        assertThat(flips.get(0).reasonText()).isEqualTo("run took 3s, expected at least 5m");
        assertThat(m.lastDurationMs).isEqualTo(3000);
    }

    @Test
    void aRunOfAtLeastMinRuntimeOrASuccessClosingNoRunIsFine() {
        Monitor m = inState(Status.UP);
        m.minRuntimeMs = Duration.ofMinutes(1).toMillis();
        apply(m, ping(PingType.START, at(100)));
        apply(m, ping(PingType.SUCCESS, at(160)));
        apply(m, ping(PingType.SUCCESS, at(200)));
        assertThat(flips).isEmpty();
        assertThat(m.status).isEqualTo(Status.UP);
    }

    // minInterval: a success too soon after the previous one is a failure

    @Test
    void aSuccessSoonerThanMinIntervalAfterThePreviousOneIsAFailure() {
        Monitor m = inState(Status.UP);
        m.minIntervalMs = Duration.ofMinutes(1).toMillis();
        apply(m, ping(PingType.SUCCESS, at(30)));
        assertFlip(Status.UP, Status.DOWN, "too-frequent", at(30));
        assertThat(flips.get(0).reasonText()).isEqualTo("check-in 30s after the previous success, expected at least 1m apart");
        assertThat(m.lastSuccessAt).isEqualTo(at(0));
    }

    @Test
    void aSuccessAtLeastMinIntervalAfterThePreviousOneIsFine() {
        Monitor m = inState(Status.UP);
        m.minIntervalMs = Duration.ofMinutes(1).toMillis();
        apply(m, ping(PingType.SUCCESS, at(60)));
        assertThat(flips).isEmpty();
        assertThat(m.lastSuccessAt).isEqualTo(at(60));
    }

    // snooze: a pause with an end

    @Test
    void aSnoozedMonitorResumesByItselfAtItsEndAsAResumeWould() {
        Monitor m = inState(Status.UP);
        flips.addAll(MonitorRules.pause(m, at(10), at(3600)));
        assertFlip(Status.UP, Status.PAUSED, "paused", at(10));
        assertThat(m.pausedUntil).isEqualTo(at(3600));
        assertThat(m.nextAlertAt).isEqualTo(at(3600));
        flips.clear();
        advance(m, at(3599));
        assertThat(flips).isEmpty();
        advance(m, at(3601));
        assertFlip(Status.PAUSED, Status.UP, "resumed", at(3600));
        assertThat(flips.get(0).reasonText()).isEqualTo("snooze ended");
        assertThat(m.dueAt).isEqualTo(at(3600).plus(EVERY));
        assertThat(m.pausedUntil).isNull();
    }

    @Test
    void aSnoozeEndingLongAgoDeclaresTheDeadlinesAfterItInOrder() {
        Monitor m = inState(Status.UP);
        MonitorRules.pause(m, at(10), at(100));
        advance(m, at(10_000));
        assertThat(flips).extracting(Transition::to).containsExactly(Status.UP, Status.LATE, Status.DOWN);
        assertThat(flips).extracting(Transition::at).containsExactly(at(100), at(400), at(520));
    }

    @Test
    void aSnoozedNeverPingedMonitorResumesAsNew() {
        Monitor m = inState(Status.NEW);
        MonitorRules.pause(m, at(10), at(100));
        advance(m, at(101));
        assertThat(flips).extracting(Transition::to).containsExactly(Status.NEW);
        assertThat(m.nextAlertAt).isNull();
    }

    @Test
    void aSuccessEndsASnoozeEarlyAndPausingAgainReplacesItsEnd() {
        Monitor m = inState(Status.UP);
        MonitorRules.pause(m, at(10), at(100));
        flips.addAll(MonitorRules.pause(m, at(20), at(200)));
        assertThat(flips).isEmpty();
        assertThat(m.nextAlertAt).isEqualTo(at(200));
        MonitorRules.pause(m, at(30), null);
        assertThat(m.nextAlertAt).isNull();
        apply(m, ping(PingType.SUCCESS, at(40)));
        assertFlip(Status.PAUSED, Status.UP, "resumed", at(40));
        assertThat(m.pausedUntil).isNull();
    }

    // manualResume: a DOWN ends only by a resume request

    @Test
    void withManualResumeADownMonitorIgnoresSuccessesUntilResumed() {
        Monitor m = inState(Status.DOWN);
        m.manualResume = true;
        apply(m, ping(PingType.SUCCESS, at(60)));
        assertThat(flips).isEmpty();
        assertThat(m.status).isEqualTo(Status.DOWN);
        assertThat(m.pingCount).isEqualTo(2);
        assertThat(MonitorRules.resumable(m)).isTrue();
        flips.addAll(MonitorRules.resume(m, at(120)));
        assertFlip(Status.DOWN, Status.UP, "resumed", at(120));
        assertThat(flips.get(0).reasonText()).isEqualTo("resumed by hand");
        assertThat(flips.get(0).downtime()).isEqualTo(Duration.ofSeconds(120));
        assertThat(m.dueAt).isEqualTo(at(120).plus(EVERY));
    }

    @Test
    void withoutManualResumeADownMonitorCannotBeResumed() {
        Monitor m = inState(Status.DOWN);
        assertThat(MonitorRules.resumable(m)).isFalse();
        assertThatThrownBy(() -> MonitorRules.resume(m, at(120))).isInstanceOf(IllegalStateException.class);
    }

    /** Rule 5 of issue 15: maintenance windows and the MAINTENANCE status. */
    @Nested
    class MaintenanceWindows {

        private Monitor withWindows(Monitor m, Instant from, Maintenance.Window... windows) {
            m.maintenance = Maintenance.of(List.of(windows)).toJson();
            m.maintenanceFrom = from;
            MonitorRules.reconfigure(m);
            return m;
        }

        private Maintenance.Window window(long startSeconds, long endSeconds) {
            return new Maintenance.OneOff(at(startSeconds), at(endSeconds));
        }

        private void assertFlips(String... expected) {
            assertThat(flips).extracting(f -> f.from() + ">" + f.to() + " " + f.reason() + " @" + f.at().getEpochSecond()
                    % 100_000).containsExactly(expected);
        }

        private String t(long seconds) {
            return String.valueOf(at(seconds).getEpochSecond() % 100_000);
        }

        @Test
        void windowStartTakesEveryLiveStatusToMaintenanceAtTheStart() {
            for (Status s : new Status[] {Status.NEW, Status.UP, Status.LATE, Status.DOWN}) {
                long start = s == Status.UP ? 250 : 350; // before UP's due time (300) and LATE's DOWN (420)
                Monitor m = withWindows(inState(s), at(s == Status.UP ? 1 : 302), window(start, 650));
                assertThat(m.nextAlertAt).as("%s wakes the sweep at the window's start", s).isEqualTo(at(start));
                advance(m, at(start + 1));
                assertFlips(s + ">MAINTENANCE maintenance @" + t(start));
                assertThat(m.nextAlertAt).as("then at its end").isEqualTo(at(650));
                assertThat(m.dueAt).isNull();
                flips.clear();
            }
        }

        @Test
        void windowStartLeavesPausedAlone() {
            Monitor m = withWindows(inState(Status.PAUSED), at(2), window(350, 650));
            assertThat(m.nextAlertAt).isNull();
            advance(m, at(700));
            assertThat(flips).isEmpty();
            assertThat(m.status).isEqualTo(Status.PAUSED);
        }

        @Test
        void aDeadlineBeforeTheWindowFiresFirstAndNoneInsideIt() {
            Monitor m = withWindows(inState(Status.UP), at(1), window(350, 1000)); // due 300, DOWN would be 420
            advance(m, at(900));
            assertFlips("UP>LATE missed @" + t(300), "LATE>MAINTENANCE maintenance @" + t(350));
        }

        @Test
        void aDeadlineAtTheWindowStartIsInsideTheWindow() {
            Monitor m = withWindows(inState(Status.UP), at(1), window(300, 600)); // due 300
            advance(m, at(500));
            assertFlips("UP>MAINTENANCE maintenance @" + t(300));
        }

        @Test
        void successInsideChangesNoStatusButIsTheLastSuccess() {
            Monitor m = withWindows(inState(Status.DOWN), at(1), window(100, 400));
            advance(m, at(101));
            flips.clear();
            apply(m, ping(PingType.SUCCESS, at(200)));
            assertThat(flips).isEmpty();
            assertThat(m.status).isEqualTo(Status.MAINTENANCE);
            assertThat(m.lastSuccessAt).isEqualTo(at(200));
            assertThat(m.lastPingAt).isEqualTo(at(200));
            assertThat(m.nextAlertAt).isEqualTo(at(400));
        }

        @Test
        void failInsideIsRecordedButChangesNothing() {
            Monitor m = withWindows(inState(Status.UP), at(1), window(100, 400));
            advance(m, at(101));
            flips.clear();
            MonitorRules.Applied fail = apply(m, ping(PingType.FAIL, at(200)));
            MonitorRules.Applied exit = apply(m, ping(PingType.SUCCESS, 3, null, at(210)));
            assertThat(flips).isEmpty();
            assertThat(fail.ignored()).isFalse();
            assertThat(exit.ignored()).isFalse();
            assertThat(m.status).isEqualTo(Status.MAINTENANCE);
            assertThat(m.pingCount).isEqualTo(3);
        }

        @Test
        void aRunInsideTheWindowNeverRunsTooLongThereAndGetsItsMaxRuntimeAfreshAtTheEnd() {
            Monitor m = withWindows(inState(Status.UP), at(1), window(100, 1000));
            advance(m, at(101));
            apply(m, ping(PingType.START, at(200))); // grace bounds the run: 120 s
            flips.clear();
            advance(m, at(999));
            assertThat(flips).isEmpty();
            advance(m, at(1001));
            assertFlips("MAINTENANCE>UP maintenance-ended @" + t(1000));
            assertThat(m.running).isTrue();
            assertThat(m.nextAlertAt).isEqualTo(at(1000).plus(GRACE));
        }

        @Test
        void windowEndTakesMaintenanceUpDueOnePeriodAfterTheEnd() {
            Monitor m = withWindows(inState(Status.UP), at(1), window(100, 400));
            advance(m, at(101));
            apply(m, ping(PingType.SUCCESS, at(350)));
            flips.clear();
            assertThat(m.nextAlertAt).isEqualTo(at(400));
            advance(m, at(401));
            assertFlips("MAINTENANCE>UP maintenance-ended @" + t(400));
            assertThat(m.dueAt).isEqualTo(at(400).plus(EVERY));
            assertThat(m.nextAlertAt).isEqualTo(at(400).plus(EVERY));
            advance(m, at(400).plus(EVERY).plus(GRACE).plusSeconds(1));
            assertThat(m.status).as("deadlines fire again after the window").isEqualTo(Status.DOWN);
        }

        @Test
        void windowEndLeavesANeverPingedMonitorNew() {
            Monitor m = withWindows(inState(Status.NEW), at(1), window(100, 400));
            advance(m, at(401));
            assertFlips("NEW>MAINTENANCE maintenance @" + t(100), "MAINTENANCE>NEW maintenance-ended @" + t(400));
            assertThat(m.dueAt).isNull();
            assertThat(m.nextAlertAt).isNull();
        }

        @Test
        void windowEndTakesADownMonitorUp() {
            Monitor m = withWindows(inState(Status.DOWN), at(1), window(100, 400));
            advance(m, at(401));
            assertFlips("DOWN>MAINTENANCE maintenance @" + t(100), "MAINTENANCE>UP maintenance-ended @" + t(400));
            assertThat(flips.get(0).downtime()).isEqualTo(Duration.ofSeconds(100));
            assertThat(m.dueAt).isEqualTo(at(400).plus(EVERY));
        }

        @Test
        void aPingReceivedAfterTheEndSeesTheEndFirst() {
            Monitor m = withWindows(inState(Status.UP), at(1), window(100, 400));
            advance(m, at(101));
            flips.clear();
            assertThat(MonitorRules.mustWait(m, at(410), at(399))).as("the end may not have been declared yet").isTrue();
            apply(m, ping(PingType.FAIL, at(410)));
            assertFlips("MAINTENANCE>UP maintenance-ended @" + t(400), "UP>DOWN fail @" + t(410));
        }

        @Test
        void aPingAfterTheWindowStartWaitsForIt() {
            Monitor m = withWindows(inState(Status.NEW), at(1), window(100, 400));
            assertThat(MonitorRules.mustWait(m, at(150), at(99))).isTrue();
            apply(m, ping(PingType.FAIL, at(150)));
            assertFlips("NEW>MAINTENANCE maintenance @" + t(100));
        }

        @Test
        void pauseInsideTheWindowWinsAndResumeInsideReturnsToMaintenance() {
            Monitor m = withWindows(inState(Status.UP), at(1), window(100, 400));
            advance(m, at(101));
            flips.addAll(MonitorRules.pause(m, at(150)));
            assertThat(m.nextAlertAt).isNull();
            flips.addAll(MonitorRules.resume(m, at(200)));
            assertFlips("UP>MAINTENANCE maintenance @" + t(100), "MAINTENANCE>PAUSED paused @" + t(150),
                    "PAUSED>MAINTENANCE resumed @" + t(200));
            assertThat(m.nextAlertAt).isEqualTo(at(400));
        }

        @Test
        void resumeAfterTheWindowIsTheUsualResume() {
            Monitor m = withWindows(inState(Status.UP), at(1), window(100, 400));
            advance(m, at(101));
            flips.addAll(MonitorRules.pause(m, at(150)));
            flips.clear();
            advance(m, at(500));
            flips.addAll(MonitorRules.resume(m, at(500)));
            assertFlips("PAUSED>UP resumed @" + t(500));
            assertThat(m.dueAt).isEqualTo(at(500).plus(EVERY));
        }

        @Test
        void aSuccessResumingAPausedMonitorInsideAWindowIsUpThenMaintenanceAtThePingNotTheWindowsThatPassed() {
            Monitor m = withWindows(inState(Status.UP), at(1), window(100, 200), window(300, 600));
            flips.addAll(MonitorRules.pause(m, at(50)));
            flips.clear();
            apply(m, ping(PingType.SUCCESS, at(400)));
            assertThat(m.nextAlertAt).isEqualTo(at(400));
            advance(m, at(401));
            assertFlips("PAUSED>UP resumed @" + t(400), "UP>MAINTENANCE maintenance @" + t(400));
        }

        @Test
        void overlappingAndTouchingWindowsAreOneMaintenance() {
            Monitor m = withWindows(inState(Status.UP), at(1), window(100, 300), window(200, 400), window(400, 500));
            advance(m, at(501));
            assertFlips("UP>MAINTENANCE maintenance @" + t(100), "MAINTENANCE>UP maintenance-ended @" + t(500));
        }

        @Test
        void aRecurringWindowOpensAtEachTickInItsTimeZone() {
            Monitor m = monitor(); // 2026-11-23 is a Monday; Oslo is UTC+1 in November
            withWindows(m, at(1), new Maintenance.Recurring(Schedule.cron("0 2 * * 6", "Europe/Oslo"), Duration.ofHours(2)));
            Instant start = Instant.parse("2026-11-28T01:00:00Z");
            assertThat(Maintenance.of(m).currentOrNext(at(1))).isEqualTo(new Maintenance.Span(start, start.plusSeconds(7200)));
            assertThat(m.nextAlertAt).as("a NEW monitor wakes the sweep at the window's start").isEqualTo(start);
            apply(m, ping(PingType.SUCCESS, start.minusSeconds(60)));
            flips.clear();
            advance(m, start.plusSeconds(7201));
            assertFlips("UP>MAINTENANCE maintenance @" + start.getEpochSecond() % 100_000,
                    "MAINTENANCE>UP maintenance-ended @" + start.plusSeconds(7200).getEpochSecond() % 100_000);
            assertThat(m.nextAlertAt).isEqualTo(start.plusSeconds(7200).plus(EVERY));
        }

        @Test
        void windowsRemovedDuringMaintenanceEndItAtTheChange() {
            Monitor m = withWindows(inState(Status.UP), at(1), window(100, 400));
            advance(m, at(101));
            flips.clear();
            withWindows(m, at(200));
            assertThat(m.nextAlertAt).isEqualTo(at(200));
            advance(m, at(201));
            assertFlips("MAINTENANCE>UP maintenance-ended @" + t(200));
        }

        @Test
        void windowsAddedInsideAWindowApplyFromTheChangeNotBefore() {
            Monitor m = withWindows(inState(Status.UP), at(150), window(100, 400));
            assertThat(m.nextAlertAt).isEqualTo(at(150));
            advance(m, at(151));
            assertFlips("UP>MAINTENANCE maintenance @" + t(150));
        }
    }

    // Dependencies: which parent holds a dependent's alert, and what becomes of a held DOWN.

    private static final UUID DB = UUID.randomUUID();
    private static final UUID NET = UUID.randomUUID();

    @Test
    void aDependentsLateAndDownAreHeldWhileAParentIsDownThenLate() {
        List<UUID> parents = List.of(NET, DB);
        assertThat(MonitorRules.heldBy(parents, Map.of(NET, Status.UP, DB, Status.DOWN), Status.DOWN)).isEqualTo(DB);
        assertThat(MonitorRules.heldBy(parents, Map.of(NET, Status.LATE, DB, Status.UP), Status.LATE)).isEqualTo(NET);
        // a DOWN parent is named before a LATE one, whatever their order
        assertThat(MonitorRules.heldBy(parents, Map.of(NET, Status.LATE, DB, Status.DOWN), Status.DOWN)).isEqualTo(DB);
    }

    @Test
    void aDependentAlertsAsUsualWhenNoParentIsLateOrDown() {
        List<UUID> parents = List.of(NET, DB);
        for (Status parent : List.of(Status.NEW, Status.UP, Status.PAUSED)) {
            assertThat(MonitorRules.heldBy(parents, Map.of(NET, parent, DB, Status.UP), Status.DOWN)).isNull();
        }
        // a deleted parent holds nothing; nor does a monitor with no parents
        assertThat(MonitorRules.heldBy(parents, Map.of(), Status.DOWN)).isNull();
        assertThat(MonitorRules.heldBy(List.of(), Map.of(), Status.DOWN)).isNull();
    }

    @Test
    void onlyLateAndDownAreHeld() {
        for (Status to : List.of(Status.UP, Status.NEW, Status.PAUSED)) {
            assertThat(MonitorRules.heldBy(List.of(DB), Map.of(DB, Status.DOWN), to)).isNull();
        }
    }

    // a ping the monitor does not take (Healthchecks' methods = "POST", a GET): counted, ignored, no state change

    @Test
    void anIgnoredPingChangesNoStatusAndNoLastPingButIsCounted() {
        for (Status status : Status.values()) {
            flips.clear();
            Monitor m = inState(status);
            Instant lastPing = m.lastPingAt;
            Status before = m.status;
            long count = m.pingCount;
            MonitorRules.Applied applied = MonitorRules.applyIgnoredPing(m, ping(PingType.FAIL, at(10)), at(10).plusMillis(200));
            assertThat(applied.ignored()).isTrue();
            assertThat(applied.transitions()).isEmpty();
            assertThat(m.status).isEqualTo(before);
            assertThat(m.lastPingAt).isEqualTo(lastPing);
            assertThat(m.pingCount).isEqualTo(count + 1);
        }
    }

    @Test
    void aHeldDownIsSentOnceEveryParentIsNeitherLateNorDownIfStillDownFromIt() {
        Monitor m = inState(Status.DOWN);
        m.dependsOn = List.of(NET, DB);
        long held = m.flipSequence;
        assertThat(MonitorRules.release(m, held, Map.of(NET, Status.UP, DB, Status.DOWN))).isEqualTo(MonitorRules.HeldAlert.HOLD);
        assertThat(MonitorRules.release(m, held, Map.of(NET, Status.LATE, DB, Status.UP))).isEqualTo(MonitorRules.HeldAlert.HOLD);
        assertThat(MonitorRules.release(m, held, Map.of(NET, Status.UP, DB, Status.UP))).isEqualTo(MonitorRules.HeldAlert.SEND);
        assertThat(MonitorRules.release(m, held, Map.of(NET, Status.PAUSED))).isEqualTo(MonitorRules.HeldAlert.SEND);
    }

    @Test
    void aHeldDownOfAMonitorThatFlippedSinceSendsNothing() {
        Monitor m = inState(Status.DOWN);
        m.dependsOn = List.of(DB);
        long held = m.flipSequence;
        apply(m, ping(PingType.SUCCESS, at(10)));
        assertThat(MonitorRules.release(m, held, Map.of(DB, Status.UP))).isEqualTo(MonitorRules.HeldAlert.DROP);
        apply(m, ping(PingType.FAIL, at(20)));
        // DOWN again, but from a later flip: the held one is not the outage it is in
        assertThat(MonitorRules.release(m, held, Map.of(DB, Status.UP))).isEqualTo(MonitorRules.HeldAlert.DROP);
    }

    @Test
    void aReleasedAlertSaysWhichParentHeldIt() {
        assertThat(MonitorRules.releasedText("failure signal", "db", true)).isEqualTo("failure signal (held while db was down)");
        assertThat(MonitorRules.releasedText("missed check-in: due 10:00:00Z, grace 5m", "db", false))
                .isEqualTo("missed check-in: due 10:00:00Z, grace 5m (held while db was late)");
    }

    @Test
    void anIgnoredPingStillDeclaresTheDeadlinesBeforeIt() {
        Monitor m = inState(Status.UP);
        MonitorRules.Applied applied = MonitorRules.applyIgnoredPing(m, ping(PingType.SUCCESS, at(1000)), at(1000));
        assertThat(applied.transitions()).extracting(Transition::to).containsExactly(Status.LATE, Status.DOWN);
        assertThat(m.status).isEqualTo(Status.DOWN);
    }
}
