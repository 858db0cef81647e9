package io.vigil.notifier.channel.matrix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.contracts.ChannelType;
import io.vigil.notifier.Channel;
import io.vigil.notifier.DeliveryKind;
import io.vigil.notifier.Notification;
import io.vigil.notifier.SendResult;
import io.vigil.notifier.channel.ChannelSender;
import io.vigil.notifier.channel.HttpTransport;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Matrix rooms, through the client-server API: {@code PUT <homeserverUrl>/_matrix/client/v3/rooms/<roomId>/send/
 * m.room.message/<eventId>} with {@code Authorization: Bearer <accessToken>} and an {@code m.text} event whose
 * {@code body} is plain text and whose {@code formatted_body} ({@code org.matrix.custom.html}) has the coloured title,
 * the facts, a link and the last ping body in a {@code pre} block, user-given text HTML-escaped. The transaction id is
 * the delivery's event id, so the homeserver drops a retry of a send it already took. {@code "m.mentions": {}} tells
 * clients the event mentions nobody (a monitor named {@code @room} notifies no one). A digest stays within
 * {@value #CONTENT_BUDGET} bytes of content (an event may have 65,536 in all). A 429 ({@code M_LIMIT_EXCEEDED}) is
 * retried after its {@code Retry-After} header or, without one, the body's {@code retry_after_ms}; 401 and 403
 * ({@code M_UNKNOWN_TOKEN}, {@code M_FORBIDDEN}) fail at once.
 */
@ApplicationScoped
public class MatrixSender implements ChannelSender {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The most bytes of an event's content: room for the homeserver's own fields below the 65,536-byte event limit. */
    public static final int CONTENT_BUDGET = 60_000;

    /** Digest entries listed with their reason and link; the rest are named compactly. */
    static final int DETAILED = 20;

    private final HttpTransport http;

    public MatrixSender(HttpTransport http) {
        this.http = http;
    }

    @Override
    public ChannelType type() {
        return ChannelType.MATRIX;
    }

    @Override
    public CompletionStage<SendResult> send(Channel channel, Notification notification, Duration timeout) {
        String homeserver = channel.text("homeserverUrl");
        String room = channel.text("roomId");
        String token = channel.text("accessToken");
        if (homeserver == null || homeserver.isBlank() || room == null || room.isBlank() || token == null || token.isBlank()) {
            return CompletableFuture.completedFuture(SendResult.failed("the channel needs homeserverUrl, roomId and accessToken"));
        }
        String url = HttpTransport.under(homeserver, "/_matrix/client/v3/rooms/")
                + URLEncoder.encode(room, StandardCharsets.UTF_8).replace("+", "%20")
                + "/send/m.room.message/" + notification.eventId();
        return http.exchangeAsync(url, "PUT", Map.of("Authorization", "Bearer " + token),
                HttpTransport.utf8(message(notification)), HttpTransport.JSON, timeout).thenApply(MatrixSender::classified);
    }

    /** The answer's result; a 429 without a Retry-After header waits for its body's {@code retry_after_ms}. */
    private static SendResult classified(HttpTransport.Answer answer) {
        SendResult result = answer.result();
        Integer status = result.httpStatus();
        if (status != null && status == 429 && result.retryAfter() == null && answer.body() != null) {
            return SendResult.ofHttp(429, retryAfter(answer.body()));
        }
        return result;
    }

    /** A {@code M_LIMIT_EXCEEDED} answer's {@code retry_after_ms} as whole seconds, rounded up; null when absent. */
    static String retryAfter(String body) {
        try {
            JsonNode millis = JSON.readTree(body).path("retry_after_ms");
            return millis.canConvertToLong() && millis.asLong() >= 0 ? String.valueOf((millis.asLong() + 999) / 1000) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The event content for a notification. */
    public static String message(Notification n) {
        if (n.kind() != DeliveryKind.DIGEST) {
            StringBuilder plain = new StringBuilder(n.title()).append('\n').append(n.summary()).append('\n');
            StringBuilder html = heading(n);
            html.append("<ul>");
            for (String[] fact : n.facts()) {
                plain.append(fact[0]).append(": ").append(fact[1]).append('\n');
                html.append("<li><strong>").append(escape(fact[0])).append(":</strong> ").append(escape(fact[1])).append("</li>");
            }
            html.append("</ul>");
            if (n.link() != null) {
                plain.append(n.link()).append('\n');
                html.append("<p><a href=\"").append(escape(n.link())).append("\">Open ").append(escape(n.monitor().name()))
                        .append(" in Vigil</a></p>");
            }
            if (n.lastPingBody() != null && !n.lastPingBody().isEmpty()) {
                plain.append("Last ping body:\n").append(n.lastPingBody()).append('\n');
                html.append("<p><strong>Last ping body</strong></p><pre><code>").append(escape(n.lastPingBody()))
                        .append("</code></pre>");
            }
            return content(plain.toString().strip(), html.toString());
        }
        int low = 0;
        int high = n.entries().size();
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            if (HttpTransport.utf8(digest(n, mid)).length <= CONTENT_BUDGET) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return digest(n, low);
    }

    private static StringBuilder heading(Notification n) {
        return new StringBuilder("<h4><font data-mx-color=\"").append(n.colour()).append("\" color=\"").append(n.colour())
                .append("\">").append(escape(n.title())).append("</font></h4><p>").append(escape(n.summary())).append("</p>");
    }

    /** A digest naming its first {@code named} monitors, and counting the rest. */
    private static String digest(Notification n, int named) {
        StringBuilder plain = new StringBuilder(n.title()).append('\n');
        StringBuilder html = new StringBuilder("<h4><font data-mx-color=\"").append(n.colour()).append("\" color=\"")
                .append(n.colour()).append("\">").append(escape(n.title())).append("</font></h4><ul>");
        List<Notification.Entry> entries = n.entries();
        for (int i = 0; i < named; i++) {
            Notification.Entry entry = entries.get(i);
            String name = Notification.cut(entry.monitorName(), Notification.NAME_LIMIT);
            if (i < DETAILED) {
                String reason = entry.reasonText() == null ? "" : ": " + Notification.cut(entry.reasonText(), 200);
                String at = " (" + Notification.readable(entry.occurredAt()) + ")";
                plain.append("- ").append(name).append(" is ").append(entry.status()).append(reason).append(at).append('\n');
                html.append("<li>").append(entry.link() == null ? "<strong>" + escape(name) + "</strong>"
                                : "<a href=\"" + escape(entry.link()) + "\">" + escape(name) + "</a>")
                        .append(" is <strong>").append(entry.status()).append("</strong>").append(escape(reason))
                        .append(at).append("</li>");
            } else {
                plain.append(i == DETAILED ? "Also: " : ", ").append(name).append(" (").append(entry.status()).append(')');
                html.append(i == DETAILED ? "</ul><p><strong>Also:</strong> " : ", ").append(escape(name)).append(" (")
                        .append(entry.status()).append(')');
            }
        }
        html.append(named > DETAILED ? "</p>" : "</ul>");
        if (named < entries.size()) {
            String list = n.monitorListLink();
            String more = "… and " + (entries.size() - named) + " more";
            plain.append('\n').append(more).append(list == null ? "" : ": " + list);
            html.append("<p>").append(more).append(list == null ? "" : ": <a href=\"" + escape(list) + "\">see the monitor list</a>")
                    .append("</p>");
        }
        return content(plain.toString().strip(), html.toString());
    }

    private static String content(String body, String formatted) {
        ObjectNode root = JSON.createObjectNode();
        root.put("msgtype", "m.text");
        root.put("body", body);
        root.put("format", "org.matrix.custom.html");
        root.put("formatted_body", formatted);
        root.putObject("m.mentions");
        return root.toString();
    }

    /** Escapes text for HTML content and double-quoted attributes. */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
