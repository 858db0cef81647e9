package io.vigil.evaluator.service;

import java.util.List;

/** A request that conflicts with the current state (slug taken, last full key, not paused): 409. */
public class ConflictException extends RuntimeException {

    private final transient List<FieldError> errors;

    public ConflictException(String detail) {
        this(detail, List.of());
    }

    public ConflictException(String detail, List<FieldError> errors) {
        super(detail);
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
