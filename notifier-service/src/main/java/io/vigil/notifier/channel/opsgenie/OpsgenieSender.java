package io.vigil.notifier.channel.opsgenie;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.contracts.ChannelType;
import io.vigil.contracts.Status;
import io.vigil.notifier.Channel;
import io.vigil.notifier.DeliveryKind;
import io.vigil.notifier.Notification;
import io.vigil.notifier.SendResult;
import io.vigil.notifier.channel.ChannelSender;
import io.vigil.notifier.channel.HttpTransport;
import io.vigil.notifier.config.NotifierConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Opsgenie Alert API, on the channel's region ({@code us}: {@code opsgenie-url}, {@code eu}: {@code opsgenie-eu-url}),
 * with {@code Authorization: GenieKey <apiKey>}: one alert per monitor, its alias {@code vigil-<monitor id>}. A DOWN or
 * LATE alert, and each reminder, is {@code POST /v2/alerts} (Opsgenie deduplicates an open alias: the count goes up)
 * with the summary as {@code message} (at most {@value #MESSAGE_LIMIT} characters), the facts, the last ping body and
 * the link as {@code description} (at most {@value #DESCRIPTION_LIMIT}), the monitor's tags and {@code vigil}, the
 * channel's priority (default P2), {@code source} Vigil and the facts as {@code details}. A recovery, and a "no longer
 * watched" notice (Vigil sends nothing more about the monitor), is
 * {@code POST /v2/alerts/vigil-<monitor id>/close?identifierType=alias} with the summary as its note. A test creates the
 * alert {@code vigil-test-<channel id>} at P5, left open (repeated tests join it). Text is plain, so JSON escaping is
 * all it needs. Opsgenie answers 202; 401, 403 and 422 (a bad key, an invalid request) are permanent, 429 and 5xx are
 * retried.
 */
@ApplicationScoped
public class OpsgenieSender implements ChannelSender {

    /** Opsgenie's most characters of an alert's {@code message}. */
    public static final int MESSAGE_LIMIT = 130;

    /** Opsgenie's most characters of an alert's {@code description}. */
    public static final int DESCRIPTION_LIMIT = 15_000;

    /** Opsgenie's most tags on an alert, and characters of one tag. */
    static final int TAGS = 20;
    static final int TAG_LIMIT = 50;

    /** The most characters of one {@code details} value (Opsgenie allows 8,000 for all of them). */
    static final int DETAIL_LIMIT = 800;

    /** Opsgenie's most characters of {@code entity} and {@code alias}. */
    static final int ENTITY_LIMIT = 512;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpTransport http;
    private final NotifierConfig config;

    public OpsgenieSender(HttpTransport http, NotifierConfig config) {
        this.http = http;
        this.config = config;
    }

    @Override
    public ChannelType type() {
        return ChannelType.OPSGENIE;
    }

    @Override
    public CompletionStage<SendResult> send(Channel channel, Notification notification, Duration timeout) {
        String apiKey = channel.text("apiKey");
        if (apiKey == null || apiKey.isBlank()) {
            return CompletableFuture.completedFuture(SendResult.failed("the channel has no apiKey"));
        }
        if (notification.kind() == DeliveryKind.DIGEST) {
            return CompletableFuture.completedFuture(SendResult.failed("opsgenie channels take no digests"));
        }
        String base = HttpTransport.under("eu".equalsIgnoreCase(channel.text("region")) ? config.opsgenieEuUrl() : config.opsgenieUrl(), "");
        Map<String, String> headers = Map.of("Authorization", "GenieKey " + apiKey);
        if (closes(notification)) {
            return http.sendAsync(base + "/v2/alerts/" + alias(notification.monitor().id()) + "/close?identifierType=alias",
                    "POST", headers, HttpTransport.utf8(close(notification)), timeout);
        }
        return http.sendAsync(base + "/v2/alerts", "POST", headers,
                HttpTransport.utf8(create(notification, channel.id(), priority(channel))), timeout);
    }

    /** The alert alias of a monitor: {@code vigil-<monitor id>}. */
    public static String alias(UUID monitorId) {
        return "vigil-" + monitorId;
    }

    /**
     * True when the notification closes the monitor's alert (a recovery, a notice, a MAINTENANCE alert or a window's
     * end) rather than creating it.
     */
    public static boolean closes(Notification n) {
        return n.kind() == DeliveryKind.NOTICE || (n.kind() != DeliveryKind.TEST
                && (n.status() == Status.UP || n.status() == Status.MAINTENANCE || n.status() == Status.NEW));
    }

    /** The create-alert request: at {@code priority}, a test at P5. */
    public static String create(Notification n, UUID channelId, String priority) {
        boolean test = n.kind() == DeliveryKind.TEST;
        ObjectNode root = JSON.createObjectNode();
        root.put("message", Notification.cut(n.summary(), MESSAGE_LIMIT));
        root.put("alias", test ? "vigil-test-" + channelId : alias(n.monitor().id()));
        root.put("description", Notification.cut(description(n), DESCRIPTION_LIMIT));
        ArrayNode tags = root.putArray("tags");
        tags(n, test).forEach(tags::add);
        root.put("priority", test ? "P5" : priority);
        root.put("source", "Vigil");
        root.put("entity", Notification.cut(n.monitor().name(), ENTITY_LIMIT));
        ObjectNode details = root.putObject("details");
        for (String[] fact : n.facts()) {
            details.put(fact[0], Notification.cut(fact[1], DETAIL_LIMIT));
        }
        if (n.monitor().id() != null) {
            details.put("Monitor id", n.monitor().id().toString());
        }
        if (n.link() != null) {
            details.put("Link", Notification.cut(n.link(), DETAIL_LIMIT));
        }
        return root.toString();
    }

    /** The close-alert request. */
    public static String close(Notification n) {
        return JSON.createObjectNode().put("source", "Vigil").put("note", Notification.cut(n.summary(), DESCRIPTION_LIMIT))
                .toString();
    }

    /** The summary, the facts one a line, the last ping body and the link. */
    static String description(Notification n) {
        StringBuilder text = new StringBuilder(n.summary()).append("\n\n");
        for (String[] fact : n.facts()) {
            text.append(fact[0]).append(": ").append(fact[1]).append('\n');
        }
        if (n.lastPingBody() != null && !n.lastPingBody().isEmpty()) {
            text.append("\nLast ping body:\n").append(n.lastPingBody()).append('\n');
        }
        if (n.link() != null) {
            text.append("\nLink: ").append(n.link()).append('\n');
        }
        return text.toString().stripTrailing();
    }

    /** The monitor's tags (each at most {@value #TAG_LIMIT} characters, at most {@value #TAGS} in all), then vigil. */
    static List<String> tags(Notification n, boolean test) {
        Set<String> tags = new LinkedHashSet<>();
        List<String> own = n.monitor().tags() == null ? List.of() : n.monitor().tags();
        for (String tag : own) {
            if (tags.size() >= TAGS - 2) {
                break;
            }
            if (tag != null && !tag.isBlank() && !"vigil".equals(tag)) {
                tags.add(Notification.cut(tag.strip(), TAG_LIMIT));
            }
        }
        tags.add("vigil");
        if (test) {
            tags.add("test");
        }
        return List.copyOf(tags);
    }

    /** The channel's priority, P1 to P5, P2 when unset. */
    static String priority(Channel channel) {
        String priority = channel.text("priority");
        if (priority == null || !priority.strip().toUpperCase(Locale.ROOT).matches("P[1-5]")) {
            return "P2";
        }
        return priority.strip().toUpperCase(Locale.ROOT);
    }
}
