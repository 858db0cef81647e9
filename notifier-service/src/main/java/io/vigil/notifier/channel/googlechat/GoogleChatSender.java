package io.vigil.notifier.channel.googlechat;

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
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Google Chat space webhooks ({@code POST <webhookUrl>}): {@code text} is the one-line summary and one card
 * ({@code cardsV2}, id {@code vigil-<eventId>}) has a header (the title, and the status colour's meaning as subtitle),
 * one section with a {@code decoratedText} per fact, the last ping body in a {@code textParagraph} and an "Open in
 * Vigil" button to the monitor. A digest lists its monitors in text paragraphs, as many as keep the payload within
 * {@value #PAYLOAD_BUDGET} bytes (Google Chat takes 32,000), then "… and N more". User-given text is escaped
 * ({@code & < >}) for the text's markup and the cards' HTML formatting; the header is plain text. A 429 is retried,
 * 400, 403 and 404 fail at once.
 */
@ApplicationScoped
public class GoogleChatSender implements ChannelSender {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The most bytes of a payload, below Google Chat's 32,000-byte message limit. */
    public static final int PAYLOAD_BUDGET = 30_000;

    /** Digest entries listed with their reason and link; the rest are named compactly. */
    static final int DETAILED = 20;

    /** Digest entries per text paragraph. */
    static final int PER_PARAGRAPH = 50;

    private final HttpTransport http;

    public GoogleChatSender(HttpTransport http) {
        this.http = http;
    }

    @Override
    public ChannelType type() {
        return ChannelType.GOOGLECHAT;
    }

    @Override
    public CompletionStage<SendResult> send(Channel channel, Notification notification, Duration timeout) {
        return http.post(channel, "webhookUrl", message(notification), timeout);
    }

    /** The Google Chat payload for a notification. */
    public static String message(Notification n) {
        if (n.kind() != DeliveryKind.DIGEST) {
            ObjectNode root = JSON.createObjectNode();
            ArrayNode widgets = card(root, n);
            for (String[] fact : n.facts()) {
                widgets.addObject().putObject("decoratedText").put("topLabel", fact[0])
                        .put("text", escape(Notification.cut(fact[1], 2000)));
            }
            if (n.lastPingBody() != null && !n.lastPingBody().isEmpty()) {
                widgets.addObject().putObject("textParagraph")
                        .put("text", "<b>Last ping body</b><br>" + escape(n.lastPingBody()).replace("\n", "<br>"));
            }
            if (n.link() != null) {
                button(widgets, "Open in Vigil", n.link());
            }
            return root.toString();
        }
        int low = 0;
        int high = n.entries().size();
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            if (HttpTransport.utf8(digest(n, mid)).length <= PAYLOAD_BUDGET) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return digest(n, low);
    }

    /** The message and its card with the header; answers the section's widgets. */
    private static ArrayNode card(ObjectNode root, Notification n) {
        root.put("text", Notification.cut(escape(n.summary()), 4000));
        ObjectNode card = root.putArray("cardsV2").addObject().put("cardId", "vigil-" + n.eventId()).putObject("card");
        card.putObject("header").put("title", Notification.cut(n.title(), 200)).put("subtitle", subtitle(n));
        return card.putArray("sections").addObject().putArray("widgets");
    }

    /** A digest naming its first {@code named} monitors, and counting the rest. */
    private static String digest(Notification n, int named) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode widgets = card(root, n);
        List<Notification.Entry> entries = n.entries();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < named; i++) {
            Notification.Entry entry = entries.get(i);
            String name = escape(Notification.cut(entry.monitorName(), Notification.NAME_LIMIT));
            if (i < DETAILED) {
                text.append(entry.link() == null ? "<b>" + name + "</b>" : "<a href=\"" + attribute(entry.link()) + "\">" + name + "</a>")
                        .append(" is <b>").append(entry.status()).append("</b>")
                        .append(entry.reasonText() == null ? "" : ": " + escape(Notification.cut(entry.reasonText(), 200)))
                        .append(" (").append(Notification.readable(entry.occurredAt())).append(")<br>");
            } else {
                text.append(i == DETAILED ? "<b>Also:</b> " : ", ").append(name).append(" (").append(entry.status()).append(')');
            }
            if ((i + 1) % PER_PARAGRAPH == 0 || i == named - 1) {
                widgets.addObject().putObject("textParagraph").put("text", text.toString());
                text.setLength(0);
            }
        }
        if (named < entries.size()) {
            widgets.addObject().putObject("textParagraph").put("text", "… and " + (entries.size() - named) + " more");
            String list = n.monitorListLink();
            if (list != null) {
                button(widgets, "See the monitor list", list);
            }
        }
        return root.toString();
    }

    private static void button(ArrayNode widgets, String label, String url) {
        widgets.addObject().putObject("buttonList").putArray("buttons").addObject().put("text", label)
                .putObject("onClick").putObject("openLink").put("url", url);
    }

    private static String subtitle(Notification n) {
        return switch (n.kind()) {
            case DIGEST -> n.entries().size() + " monitors";
            case TEST -> "Vigil test message";
            case NOTICE -> "No longer watched";
            default -> n.status() == Status.MAINTENANCE ? "In maintenance"
                    : n.previousStatus() == Status.MAINTENANCE ? "Maintenance over: " + n.status()
                    : n.problem() ? "Problem: " + n.status() : "Recovered: " + n.status();
        };
    }

    /** Escapes the characters Google Chat's text markup and card HTML give a meaning ({@code & < >}). */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String attribute(String value) {
        return escape(value).replace("\"", "&quot;");
    }
}
