package io.vigil.notifier.channel.gotify;

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
import io.vigil.notifier.channel.PlainMessage;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Gotify's message API: {@code POST <serverUrl>/message} with {@code X-Gotify-Key: <appToken>} and {@code title}, a
 * plain-text {@code message} (the summary, the facts, the link and the last ping body; at most {@value #MESSAGE_LIMIT}
 * characters, so a phone shows it whole; no markdown content type, so nothing is interpreted), {@code priority} (the
 * channel's, else 8 for DOWN, 6 for LATE, 4 otherwise) and {@code extras.client::notification.click.url} (the monitor's
 * link). 401 and 403 (a wrong or revoked token) are permanent.
 */
@ApplicationScoped
public class GotifySender implements ChannelSender {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The most characters of a message. */
    public static final int MESSAGE_LIMIT = 4096;

    private final HttpTransport http;

    public GotifySender(HttpTransport http) {
        this.http = http;
    }

    @Override
    public ChannelType type() {
        return ChannelType.GOTIFY;
    }

    @Override
    public CompletionStage<SendResult> send(Channel channel, Notification notification, Duration timeout) {
        String server = channel.text("serverUrl");
        String token = channel.text("appToken");
        if (server == null || server.isBlank() || token == null || token.isBlank()) {
            return CompletableFuture.completedFuture(SendResult.failed("the channel has no server or application token"));
        }
        String url = HttpTransport.under(server, "/message");
        return http.sendAsync(url, "POST", Map.of("X-Gotify-Key", token),
                HttpTransport.utf8(message(notification, priority(channel, notification))), HttpTransport.JSON, timeout);
    }

    /** The Gotify JSON message. */
    public static String message(Notification n, int priority) {
        ObjectNode root = JSON.createObjectNode();
        root.put("title", Notification.cut(n.title(), 250));
        root.put("message", PlainMessage.of(n, MESSAGE_LIMIT, PlainMessage.CHARS));
        root.put("priority", priority);
        String click = n.kind() == DeliveryKind.DIGEST ? n.monitorListLink() : n.link();
        if (click != null) {
            root.putObject("extras").putObject("client::notification").putObject("click").put("url", click);
        }
        return root.toString();
    }

    private static int priority(Channel channel, Notification n) {
        Object configured = channel.config().get("priority");
        if (configured instanceof Number number) {
            return Math.max(0, Math.min(10, number.intValue()));
        }
        if (n.kind() == DeliveryKind.NOTICE || n.kind() == DeliveryKind.TEST) {
            return 4;
        }
        return n.status() == Status.DOWN ? 8 : n.status() == Status.LATE ? 6 : n.status() == Status.MAINTENANCE ? 2 : 4;
    }
}
