package io.vigil.evaluator.web;

import io.vigil.evaluator.service.FieldError;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A refused form's messages by form field, for templates: {@code {errors.of('name')}} is the message next to the
 * input, {@code {errors.has('name')}} sets its {@code aria-invalid}. Messages of fields the form does not show are
 * listed at the top ({@link #others}).
 */
public final class FormErrors {

    private final String summary;
    private final Map<String, String> byField = new LinkedHashMap<>();
    private final List<String> others;

    private FormErrors(String summary, List<FieldError> errors, UnaryOperator<String> field, List<String> shown) {
        this.summary = summary;
        for (FieldError error : errors) {
            byField.merge(field.apply(error.field()), error.message(), (a, b) -> a + "; " + b);
        }
        others = byField.entrySet().stream().filter(entry -> !shown.contains(entry.getKey()))
                .map(entry -> entry.getKey() + " " + entry.getValue()).toList();
    }

    /** No errors: a form shown for the first time. */
    public static FormErrors none() {
        return new FormErrors(null, List.of(), UnaryOperator.identity(), List.of());
    }

    /** {@code errors} named by the API's fields, mapped to the form's by {@code field}; {@code shown}: the form's fields. */
    public static FormErrors of(String summary, List<FieldError> errors, UnaryOperator<String> field, List<String> shown) {
        return new FormErrors(summary, errors, field, shown);
    }

    public boolean any() {
        return summary != null;
    }

    public String summary() {
        return summary;
    }

    public boolean has(String field) {
        return byField.containsKey(field);
    }

    public String of(String field) {
        return byField.getOrDefault(field, "");
    }

    public List<String> others() {
        return others;
    }
}
