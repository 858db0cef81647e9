package io.vigil.notifier.channel.pagerduty;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * PagerDuty Events API v2 ({@code POST <pagerduty-url>/v2/enqueue}): one incident per monitor, its {@code dedup_key}
 * {@code vigil-<monitor id>}. A DOWN alert (and each reminder of it) is a {@code trigger} with severity
 * {@code critical}, a LATE alert a {@code trigger} with severity {@code warning}; the payload carries the summary (at
 * most {@value #SUMMARY_LIMIT} characters), the monitor's link as {@code source}, the flip's time and the facts with
 * the last ping body as {@code custom_details}. A recovery, and a "no longer watched" notice (Vigil sends nothing more
 * about the monitor), is a {@code resolve} of the same key; so are a MAINTENANCE alert and a window's end (a monitor
 * in maintenance is no incident). A test is a {@code trigger} with severity {@code info} and
 * the key {@code vigil-test-<channel id>}, left open (repeated tests join it). Text is plain (PagerDuty shows it as
 * written), so JSON escaping is all it needs. PagerDuty answers 202; a 400 (a bad event or routing key) is permanent,
 * 429 and 5xx are retried.
 */
@ApplicationScoped
public class PagerDutySender implements ChannelSender {

    /** PagerDuty's most characters of {@code payload.summary}. */
    public static final int SUMMARY_LIMIT = 1024;

    /** The most characters of {@code payload.source}, {@code component} and {@code class}. */
    static final int FIELD_LIMIT = 255;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpTransport http;
    private final NotifierConfig config;

    public PagerDutySender(HttpTransport http, NotifierConfig config) {
        this.http = http;
        this.config = config;
    }

    @Override
    public ChannelType type() {
        return ChannelType.PAGERDUTY;
    }

    @Override
    public CompletionStage<SendResult> send(Channel channel, Notification notification, Duration timeout) {
        String routingKey = channel.text("routingKey");
        if (routingKey == null || routingKey.isBlank()) {
            return CompletableFuture.completedFuture(SendResult.failed("the channel has no routingKey"));
        }
        if (notification.kind() == DeliveryKind.DIGEST) {
            return CompletableFuture.completedFuture(SendResult.failed("pagerduty channels take no digests"));
        }
        String url = HttpTransport.under(config.pagerdutyUrl(), "/v2/enqueue");
        return http.sendAsync(url, "POST", Map.of(), HttpTransport.utf8(event(routingKey, channel.id(), notification)),
                timeout);
    }

    /** The incident key of a monitor: {@code vigil-<monitor id>}. */
    public static String dedupKey(UUID monitorId) {
        return "vigil-" + monitorId;
    }

    /** The event for a notification: a resolve for a recovery or a notice, else a trigger. */
    public static String event(String routingKey, UUID channelId, Notification n) {
        ObjectNode root = JSON.createObjectNode();
        root.put("routing_key", routingKey);
        if (resolves(n)) {
            root.put("event_action", "resolve");
            root.put("dedup_key", dedupKey(n.monitor().id()));
            return root.toString();
        }
        root.put("event_action", "trigger");
        root.put("dedup_key", n.kind() == DeliveryKind.TEST ? "vigil-test-" + channelId : dedupKey(n.monitor().id()));
        ObjectNode payload = root.putObject("payload");
        payload.put("summary", Notification.cut(n.summary(), SUMMARY_LIMIT));
        payload.put("source", n.link() == null ? "vigil" : Notification.cut(n.link(), FIELD_LIMIT));
        payload.put("severity", severity(n));
        payload.put("timestamp", Notification.timestamp(n.occurredAt()));
        payload.put("component", Notification.cut(n.monitor().name(), FIELD_LIMIT));
        payload.put("class", Notification.cut(n.reason(), FIELD_LIMIT));
        ObjectNode details = payload.putObject("custom_details");
        for (String[] fact : n.facts()) {
            details.put(fact[0], fact[1]);
        }
        if (n.lastPingBody() != null && !n.lastPingBody().isEmpty()) {
            details.put("Last ping body", n.lastPingBody());
        }
        if (n.monitor().tags() != null && !n.monitor().tags().isEmpty()) {
            details.put("Tags", String.join(", ", n.monitor().tags()));
        }
        if (n.link() != null) {
            root.putArray("links").addObject().put("href", n.link()).put("text", "Open " + n.monitor().name() + " in Vigil");
            root.put("client_url", n.link());
        }
        root.put("client", "Vigil");
        return root.toString();
    }

    private static boolean resolves(Notification n) {
        return n.kind() == DeliveryKind.NOTICE || (n.kind() != DeliveryKind.TEST
                && (n.status() == Status.UP || n.status() == Status.MAINTENANCE || n.status() == Status.NEW));
    }

    private static String severity(Notification n) {
        if (n.kind() == DeliveryKind.TEST) {
            return "info";
        }
        return n.status() == Status.LATE ? "warning" : "critical";
    }
}
