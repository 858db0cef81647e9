package io.vigil.evaluator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({
            "PT5M, PT5M", "P1D, PT24H", "P1W, PT168H", "pt90s, PT1M30S", "PT0S, PT0S",
            "90s, PT1M30S", "5m, PT5M", "2h, PT2H", "1d, PT24H", "1w, PT168H", "' 10 s ', PT10S",
            "every 5 minutes, PT5M", "every 1 minute, PT1M", "every 1 hour, PT1H", "every 30 seconds, PT30S",
            "every 2 days, PT48H", "every 1 week, PT168H", "Every 5 Mins, PT5M", "every 10 sec, PT10S", "every 3 h, PT3H"
    })
    void acceptsIsoShortFormsAndLaterPhrases(String text, String iso) {
        assertThat(Durations.format(Durations.parse(text))).isEqualTo(iso);
    }

    @ParameterizedTest
    @ValueSource(strings = {"every 1 hr", "every hour", "every 0 minutes", "5 minutes", "5x", "", "P1M", "-PT5M", "PT", "every 5 fortnights"})
    void refusesWhatLaterJsWouldMisreadOrReject(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("Exception");
    }

    @Test
    void saysWhatIsWrongWithAPhrase() {
        assertThatThrownBy(() -> Durations.parse("every 1 hr")).hasMessageContaining("every N seconds|minutes|hours|days|weeks");
    }

    @Test
    void writesCompactHumanForms() {
        assertThat(Durations.human(Duration.ofMinutes(5))).isEqualTo("5m");
        assertThat(Durations.human(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThat(Durations.human(Duration.ofDays(2))).isEqualTo("2d");
        assertThat(Durations.human(Duration.ZERO)).isEqualTo("0s");
    }
}
