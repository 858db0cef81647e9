package io.vigil.evaluator.web;

import io.vigil.evaluator.service.FieldError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why a form was refused, each message put beside the input it is about: the API's {@link FieldError}s (their JSON
 * paths, such as {@code config.to[1]} or {@code monitors[0]}) are matched to the form's fields ({@code config.to},
 * {@code monitors}); a message about no field of the form is shown above it. The messages are the API's own.
 */
public final class FieldMessages {

    private static final Pattern INDEX = Pattern.compile("^(.*)\\[(\\d+)]$");
    private static final FieldMessages NONE = new FieldMessages(null, Map.of(), List.of());

    private final String summary;
    private final Map<String, List<String>> byField;
    private final List<String> general;

    private FieldMessages(String summary, Map<String, List<String>> byField, List<String> general) {
        this.summary = summary;
        this.byField = byField;
        this.general = general;
    }

    /** No messages: a form shown for the first time. */
    public static FieldMessages none() {
        return NONE;
    }

    /**
     * The messages of a refusal.
     *
     * @param summary the refusal's detail ("The request has 2 invalid fields.")
     * @param fields  the names of the form's inputs
     * @param label   an input's label, for the sentence beside it
     */
    static FieldMessages of(String summary, List<FieldError> errors, Set<String> fields, Function<String, String> label) {
        Map<String, List<String>> byField = new LinkedHashMap<>();
        List<String> general = new ArrayList<>();
        for (FieldError error : errors) {
            String path = error.field() == null ? "" : error.field();
            String item = "";
            Matcher indexed = INDEX.matcher(path);
            if (indexed.matches()) {
                path = indexed.group(1);
                item = " (item " + (Integer.parseInt(indexed.group(2)) + 1) + ")";
            }
            String field = path;
            String sub = "";
            while (!fields.contains(field) && field.lastIndexOf('.') > 0) {
                sub = field.substring(field.lastIndexOf('.') + 1) + (sub.isEmpty() ? "" : "." + sub);
                field = field.substring(0, field.lastIndexOf('.'));
            }
            if (fields.contains(field)) {
                String about = label.apply(field) + item + (sub.isEmpty() ? "" : ": " + sub);
                byField.computeIfAbsent(field, name -> new ArrayList<>()).add(about + " " + error.message());
            } else {
                general.add((error.field() == null ? "" : error.field() + " ") + error.message());
            }
        }
        return new FieldMessages(summary, byField, general);
    }

    /** Whether the form was refused. */
    public boolean any() {
        return summary != null;
    }

    /** The refusal's detail, or "" for a form shown for the first time. */
    public String summary() {
        return summary == null ? "" : summary;
    }

    /** Whether the field has a message (its input is marked {@code aria-invalid}). */
    public boolean has(String field) {
        return byField.containsKey(field);
    }

    /** The field's messages as one sentence each, or "". */
    public String message(String field) {
        return String.join("; ", byField.getOrDefault(field, List.of()));
    }

    /** Messages about no field of the form. */
    public List<String> general() {
        return general;
    }
}
