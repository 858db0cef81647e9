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

    /**
     * A single-line text field; blank counts as absent for a required field. A control character (C0, DEL, C1)
     * or a Unicode line or paragraph separator anywhere in it is refused: names end up in email subjects, HTTP
     * headers and chat messages, where a line break could inject headers or fake lines.
     */
    String text(String field, boolean required, int maxLength) {
        return text(field, required, maxLength, false);
    }

    /** A free text that may span lines: like {@link #text}, but tab, LF and CR are allowed. */
    String paragraph(String field, int maxLength) {
        return text(field, false, maxLength, true);
    }

    private String text(String field, boolean required, int maxLength, boolean lines) {
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
        if (hasControl(value.asText(), lines)) {
            error(field, lines ? "must not contain control characters other than tab and line breaks"
                    : "must be a single line without control characters");
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

    /** A whole number from {@code min} to {@code max}; absent or null is {@code fallback}. */
    int integer(String field, int min, int max, int fallback) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < min || value.asInt() > max) {
            error(field, "must be a whole number from " + min + " to " + max);
            return fallback;
        }
        return value.asInt();
    }

    /** A boolean; absent or null is false. */
    boolean flag(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            error(field, "must be true or false");
            return false;
        }
        return value.asBoolean();
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
            if (!item.isTextual() || item.asText().isBlank() || item.asText().length() > maxLength
                    || hasControl(item.asText(), false)) {
                error(field + "[" + i + "]", "must be a non-blank string of at most " + maxLength + " characters");
            } else {
                out.add(item.asText().strip());
            }
        }
        return out;
    }

    /**
     * Whether {@code text} holds a C0 control, DEL, a C1 control or U+2028/U+2029; with {@code lines}, tab, LF
     * and CR are allowed.
     */
    static boolean hasControl(String text, boolean lines) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (lines && (c == '\t' || c == '\n' || c == '\r')) {
                continue;
            }
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029') {
                return true;
            }
        }
        return false;
    }

    /** Throws the 400 naming every bad field, if there is one. */
    void check() {
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors.size() == 1 ? "The request has an invalid field."
                    : "The request has " + errors.size() + " invalid fields.", errors);
        }
    }
}
