package io.vigil.contracts;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What one channel type is, in one place: its config fields (with their validation and which are secrets), the field
 * that names its target (for the address check, and to which its secrets are bound), the fields that identify one
 * rate-limited target, its default rate limit and whether alert storms are merged into digests. The evaluator
 * validates and masks with it, the notifier sends with it; {@link ChannelType} holds one per type.
 *
 * @param fields      the config fields, in the order answers show them
 * @param targetField the URL field the channel sends to, or null when the provider's address is fixed (configured in
 *                    the notifier) or there is none (email)
 * @param rateKey     the fields whose values together are one rate-limited target (none: the channel is)
 * @param rate        the least time between two messages to one target by default; zero for none
 * @param digested    whether alert storms go out as digests (chat and push types) or one by one (incidents, webhooks)
 */
public record ChannelDefinition(List<Field> fields, String targetField, List<String> rateKey, Duration rate, boolean digested) {

    /** How a field is written and checked. */
    public enum Kind {
        /** An absolute http or https URL of at most 2048 characters. */
        URL,
        /** A single-line text. */
        TEXT,
        /** A list of 1 to 50 email addresses. */
        EMAILS,
        /** An object of HTTP header names to single-line values (the values are secrets when the field is). */
        HEADERS,
        /** An integer between {@code min} and {@code max}. */
        INT,
        /** One of {@code choices}, case-insensitive, stored as the choice is written. */
        CHOICE
    }

    /**
     * One config field.
     *
     * @param secret       masked in every answer (a URL keeps its scheme, host and port), and only kept from a masked value
     *                     while the target is unchanged
     * @param defaultValue the value of an omitted optional field (null: the field is stored as null)
     * @param pattern      for a text, what it must match (null: any single line of 1 to {@code max} characters)
     * @param movable      the provider may move what it names (a Telegram group that became a supergroup has a new chat
     *                     id): the notifier reports the new value with a delivery's outcome and the evaluator stores it
     */
    public record Field(String name, Kind kind, boolean required, boolean secret, Object defaultValue, int min, int max,
                        List<String> choices, Pattern pattern, String hint, boolean movable) {

        public static Field url(String name) {
            return new Field(name, Kind.URL, true, false, null, 0, 2048, List.of(), null, null, false);
        }

        public static Field text(String name, int max) {
            return new Field(name, Kind.TEXT, true, false, null, 1, max, List.of(), null, null, false);
        }

        public static Field emails(String name) {
            return new Field(name, Kind.EMAILS, true, false, null, 1, 50, List.of(), null, null, false);
        }

        public static Field headers(String name) {
            return new Field(name, Kind.HEADERS, false, true, Map.of(), 0, 4096, List.of(), null, null, false);
        }

        public static Field integer(String name, int min, int max) {
            return new Field(name, Kind.INT, false, false, null, min, max, List.of(), null, null, false);
        }

        public static Field choice(String name, String... choices) {
            return new Field(name, Kind.CHOICE, false, false, null, 0, 0, List.of(choices), null, null, false);
        }

        /** This field, a secret. */
        public Field asSecret() {
            return new Field(name, kind, required, true, defaultValue, min, max, choices, pattern, hint, movable);
        }

        /** This field, optional (stored as null when omitted). */
        public Field optional() {
            return new Field(name, kind, false, secret, defaultValue, min, max, choices, pattern, hint, movable);
        }

        /** This field, optional, {@code value} when omitted. */
        public Field orElse(Object value) {
            return new Field(name, kind, false, secret, value, min, max, choices, pattern, hint, movable);
        }

        /** This field, {@link #movable} by the provider (never a secret: the new value travels in a delivery outcome). */
        public Field asMovable() {
            return new Field(name, kind, required, false, defaultValue, min, max, choices, pattern, hint, true);
        }

        /** This text field, matching {@code regex}; {@code hint} says what it must be. */
        public Field matching(String regex, String hint) {
            return new Field(name, kind, required, secret, defaultValue, min, max, choices, Pattern.compile(regex), hint, movable);
        }
    }

    public ChannelDefinition {
        fields = List.copyOf(fields);
        rateKey = List.copyOf(rateKey);
    }

    /** The field called {@code name}. */
    public Optional<Field> field(String name) {
        return fields.stream().filter(field -> field.name().equals(name)).findFirst();
    }

    /** The names of the fields, in order. */
    public List<String> fieldNames() {
        return fields.stream().map(Field::name).toList();
    }
}
