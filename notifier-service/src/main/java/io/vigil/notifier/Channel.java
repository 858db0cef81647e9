package io.vigil.notifier;

import io.vigil.contracts.ChannelType;
import io.vigil.contracts.Status;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A notification channel as the notifier's view of {@code vigil.channels.v1} holds it. {@code config}
 * is unmasked (webhook URLs, secrets): never log it.
 *
 * <p>Config keys: those of the type's definition ({@link ChannelType#definition}), as the evaluator normalised them.
 */
public record Channel(UUID id, String name, ChannelType type, Map<String, Object> config, Set<Status> notifyOn,
                      Duration remindEvery, long version, boolean deleted) {

    /** What a channel is alerted about when it does not say. */
    public static final Set<Status> DEFAULT_NOTIFY_ON = Set.of(Status.DOWN, Status.UP);

    /** True when a flip to {@code status} alerts this channel (a recovery also needs an earlier alert). */
    public boolean notifies(Status status) {
        return notifyOn.contains(status);
    }

    /** True for the channel types whose alert storms are merged into digests (never webhooks or incident tools). */
    public boolean digestible() {
        return type.definition().digested();
    }

    /**
     * The URL the channel's config names as its target (a webhook's {@code url}, a chat's {@code webhookUrl}, an ntfy
     * server), or null when the type's address is the provider's, fixed in the notifier's settings, or it has none.
     */
    public String targetUrl() {
        String field = type.definition().targetField();
        return field == null ? null : text(field);
    }

    /** A config value as text, or null. */
    public String text(String key) {
        Object value = config.get(key);
        return value == null ? null : value.toString();
    }

    /** The email recipients: {@code to} as a list or a single (comma separated) string. */
    public List<String> recipients() {
        Object to = config.get("to");
        if (to instanceof List<?> list) {
            return list.stream().map(Object::toString).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
        if (to == null) {
            return List.of();
        }
        return List.of(to.toString().split(",")).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** The webhook's extra headers. */
    public Map<String, String> headers() {
        Object headers = config.get("headers");
        if (headers instanceof Map<?, ?> map) {
            java.util.LinkedHashMap<String, String> result = new java.util.LinkedHashMap<>();
            map.forEach((name, value) -> {
                if (name != null && value != null) {
                    result.put(name.toString(), value.toString());
                }
            });
            return result;
        }
        return Map.of();
    }
}
