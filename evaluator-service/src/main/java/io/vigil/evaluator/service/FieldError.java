package io.vigil.evaluator.service;

/** One invalid field of a request: its JSON path ({@code schedule.every}) and what is wrong, for people. */
public record FieldError(String field, String message) {
}
