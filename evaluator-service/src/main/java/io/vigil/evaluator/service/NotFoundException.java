package io.vigil.evaluator.service;

/** The monitor, channel, key or ping asked for does not exist: 404. */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String detail) {
        super(detail);
    }
}
