package io.vigil.evaluator.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ScheduleWordsTest {

    @Test
    void intervalsAreSaidInTheirLargestWholeUnit() {
        assertThat(ScheduleWords.every(Duration.ofMinutes(5))).isEqualTo("every 5 minutes");
        assertThat(ScheduleWords.every(Duration.ofMinutes(1))).isEqualTo("every minute");
        assertThat(ScheduleWords.every(Duration.ofHours(1))).isEqualTo("every hour");
        assertThat(ScheduleWords.every(Duration.ofDays(1))).isEqualTo("every day");
        assertThat(ScheduleWords.every(Duration.ofDays(7))).isEqualTo("every 7 days");
        assertThat(ScheduleWords.every(Duration.ofSeconds(30))).isEqualTo("every 30 seconds");
        assertThat(ScheduleWords.every(Duration.ofMinutes(90))).isEqualTo("every 90 minutes");
        assertThat(ScheduleWords.every(Duration.ofSeconds(90))).isEqualTo("every 1m30s");
    }

    @Test
    void commonCronShapesAreSaidInWordsWithTheirZone() {
        assertThat(ScheduleWords.cron("0 3 * * *", "Europe/Oslo")).isEqualTo("03:00 Europe/Oslo daily");
        assertThat(ScheduleWords.cron("30 2 * * 1", "UTC")).isEqualTo("02:30 UTC on Mondays");
        assertThat(ScheduleWords.cron("0 9 * * 1-5", "UTC")).isEqualTo("09:00 UTC on weekdays");
        assertThat(ScheduleWords.cron("0 9 * * 1,3,5", "UTC")).isEqualTo("09:00 UTC on Mon, Wed, Fri");
        assertThat(ScheduleWords.cron("15 * * * *", "UTC")).isEqualTo("hourly at :15");
        assertThat(ScheduleWords.cron("*/10 * * * *", "UTC")).isEqualTo("every 10 minutes");
        assertThat(ScheduleWords.cron("0 */6 * * *", "UTC")).isEqualTo("every 6 hours at :00 UTC");
        assertThat(ScheduleWords.cron("0 4 1 * *", "UTC")).isEqualTo("04:00 UTC on day 1 of each month");
        assertThat(ScheduleWords.cron("0 4 1-7 * 0", "UTC")).isEqualTo("cron 0 4 1-7 * 0 (UTC)");
    }
}
