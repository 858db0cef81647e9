package io.vigil.notifier;

/**
 * What one send came back with, classified: delivered, worth retrying (5xx, 429, 408, timeouts,
 * connection errors) or permanently failed (400, 403, 404, 410 and other 4xx, refused targets,
 * unusable configuration).
 *
 * @param httpStatus the target's status, or null (email, or no answer)
 * @param retryAfter the target's Retry-After header, or null
 * @param error      for people, never containing a URL, secret or body; null when delivered
 */
public record SendResult(Outcome outcome, Integer httpStatus, String retryAfter, String error) {

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

    /** Classifies an HTTP answer. */
    public static SendResult ofHttp(int status, String retryAfter) {
        if (status >= 200 && status < 300) {
            return delivered(status);
        }
        String error = "target answered HTTP " + status;
        if (status == 408 || status == 429 || status >= 500 || status < 200 || (status >= 300 && status < 400)) {
            return new SendResult(Outcome.RETRY, status, retryAfter, error);
        }
        return new SendResult(Outcome.FAILED, status, null, error);
    }

    public static SendResult retry(String error) {
        return new SendResult(Outcome.RETRY, null, null, error);
    }

    public static SendResult failed(String error) {
        return new SendResult(Outcome.FAILED, null, null, error);
    }
}
