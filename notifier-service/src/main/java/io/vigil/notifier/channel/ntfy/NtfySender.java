package io.vigil.notifier.channel.ntfy;

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
 * ntfy's JSON publishing: {@code POST <serverUrl>} (the server's root) with {@code topic}, {@code title}, a plain-text
 * {@code message} (the summary, the facts, the link and the last ping body; at most {@value #MESSAGE_BYTES} bytes, ntfy's
 * limit before it turns a message into an attachment), {@code priority} (the channel's, else 5 for DOWN, 4 for LATE,
 * 3 otherwise), {@code tags} ({@code rotating_light} for DOWN, {@code warning} for LATE and notices,
 * {@code white_check_mark} otherwise) and {@code click} (the monitor's link); {@code Authorization: Bearer} with the
 * channel's token when it has one. 429 is retried, 401 and 403 are permanent.
 */
@ApplicationScoped
public class NtfySender implements ChannelSender {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** ntfy's most message bytes. */
    public static final int MESSAGE_BYTES = 4096;

    private final HttpTransport http;

    public NtfySender(HttpTransport http) {
        this.http = http;
    }

    @Override
    public ChannelType type() {
        return ChannelType.NTFY;
    }

    @Override
    public CompletionStage<SendResult> send(Channel channel, Notification notification, Duration timeout) {
        String server = channel.text("serverUrl");
        String topic = channel.text("topic");
        if (server == null || server.isBlank() || topic == null || topic.isBlank()) {
            return CompletableFuture.completedFuture(SendResult.failed("the channel has no server or topic"));
        }
        String token = channel.text("token");
        Map<String, String> headers = token == null || token.isBlank() ? Map.of() : Map.of("Authorization", "Bearer " + token);
        return http.sendAsync(server, "POST", headers, HttpTransport.utf8(message(notification, topic,
                priority(channel, notification))), HttpTransport.JSON, timeout);
    }

    /** The ntfy JSON message. */
    public static String message(Notification n, String topic, int priority) {
        ObjectNode root = JSON.createObjectNode();
        root.put("topic", topic);
        root.put("title", Notification.cut(n.title(), 250));
        root.put("message", PlainMessage.of(n, MESSAGE_BYTES, PlainMessage.UTF8_BYTES));
        root.put("priority", priority);
        root.putArray("tags").add(tag(n));
        String click = n.kind() == DeliveryKind.DIGEST ? n.monitorListLink() : n.link();
        if (click != null) {
            root.put("click", click);
        }
        return root.toString();
    }

    private static String tag(Notification n) {
        if (n.kind() == DeliveryKind.NOTICE || n.status() == Status.LATE) {
            return "warning";
        }
        if (n.status() == Status.MAINTENANCE) {
            return "wrench";
        }
        return n.problem() ? "rotating_light" : "white_check_mark";
    }

    private static int priority(Channel channel, Notification n) {
        Object configured = channel.config().get("priority");
        if (configured instanceof Number number) {
            return Math.max(1, Math.min(5, number.intValue()));
        }
        if (n.kind() == DeliveryKind.NOTICE || n.kind() == DeliveryKind.TEST) {
            return 3;
        }
        return n.status() == Status.DOWN ? 5 : n.status() == Status.LATE ? 4 : n.status() == Status.MAINTENANCE ? 2 : 3;
    }
}
