package io.vigil.notifier;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.function.DoubleSupplier;

/**
 * When to try a failed delivery again: exponential backoff with jitter, or exactly what the target's
 * {@code Retry-After} asks, until {@code giveUpAfter} has passed since the first attempt.
 */
public record RetryPolicy(Duration initialBackoff, Duration maxBackoff, Duration giveUpAfter) {

    /**
     * @param attempts       attempts made so far, including the one that just failed (1 or more)
     * @param firstAttemptAt when the first attempt was made
     * @param retryAfter     the target's Retry-After header, or null
     * @param random         a source of numbers in [0, 1) for the jitter
     * @return the next attempt's time, or null when the delivery should be given up
     */
    public Instant nextAttempt(int attempts, Instant firstAttemptAt, String retryAfter, Instant now, DoubleSupplier random) {
        Duration delay = retryAfterDelay(retryAfter, now);
        if (delay == null) {
            long base = initialBackoff.toMillis();
            int exponent = Math.min(Math.max(attempts - 1, 0), 30);
            double millis = Math.min((double) base * (1L << exponent), (double) maxBackoff.toMillis());
            // jitter: between 75% and 125% of the backoff, so synchronised failures spread out
            delay = Duration.ofMillis(Math.round(millis * (0.75 + 0.5 * random.getAsDouble())));
        }
        Instant next = now.plus(delay);
        if (next.isAfter(firstAttemptAt.plus(giveUpAfter))) {
            return null;
        }
        return next;
    }

    /** The delay a Retry-After value asks for (delta-seconds or an HTTP date), or null when absent or unreadable. */
    public static Duration retryAfterDelay(String retryAfter, Instant now) {
        if (retryAfter == null || retryAfter.isBlank()) {
            return null;
        }
        String value = retryAfter.trim();
        try {
            long seconds = Long.parseLong(value);
            return Duration.ofSeconds(Math.max(0, seconds));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration delay = Duration.between(now, at);
                return delay.isNegative() ? Duration.ZERO : delay;
            } catch (RuntimeException notDate) {
                return null;
            }
        }
    }
}
