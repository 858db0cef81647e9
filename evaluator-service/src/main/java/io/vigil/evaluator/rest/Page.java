package io.vigil.evaluator.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** Every list answer: {@code {"items":[...],"nextCursor":"..."|null}}. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Page<T>(List<T> items, String nextCursor) {

    static <T> Page<T> of(io.vigil.evaluator.service.Pages.Page<T> page) {
        return new Page<>(page.items(), page.nextCursor());
    }
}
