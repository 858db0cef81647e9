package io.vigil.notifier;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.function.DoubleSupplier;

/**
 * When to try a failed delivery again: exponential backoff with jitter, or what the target's {@code Retry-After}
 * asks, clamped to the give-up time ({@code giveUpAfter} since the first attempt), after which the delivery is given
 * up. A Retry-After beyond the give-up time gets one last try at the give-up time; no value, however large, can push
 * a retry past it (or overflow the clock).
 */
public record RetryPolicy(Duration initialBackoff, Duration maxBackoff, Duration giveUpAfter) {

    /**
     * @param attempts       attempts made so far, including the one that just failed (1 or more)
     * @param firstAttemptAt when the first attempt was made
     * @param retryAfter     the target's Retry-After header, or null
     * @param random         a source of numbers in [0, 1) for the jitter
     * @return the next attempt's time (never after the give-up time), or null when the delivery should be given up
     */
    public Instant nextAttempt(int attempts, Instant firstAttemptAt, String retryAfter, Instant now, DoubleSupplier random) {
        Instant giveUp = firstAttemptAt.plus(giveUpAfter);
        if (!now.isBefore(giveUp)) {
            return null;
        }
        Duration left = Duration.between(now, giveUp);
        Duration asked = retryAfterDelay(retryAfter, now);
        if (asked != null) {
            return now.plus(asked.compareTo(left) > 0 ? left : asked);
        }
        long base = initialBackoff.toMillis();
        int exponent = Math.min(Math.max(attempts - 1, 0), 30);
        double millis = Math.min((double) base * (1L << exponent), (double) maxBackoff.toMillis());
        // jitter: between 75% and 125% of the backoff, so synchronised failures spread out
        Duration delay = Duration.ofMillis(Math.round(millis * (0.75 + 0.5 * random.getAsDouble())));
        Instant next = now.plus(delay);
        return next.isAfter(giveUp) ? null : next;
    }

    /**
     * The delay a Retry-After value asks for (delta-seconds or an HTTP date), or null when absent or unreadable. A
     * number of seconds too large for a {@code long} is read as the largest one: the caller clamps it.
     */
    public static Duration retryAfterDelay(String retryAfter, Instant now) {
        if (retryAfter == null || retryAfter.isBlank()) {
            return null;
        }
        String value = retryAfter.trim();
        if (value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            long seconds;
            try {
                seconds = Long.parseLong(value);
            } catch (NumberFormatException tooLarge) {
                seconds = Long.MAX_VALUE;
            }
            return Duration.ofSeconds(seconds);
        }
        try {
            Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration delay = Duration.between(now, at);
            return delay.isNegative() ? Duration.ZERO : delay;
        } catch (RuntimeException notDate) {
            return null;
        }
    }
}
