package io.vigil.notifier.channel.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.contracts.ChannelType;
import io.vigil.notifier.Channel;
import io.vigil.notifier.Notification;
import io.vigil.notifier.SendResult;
import io.vigil.notifier.channel.ChannelSender;
import io.vigil.notifier.channel.HttpTransport;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhooks: the JSON event of API.md section 4, with the channel's method and headers; with a
 * {@code secret}, {@code X-Vigil-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">}, so a receiver
 * can refuse a stale or replayed request (the time is the send's, new on every retry). The event's
 * {@code eventId} is the delivery id, the same on every retry. A "no longer watched" notice has
 * {@code type} {@code notice} (an addition to the alert/reminder/test types).
 */
@ApplicationScoped
public class WebhookSender implements ChannelSender {

    public static final String SIGNATURE_HEADER = "X-Vigil-Signature";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpTransport http;
    private final InstantSource clock;

    public WebhookSender(HttpTransport http, InstantSource clock) {
        this.http = http;
        this.clock = clock;
    }

    @Override
    public ChannelType type() {
        return ChannelType.WEBHOOK;
    }

    @Override
    public CompletionStage<SendResult> send(Channel channel, Notification notification, Duration timeout) {
        String url = channel.text("url");
        if (url == null || url.isBlank()) {
            return CompletableFuture.completedFuture(SendResult.failed("the channel has no url"));
        }
        String method = channel.text("method") == null ? "POST" : channel.text("method").toUpperCase(Locale.ROOT);
        byte[] body = HttpTransport.utf8(event(notification));
        Map<String, String> headers = new LinkedHashMap<>(channel.headers());
        headers.put("X-Vigil-Event-Id", notification.eventId().toString());
        String secret = channel.text("secret");
        if (secret != null && !secret.isEmpty()) {
            headers.put(SIGNATURE_HEADER, signature(secret, clock.instant().getEpochSecond(), body));
        }
        return http.sendAsync(url, method, headers, body, timeout);
    }

    /** The webhook event JSON (nulls written out, so receivers see every field). */
    public static String event(Notification n) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", 1);
        root.put("type", n.kind().code());
        root.put("eventId", n.eventId().toString());
        ObjectNode monitor = root.putObject("monitor");
        monitor.put("id", n.monitor().id() == null ? null : n.monitor().id().toString());
        monitor.put("name", n.monitor().name());
        monitor.put("slug", n.monitor().slug());
        var tags = monitor.putArray("tags");
        if (n.monitor().tags() != null) {
            n.monitor().tags().forEach(tags::add);
        }
        root.put("previousStatus", n.previousStatus() == null ? null : n.previousStatus().name());
        root.put("status", n.status().name());
        root.put("reason", n.reason());
        root.put("reasonText", n.reasonText());
        root.put("occurredAt", Notification.timestamp(n.occurredAt()));
        root.put("lastPingAt", Notification.timestamp(n.lastPingAt()));
        root.put("downtime", n.downtime() == null ? null : n.downtime().toString());
        root.put("link", n.link());
        root.put("lastPingBody", n.lastPingBody());
        return root.toString();
    }

    /** The signature header's value: {@code t=<unixSeconds>,v1=<hex HMAC-SHA256 of "<unixSeconds>.<body>">}. */
    public static String signature(String secret, long unixSeconds, byte[] body) {
        byte[] prefix = (unixSeconds + ".").getBytes(StandardCharsets.US_ASCII);
        byte[] signed = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, signed, 0, prefix.length);
        System.arraycopy(body, 0, signed, prefix.length, body.length);
        return "t=" + unixSeconds + ",v1=" + hmacSha256Hex(secret, signed);
    }

    /** Lower-case hex HMAC-SHA256 of {@code body} keyed by {@code secret} (UTF-8). */
    public static String hmacSha256Hex(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
