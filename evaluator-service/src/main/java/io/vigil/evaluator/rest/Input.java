package io.vigil.evaluator.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.evaluator.service.FieldError;
import io.vigil.evaluator.service.InvalidRequestException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A request body being read field by field: strict JSON (no duplicate keys, no trailing data), the
 * server's own fields ignored, any other unknown field refused, and every problem collected so one 400
 * names each bad field.
 */
final class Input {

    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final ObjectNode node;
    private final List<FieldError> errors = new ArrayList<>();

    private Input(ObjectNode node) {
        this.node = node;
    }

    /** Parses a body that must be one JSON object; anything else is a 400 naming no class or position. */
    static ObjectNode object(String body) {
        JsonNode parsed;
        try {
            parsed = body == null || body.isBlank() ? null : STRICT.readTree(body);
        } catch (IOException e) {
            throw new InvalidRequestException("The request body is not valid JSON.", List.of());
        }
        if (parsed == null || !parsed.isObject()) {
            throw new InvalidRequestException("The request body must be a JSON object.", List.of());
        }
        return (ObjectNode) parsed;
    }

    /** Reads {@code node}: fields in {@code ignored} are skipped, fields in neither set are errors. */
    static Input of(ObjectNode node, Set<String> writable, Set<String> ignored) {
        Input input = new Input(node);
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!writable.contains(name) && !ignored.contains(name)) {
                input.error(name, "is not a known field");
            }
        }
        return input;
    }

    ObjectNode node() {
        return node;
    }

    /** True when the field is present and not null. */
    boolean has(String field) {
        JsonNode value = node.get(field);
        return value != null && !value.isNull();
    }

    JsonNode raw(String field) {
        return node.get(field);
    }

    void error(String field, String message) {
        errors.add(new FieldError(field, message));
    }

    List<FieldError> errors() {
        return errors;
    }

    /** A text field; blank counts as absent for a required field. */
    String text(String field, boolean required, int maxLength) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                error(field, "is required");
            }
            return null;
        }
        if (!value.isTextual()) {
            error(field, "must be a string");
            return null;
        }
        String text = value.asText().strip();
        if (required && text.isEmpty()) {
            error(field, "must not be blank");
            return null;
        }
        if (text.length() > maxLength) {
            error(field, "must be at most " + maxLength + " characters");
            return null;
        }
        return text;
    }

    /** A list of strings; absent or null is empty. */
    List<String> texts(String field, int maxItems, int maxLength) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            error(field, "must be a list of strings");
            return List.of();
        }
        if (value.size() > maxItems) {
            error(field, "may hold at most " + maxItems + " items");
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            if (!item.isTextual() || item.asText().isBlank() || item.asText().length() > maxLength) {
                error(field + "[" + i + "]", "must be a non-blank string of at most " + maxLength + " characters");
            } else {
                out.add(item.asText().strip());
            }
        }
        return out;
    }

    /** Throws the 400 naming every bad field, if there is one. */
    void check() {
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors.size() == 1 ? "The request has an invalid field."
                    : "The request has " + errors.size() + " invalid fields.", errors);
        }
    }
}
