package io.vigil.notifier;

import io.vigil.contracts.DeliveryAttempted.ConfigChange;

/**
 * What one send came back with, classified: delivered, worth retrying (5xx, 429, 408, timeouts,
 * connection errors) or permanently failed (3xx: redirects are never followed; 400, 403, 404, 410 and
 * other 4xx, refused targets, unusable configuration).
 *
 * @param httpStatus the target's status, or null (email, or no answer)
 * @param retryAfter the target's Retry-After header, or null
 * @param error      for people, never containing the target's URL, a secret or a body (a redirect's
 *                   {@code Location} is named, without its query or user info); null when delivered
 * @param configChange the channel's config fields the provider moved (a Telegram chat that became a supergroup), or null
 */
public record SendResult(Outcome outcome, Integer httpStatus, String retryAfter, String error, ConfigChange configChange) {

    public SendResult(Outcome outcome, Integer httpStatus, String retryAfter, String error) {
        this(outcome, httpStatus, retryAfter, error, null);
    }

    /** This result, reporting that the provider moved the channel's {@code change.from()} fields to {@code change.to()}. */
    public SendResult withConfigChange(ConfigChange change) {
        return new SendResult(outcome, httpStatus, retryAfter, error, change);
    }

    /** How an attempt ended. */
    public enum Outcome {
        DELIVERED, RETRY, FAILED;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static SendResult delivered(Integer httpStatus) {
        return new SendResult(Outcome.DELIVERED, httpStatus, null, null);
    }

    /** Classifies an HTTP answer that carried no {@code Location}. */
    public static SendResult ofHttp(int status, String retryAfter) {
        return ofHttp(status, retryAfter, null);
    }

    /**
     * Classifies an HTTP answer. A redirect is a permanent failure (a moved Slack, Teams or webhook target needs
     * its channel edited; following it would send the message, and its headers, somewhere nobody checked), with
     * where it pointed in the error.
     */
    public static SendResult ofHttp(int status, String retryAfter, String location) {
        if (status >= 200 && status < 300) {
            return delivered(status);
        }
        String error = "target answered HTTP " + status;
        if (status >= 300 && status < 400) {
            String where = redirectTarget(location);
            return new SendResult(Outcome.FAILED, status, null, error + " (a redirect, not followed"
                    + (where == null ? "" : "; Location: " + where) + ")");
        }
        if (status == 408 || status == 429 || status >= 500 || status < 200) {
            return new SendResult(Outcome.RETRY, status, retryAfter, error);
        }
        return new SendResult(Outcome.FAILED, status, null, error);
    }

    /**
     * A Location value fit for the attempt's error: without user info, query or fragment (they may carry
     * credentials), without control characters, at most 300 characters; null when absent.
     */
    static String redirectTarget(String location) {
        if (location == null || location.isBlank()) {
            return null;
        }
        String value = location.strip();
        int cut = value.length();
        for (char stop : new char[] {'?', '#'}) {
            int at = value.indexOf(stop);
            if (at >= 0 && at < cut) {
                cut = at;
            }
        }
        value = value.substring(0, cut);
        int scheme = value.indexOf("://");
        if (scheme >= 0) {
            int authorityEnd = value.indexOf('/', scheme + 3);
            String authority = authorityEnd < 0 ? value.substring(scheme + 3) : value.substring(scheme + 3, authorityEnd);
            int at = authority.lastIndexOf('@');
            if (at >= 0) {
                value = value.substring(0, scheme + 3) + authority.substring(at + 1)
                        + (authorityEnd < 0 ? "" : value.substring(authorityEnd));
            }
        }
        StringBuilder clean = new StringBuilder();
        value.codePoints().filter(c -> !Character.isISOControl(c)).forEach(clean::appendCodePoint);
        return clean.length() > 300 ? clean.substring(0, 300) + "…" : clean.toString();
    }

    public static SendResult retry(String error) {
        return new SendResult(Outcome.RETRY, null, null, error);
    }

    public static SendResult failed(String error) {
        return new SendResult(Outcome.FAILED, null, null, error);
    }
}
