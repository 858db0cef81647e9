package io.vigil.evaluator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.contracts.ChannelType;
import java.net.URI;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * The rules of a channel's {@code config} per type (API.md section 3): which fields it has, which are
 * required, and which are secrets. Secrets (webhook URLs, webhook secrets and header values) are masked
 * in every answer; a masked value sent back (a GET body PUT back) keeps the stored secret only while the
 * target (scheme, host, port, path) is the stored one.
 */
public final class ChannelConfig {

    /** What a masked secret shows in place of the hidden part. */
    public static final String MASK = "****";

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s,;<>]+@[^@\\s,;<>]+\\.[^@\\s,;<>]+$");
    private static final Pattern HEADER_NAME = Pattern.compile("^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$");
    private static final Set<String> METHODS = Set.of("POST", "PUT", "PATCH");
    private static final int MAX_RECIPIENTS = 50;

    private ChannelConfig() {
    }

    /**
     * Checks a config for a type and answers its normalised form (defaults filled in: a webhook's
     * {@code method} POST, {@code headers} {}, {@code secret} null). Every problem is reported to
     * {@code error} as (field path, message); the targets' URLs are returned through {@code target}
     * for the address policy.
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
        Set<String> allowed = switch (type) {
            case EMAIL -> Set.of("to");
            case SLACK, TEAMS -> Set.of("webhookUrl");
            case WEBHOOK -> Set.of("url", "method", "headers", "secret");
        };
        for (Iterator<String> names = config.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                error.accept("config." + name, "is not a field of a " + type.json() + " channel");
            }
        }
        switch (type) {
            case EMAIL -> {
                JsonNode to = config.get("to");
                if (to == null || !to.isArray() || to.isEmpty()) {
                    error.accept("config.to", "must be a non-empty list of email addresses");
                } else if (to.size() > MAX_RECIPIENTS) {
                    error.accept("config.to", "may hold at most " + MAX_RECIPIENTS + " addresses");
                } else {
                    for (int i = 0; i < to.size(); i++) {
                        JsonNode address = to.get(i);
                        if (!address.isTextual() || address.asText().length() > 254 || !EMAIL.matcher(address.asText()).matches()) {
                            error.accept("config.to[" + i + "]", "is not an email address");
                        }
                    }
                    out.set("to", to.deepCopy());
                }
            }
            case SLACK, TEAMS -> {
                String url = url(config.get("webhookUrl"), "config.webhookUrl", error);
                if (url != null) {
                    out.put("webhookUrl", url);
                    target.accept("config.webhookUrl", url);
                }
            }
            case WEBHOOK -> {
                String url = url(config.get("url"), "config.url", error);
                if (url != null) {
                    out.put("url", url);
                    target.accept("config.url", url);
                }
                JsonNode method = config.get("method");
                if (method == null || method.isNull()) {
                    out.put("method", "POST");
                } else if (!method.isTextual() || !METHODS.contains(method.asText().toUpperCase(java.util.Locale.ROOT))) {
                    error.accept("config.method", "must be one of POST, PUT, PATCH");
                } else {
                    out.put("method", method.asText().toUpperCase(java.util.Locale.ROOT));
                }
                ObjectNode headers = out.putObject("headers");
                JsonNode given = config.get("headers");
                if (given != null && !given.isNull()) {
                    if (!given.isObject()) {
                        error.accept("config.headers", "must be an object of header names to values");
                    } else {
                        for (Iterator<Map.Entry<String, JsonNode>> it = given.fields(); it.hasNext(); ) {
                            Map.Entry<String, JsonNode> header = it.next();
                            if (!HEADER_NAME.matcher(header.getKey()).matches()) {
                                error.accept("config.headers", "has an invalid header name");
                            } else if (!header.getValue().isTextual() || header.getValue().asText().length() > 4096
                                    || header.getValue().asText().chars().anyMatch(c -> c == '\r' || c == '\n')) {
                                error.accept("config.headers." + header.getKey(), "must be a single-line text value");
                            } else if (header.getValue().asText().equals(MASK)) {
                                error.accept("config.headers." + header.getKey(),
                                        "is a masked value that matches no stored header; send the value");
                            } else {
                                headers.put(header.getKey(), header.getValue().asText());
                            }
                        }
                    }
                }
                JsonNode secret = config.get("secret");
                if (secret == null || secret.isNull()) {
                    out.putNull("secret");
                } else if (!secret.isTextual() || secret.asText().isEmpty() || secret.asText().length() > 1024) {
                    error.accept("config.secret", "must be a text of 1 to 1024 characters, or null");
                } else if (secret.asText().equals(MASK)) {
                    error.accept("config.secret", "is a masked value that matches no stored secret; send the secret");
                } else {
                    out.put("secret", secret.asText());
                }
            }
            default -> throw new IllegalStateException("unknown channel type");
        }
        return out;
    }

    /** The config as answers show it: webhook URLs cut after the host, secrets and header values hidden. */
    public static ObjectNode masked(ChannelType type, ObjectNode config) {
        ObjectNode out = config.deepCopy();
        switch (type) {
            case SLACK, TEAMS -> maskUrl(out, "webhookUrl");
            case WEBHOOK -> {
                maskUrl(out, "url");
                if (out.hasNonNull("secret")) {
                    out.put("secret", MASK);
                }
                JsonNode headers = out.get("headers");
                if (headers instanceof ObjectNode object) {
                    object.fieldNames().forEachRemaining(name -> object.put(name, MASK));
                }
            }
            default -> {
                // email addresses are not secrets
            }
        }
        return out;
    }

    /**
     * Puts stored secrets back where a request sent their masked form, so a channel read with GET can be
     * PUT back unchanged. A value that differs from the mask is taken as new. A masked value stands for the
     * stored one only while the target is the stored one (same scheme, host, port and path, see
     * {@link #sameTarget}): a webhook whose {@code url} changes must be sent its {@code secret} and masked
     * header values again, each one reported to {@code error} otherwise; a masked Slack or Teams
     * {@code webhookUrl} shows its scheme, host and port and hides its path, so it stands for the stored URL
     * only when it is exactly the masked form of it.
     */
    public static ObjectNode unmasked(ChannelType type, JsonNode incoming, ChannelType storedType, ObjectNode stored,
                                      BiConsumer<String, String> error) {
        if (!(incoming instanceof ObjectNode given) || type != storedType || stored == null) {
            return incoming instanceof ObjectNode object ? object : null;
        }
        ObjectNode out = given.deepCopy();
        ObjectNode shown = masked(storedType, stored);
        for (String field : new String[] {"webhookUrl", "url"}) {
            if (out.has(field) && stored.has(field) && Objects.equals(out.get(field), shown.get(field))) {
                out.set(field, stored.get(field));
            }
        }
        if (type != ChannelType.WEBHOOK) {
            return out;
        }
        boolean retargeted = !sameTarget(out.path("url").asText(null), stored.path("url").asText(null));
        if (MASK.equals(out.path("secret").asText(null))) {
            if (retargeted) {
                error.accept("config.secret", "is masked, but the url's scheme, host, port or path changed; "
                        + "send the secret again (or null)");
                out.remove("secret");
            } else if (stored.hasNonNull("secret")) {
                out.set("secret", stored.get("secret"));
            }
        }
        if (out.get("headers") instanceof ObjectNode headers) {
            JsonNode storedHeaders = stored.path("headers");
            for (String name : iterable(headers.fieldNames())) {
                if (!MASK.equals(headers.get(name).asText(null))) {
                    continue;
                }
                if (retargeted) {
                    error.accept("config.headers." + name, "is masked, but the url's scheme, host, port or path "
                            + "changed; send the header's value again");
                    headers.remove(name);
                } else if (storedHeaders.has(name)) {
                    headers.set(name, storedHeaders.get(name));
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
