package io.vigil.evaluator.web.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How numbers and durations are written on the status pages. */
class StatusViewsTest {

    @Test
    void jsonUptimeHasFourDecimalsAndPagesTwoThatNeverRoundUpTo100() {
        assertThat(StatusViews.rounded(100.0 * 30 / 36)).isEqualTo(83.3333);
        assertThat(StatusViews.rounded(100.0 * 2 / 3)).isEqualTo(66.6667);
        assertThat(StatusViews.rounded(null)).isNull();
        assertThat(StatusViews.shown(99.9999)).isEqualTo("99.99%");
        assertThat(StatusViews.shown(100.0)).isEqualTo("100.00%");
        assertThat(StatusViews.shown(null)).isEqualTo("no data");
    }

    @Test
    void durationsAreIsoInJsonAndShortForPeople() {
        assertThat(StatusViews.iso(Duration.ofMinutes(150).plusNanos(1_234_567))).isEqualTo("PT2H30M0.001S");
        assertThat(StatusViews.human(Duration.ofMinutes(150))).isEqualTo("2h 30m");
        assertThat(StatusViews.human(Duration.ofDays(2).plusHours(3).plusMinutes(4))).isEqualTo("2d 3h");
        assertThat(StatusViews.human(Duration.ofSeconds(310))).isEqualTo("5m 10s");
        assertThat(StatusViews.human(Duration.ofSeconds(45))).isEqualTo("45s");
    }
}
