package io.vigil.evaluator.service;

/**
 * The notifier could not answer a channel test: unreachable or timed out (503), answered with an error
 * (502), or does not know the channel yet (503, try again shortly).
 */
public class NotifierUnavailableException extends RuntimeException {

    private final int status;

    public NotifierUnavailableException(int status, String detail) {
        super(detail);
        this.status = status;
    }

    /** 502 or 503. */
    public int status() {
        return status;
    }
}
