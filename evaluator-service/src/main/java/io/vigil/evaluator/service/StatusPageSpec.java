package io.vigil.evaluator.service;

import java.util.List;
import java.util.UUID;

/**
 * A status page as a request writes it, already parsed; {@code monitors} as given (their index names a missing one),
 * {@code errors} the fields that could not be parsed.
 */
public record StatusPageSpec(String slug, String title, String description, List<UUID> monitors, List<String> tags,
                             List<FieldError> errors) {
}
