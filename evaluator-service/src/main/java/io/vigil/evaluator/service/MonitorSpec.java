package io.vigil.evaluator.service;

import io.vigil.evaluator.Schedule;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * A monitor's writable fields as a request gave them, checked for shape; {@link Monitors} checks what
 * needs the database (channels exist, slug and token free) and refuses the request naming all problems.
 *
 * @param slug       null: made from the name (create) or kept (replace)
 * @param schedule   null only when it was invalid (then {@code errors} says why)
 * @param grace      null: the schedule's default grace
 * @param maxRuntime null: grace bounds a run
 * @param token      null: generated (create) or kept (replace)
 * @param dependsOn  the parent monitors' ids (checked by {@link Dependencies}); empty: none
 * @param errors     problems already found
 */
public record MonitorSpec(String name, String slug, String description, List<String> tags, Schedule schedule,
                          Duration grace, Duration maxRuntime, List<UUID> channels, String token,
                          List<UUID> dependsOn, List<FieldError> errors) {
}
