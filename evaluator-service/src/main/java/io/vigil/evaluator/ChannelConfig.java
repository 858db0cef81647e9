package io.vigil.evaluator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.vigil.contracts.ChannelDefinition;
import io.vigil.contracts.ChannelDefinition.Field;
import io.vigil.contracts.ChannelType;
import io.vigil.contracts.Json;
import java.net.URI;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * A channel's {@code config} checked, masked and unmasked by its type's definition ({@link ChannelDefinition}: which fields
 * it has, which are required, which are secrets). Secrets (webhook URLs, tokens, keys, header values) are masked in
 * every answer; a masked value sent back (a GET body PUT back) keeps the stored secret only while the target (scheme,
 * host, port, path) is the stored one.
 */
public final class ChannelConfig {

    /** What a masked secret shows in place of the hidden part. */
    public static final String MASK = "****";

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s,;<>]+@[^@\\s,;<>]+\\.[^@\\s,;<>]+$");
    private static final Pattern HEADER_NAME = Pattern.compile("^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$");

    private ChannelConfig() {
    }

    /**
     * Checks a config against its type's fields ({@link ChannelDefinition}) and answers its normalised form: every field of the
     * type, an omitted optional one as its default or null (a webhook's {@code method} POST, {@code headers} {},
     * {@code secret} null), a choice as the type writes it. Every problem is reported to {@code error} as (field path,
     * message); the target's URL is returned through {@code target} for the address policy.
     */
    public static ObjectNode normalise(ChannelType type, JsonNode config, BiConsumer<String, String> error,
                                       BiConsumer<String, String> target) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (config == null || config.isNull() || config.isMissingNode()) {
            error.accept("config", "is required");
            return out;
        }
        if (!config.isObject()) {
            error.accept("config", "must be an object");
            return out;
        }
        ChannelDefinition spec = type.definition();
        for (Iterator<String> names = config.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (spec.field(name).isEmpty()) {
                error.accept("config." + name, "is not a field of a " + type.json() + " channel");
            }
        }
        for (Field field : spec.fields()) {
            String path = "config." + field.name();
            JsonNode given = config.get(field.name());
            if (given == null || given.isNull()) {
                if (field.required()) {
                    error.accept(path, "is required");
                } else {
                    out.set(field.name(), Json.mapper().valueToTree(field.defaultValue()));
                }
            } else {
                JsonNode value = checked(field, path, given, error);
                if (value != null) {
                    out.set(field.name(), value);
                }
            }
            if (field.name().equals(spec.targetField()) && out.hasNonNull(field.name())) {
                target.accept(path, out.get(field.name()).asText());
            }
        }
        return out;
    }

    /** A given field value in its stored form, or null after reporting why it is not valid. */
    private static JsonNode checked(Field field, String path, JsonNode given, BiConsumer<String, String> error) {
        return switch (field.kind()) {
            case URL -> {
                String url = url(given, path, error);
                yield url == null ? null : TextNode.valueOf(url);
            }
            case TEXT -> text(field, path, given, error);
            case EMAILS -> emails(field, path, given, error);
            case HEADERS -> headers(path, given, error);
            case INT -> {
                if (!given.isIntegralNumber() || given.asLong() < field.min() || given.asLong() > field.max()) {
                    error.accept(path, "must be a whole number from " + field.min() + " to " + field.max());
                    yield null;
                }
                yield IntNode.valueOf(given.asInt());
            }
            case CHOICE -> {
                String choice = given.isTextual() ? field.choices().stream()
                        .filter(option -> option.equalsIgnoreCase(given.asText())).findFirst().orElse(null) : null;
                if (choice == null) {
                    error.accept(path, "must be one of " + String.join(", ", field.choices()));
                    yield null;
                }
                yield TextNode.valueOf(choice);
            }
        };
    }

    private static JsonNode text(Field field, String path, JsonNode given, BiConsumer<String, String> error) {
        String text = given.isTextual() ? given.asText() : null;
        if (text == null || text.isEmpty() || text.length() > field.max() || text.chars().anyMatch(c -> c < 32 || c == 127)) {
            error.accept(path, "must be a single-line text of 1 to " + field.max() + " characters"
                    + (field.required() ? "" : ", or null"));
            return null;
        }
        if (field.secret() && text.equals(MASK)) {
            error.accept(path, "is a masked value that matches no stored secret; send the secret");
            return null;
        }
        if (field.pattern() != null && !field.pattern().matcher(text).matches()) {
            error.accept(path, "must be " + field.hint());
            return null;
        }
        return TextNode.valueOf(text);
    }

    private static JsonNode emails(Field field, String path, JsonNode to, BiConsumer<String, String> error) {
        if (!to.isArray() || to.isEmpty()) {
            error.accept(path, "must be a non-empty list of email addresses");
            return null;
        }
        if (to.size() > field.max()) {
            error.accept(path, "may hold at most " + field.max() + " addresses");
            return null;
        }
        boolean valid = true;
        for (int i = 0; i < to.size(); i++) {
            JsonNode address = to.get(i);
            if (!address.isTextual() || address.asText().length() > 254 || !EMAIL.matcher(address.asText()).matches()) {
                error.accept(path + "[" + i + "]", "is not an email address");
                valid = false;
            }
        }
        return valid ? to.deepCopy() : null;
    }

    private static JsonNode headers(String path, JsonNode given, BiConsumer<String, String> error) {
        if (!given.isObject()) {
            error.accept(path, "must be an object of header names to values");
            return null;
        }
        ObjectNode headers = JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = given.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> header = it.next();
            if (!HEADER_NAME.matcher(header.getKey()).matches()) {
                error.accept(path, "has an invalid header name");
            } else if (!header.getValue().isTextual() || header.getValue().asText().length() > 4096
                    || header.getValue().asText().chars().anyMatch(c -> c == '\r' || c == '\n')) {
                error.accept(path + "." + header.getKey(), "must be a single-line text value");
            } else if (header.getValue().asText().equals(MASK)) {
                error.accept(path + "." + header.getKey(), "is a masked value that matches no stored header; send the value");
            } else {
                headers.put(header.getKey(), header.getValue().asText());
            }
        }
        return headers;
    }

    /** The config as answers show it: secret URLs cut after the host and port, other secrets and header values hidden. */
    public static ObjectNode masked(ChannelType type, ObjectNode config) {
        ObjectNode out = config.deepCopy();
        for (Field field : type.definition().fields()) {
            if (!field.secret() || !out.hasNonNull(field.name())) {
                continue;
            }
            switch (field.kind()) {
                case URL -> maskUrl(out, field.name());
                case HEADERS -> {
                    if (out.get(field.name()) instanceof ObjectNode headers) {
                        headers.fieldNames().forEachRemaining(name -> headers.put(name, MASK));
                    }
                }
                default -> out.put(field.name(), MASK);
            }
        }
        return out;
    }

    /**
     * Puts stored secrets back where a request sent their masked form, so a channel read with GET can be PUT back
     * unchanged. A value that differs from the mask is taken as new. A masked value stands for the stored one only while
     * the target is the stored one (same scheme, host, port and path of the type's target URL, see {@link #sameTarget};
     * a type whose provider address is fixed always has the same target): a webhook whose {@code url} changes must be
     * sent its {@code secret} and masked header values again, each one reported to {@code error} otherwise. A masked
     * secret URL (a Slack {@code webhookUrl}) shows its scheme, host and port and hides its path, so it stands for the
     * stored URL only when it is exactly the masked form of it.
     */
    public static ObjectNode unmasked(ChannelType type, JsonNode incoming, ChannelType storedType, ObjectNode stored,
                                      BiConsumer<String, String> error) {
        if (!(incoming instanceof ObjectNode given) || type != storedType || stored == null) {
            return incoming instanceof ObjectNode object ? object : null;
        }
        ObjectNode out = given.deepCopy();
        ObjectNode shown = masked(storedType, stored);
        ChannelDefinition spec = type.definition();
        for (Field field : spec.fields()) {
            if (field.secret() && field.kind() == ChannelDefinition.Kind.URL && out.has(field.name()) && stored.has(field.name())
                    && Objects.equals(out.get(field.name()), shown.get(field.name()))) {
                out.set(field.name(), stored.get(field.name()));
            }
        }
        String targetField = spec.targetField();
        boolean retargeted = targetField != null && !sameTarget(effective(spec, out, targetField), stored.path(targetField).asText(null));
        String because = targetField == null ? "" : ", but the " + targetField + "'s scheme, host, port or path changed";
        for (Field field : spec.fields()) {
            if (!field.secret() || field.kind() == ChannelDefinition.Kind.URL) {
                continue;
            }
            if (field.kind() == ChannelDefinition.Kind.HEADERS) {
                if (out.get(field.name()) instanceof ObjectNode headers) {
                    JsonNode storedHeaders = stored.path(field.name());
                    for (String name : iterable(headers.fieldNames())) {
                        if (!MASK.equals(headers.get(name).asText(null))) {
                            continue;
                        }
                        if (retargeted) {
                            error.accept("config." + field.name() + "." + name, "is masked" + because
                                    + "; send the header's value again");
                            headers.remove(name);
                        } else if (storedHeaders.has(name)) {
                            headers.set(name, storedHeaders.get(name));
                        }
                    }
                }
            } else if (MASK.equals(out.path(field.name()).asText(null))) {
                if (retargeted) {
                    error.accept("config." + field.name(), "is masked" + because + "; send the " + field.name()
                            + " again" + (field.required() ? "" : " (or null)"));
                    out.remove(field.name());
                } else if (stored.hasNonNull(field.name())) {
                    out.set(field.name(), stored.get(field.name()));
                }
            }
        }
        return out;
    }

    /**
     * Whether two URLs name the same target: equal scheme, host (both case-insensitive), port (the scheme's
     * default when absent) and path ({@code ""} is {@code "/"}). Query, fragment and user info may differ.
     * Anything unparsable is a different target.
     */
    static boolean sameTarget(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        try {
            URI x = new URI(a.trim());
            URI y = new URI(b.trim());
            if (x.getScheme() == null || y.getScheme() == null || x.getHost() == null || y.getHost() == null) {
                return false;
            }
            return x.getScheme().equalsIgnoreCase(y.getScheme()) && x.getHost().equalsIgnoreCase(y.getHost())
                    && port(x) == port(y) && path(x).equals(path(y));
        } catch (Exception e) {
            return false;
        }
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static String path(URI uri) {
        String path = uri.getRawPath();
        return path == null || path.isEmpty() ? "/" : path;
    }

    /** A field's value as given, or its default when omitted. */
    private static String effective(ChannelDefinition spec, ObjectNode config, String name) {
        if (config.hasNonNull(name)) {
            return config.get(name).asText();
        }
        Object fallback = spec.field(name).map(Field::defaultValue).orElse(null);
        return fallback == null ? null : fallback.toString();
    }

    private static <T> Iterable<T> iterable(Iterator<T> iterator) {
        java.util.List<T> all = new java.util.ArrayList<>();
        iterator.forEachRemaining(all::add);
        return all;
    }

    private static void maskUrl(ObjectNode config, String field) {
        if (!config.hasNonNull(field)) {
            return;
        }
        String url = config.get(field).asText();
        try {
            URI uri = new URI(url);
            String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
            config.put(field, uri.getScheme() + "://" + uri.getHost() + port + "/" + MASK);
        } catch (Exception e) {
            config.put(field, MASK);
        }
    }

    private static String url(JsonNode node, String field, BiConsumer<String, String> error) {
        if (node == null || node.isNull()) {
            error.accept(field, "is required");
            return null;
        }
        if (!node.isTextual() || node.asText().isBlank() || node.asText().length() > 2048) {
            error.accept(field, "must be an http or https URL of at most 2048 characters");
            return null;
        }
        String url = node.asText().trim();
        if (url.endsWith("/" + MASK)) {
            error.accept(field, "is a masked value that matches no stored URL; send the full URL");
            return null;
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                error.accept(field, "must be an absolute http or https URL");
                return null;
            }
        } catch (Exception e) {
            error.accept(field, "is not a valid URL");
            return null;
        }
        return url;
    }
}
