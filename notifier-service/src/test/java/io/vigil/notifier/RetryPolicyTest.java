package io.vigil.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(10), Duration.ofHours(1), Duration.ofHours(24));
    private final Instant now = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void backsOffExponentiallyWithJitterUpToTheMaximum() {
        assertThat(policy.nextAttempt(1, now, null, now, () -> 0.5)).isEqualTo(now.plusSeconds(10));
        assertThat(policy.nextAttempt(3, now, null, now, () -> 0.5)).isEqualTo(now.plusSeconds(40));
        assertThat(policy.nextAttempt(3, now, null, now, () -> 0.0)).isEqualTo(now.plusSeconds(30));
        assertThat(policy.nextAttempt(3, now, null, now, () -> 0.999)).isBefore(now.plusSeconds(50));
        assertThat(policy.nextAttempt(20, now, null, now, () -> 0.5)).isEqualTo(now.plus(Duration.ofHours(1)));
    }

    @Test
    void honoursRetryAfterInSecondsOrAsAnHttpDate() {
        assertThat(policy.nextAttempt(1, now, "120", now, () -> 0.5)).isEqualTo(now.plusSeconds(120));
        assertThat(policy.nextAttempt(1, now, "Mon, 23 Nov 2026 10:05:00 GMT", now, () -> 0.5)).isEqualTo(now.plusSeconds(300));
        assertThat(policy.nextAttempt(1, now, "soon", now, () -> 0.5)).isEqualTo(now.plusSeconds(10));
    }

    @Test
    void givesUpAfterADay() {
        Instant first = now.minus(Duration.ofHours(23)).minusSeconds(3590);
        assertThat(policy.nextAttempt(30, first, null, now, () -> 0.5)).isNull();
        assertThat(policy.nextAttempt(2, now.minus(Duration.ofHours(1)), null, now, () -> 0.5)).isNotNull();
    }

    @Test
    void clampsAnyRetryAfterToTheGiveUpTime() {
        Instant first = now.minus(Duration.ofHours(23));
        Instant giveUp = first.plus(Duration.ofHours(24));
        assertThat(policy.nextAttempt(1, first, "9223372036854775807", now, () -> 0.5)).isEqualTo(giveUp);
        assertThat(policy.nextAttempt(1, first, "99999999999999999999999", now, () -> 0.5)).isEqualTo(giveUp);
        assertThat(policy.nextAttempt(1, first, "Fri, 31 Dec 9999 23:59:59 GMT", now, () -> 0.5)).isEqualTo(giveUp);
        assertThat(policy.nextAttempt(1, first, "7200", now, () -> 0.5)).isEqualTo(giveUp);
        assertThat(policy.nextAttempt(1, first, "60", now, () -> 0.5)).isEqualTo(now.plusSeconds(60));
        assertThat(policy.nextAttempt(2, first, "60", giveUp, () -> 0.5)).isNull();
    }
}
