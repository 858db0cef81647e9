package io.vigil.evaluator.rest;

/** A request without a valid API key (401) or a read-only key on a write (403). */
public class AccessDeniedException extends RuntimeException {

    private final int status;

    public AccessDeniedException(int status, String detail) {
        super(detail);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
