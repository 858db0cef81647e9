package io.vigil.notifier.channel.teams;

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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.List;

/**
 * Microsoft Teams Workflows webhooks: a {@code message} with one Adaptive Card 1.4 attachment: a
 * coloured title, the summary, the facts, the last ping body as a monospaced text run (TextRuns are
 * not markdown, so the body needs no escaping beyond JSON) and a button to the monitor. Free text in
 * TextBlocks has its markdown characters escaped.
 */
@ApplicationScoped
public class TeamsSender implements ChannelSender {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Digest entries listed with their reason; the rest are named compactly. */
    static final int DETAILED = 20;

    /** The most bytes of a digest's payload: below the 28 KB Teams accepts, with room for the transport's headers. */
    public static final int PAYLOAD_BUDGET = 26_000;

    private final HttpTransport http;

    public TeamsSender(HttpTransport http) {
        this.http = http;
    }

    @Override
    public ChannelType type() {
        return ChannelType.TEAMS;
    }

    @Override
    public CompletionStage<SendResult> send(Channel channel, Notification notification, Duration timeout) {
        return http.post(channel, "webhookUrl", message(notification), timeout);
    }

    /** The Teams payload for a notification. */
    public static String message(Notification n) {
        if (n.kind() == DeliveryKind.DIGEST) {
            return digest(n);
        }
        ObjectNode root = JSON.createObjectNode();
        ArrayNode body = card(root, n);
        ArrayNode facts = body.addObject().put("type", "FactSet").putArray("facts");
        for (String[] fact : n.facts()) {
            facts.addObject().put("title", fact[0]).put("value", escape(fact[1]));
        }
        if (n.lastPingBody() != null && !n.lastPingBody().isEmpty()) {
            body.addObject().put("type", "TextBlock").put("text", "Last ping body").put("weight", "Bolder").put("wrap", true);
            ObjectNode rich = body.addObject().put("type", "RichTextBlock");
            rich.putArray("inlines").addObject().put("type", "TextRun").put("text", n.lastPingBody()).put("fontType", "Monospace");
        }
        if (n.link() != null) {
            ((ObjectNode) root.get("attachments").get(0).get("content")).putArray("actions").addObject()
                    .put("type", "Action.OpenUrl").put("title", "Open in Vigil").put("url", n.link());
        }
        return root.toString();
    }

    /** The message envelope and its card, with the title and the summary; answers the card's body. */
    private static ArrayNode card(ObjectNode root, Notification n) {
        root.put("type", "message");
        ObjectNode attachment = root.putArray("attachments").addObject();
        attachment.put("contentType", "application/vnd.microsoft.card.adaptive");
        attachment.putNull("contentUrl");
        ObjectNode card = attachment.putObject("content");
        card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
        card.put("type", "AdaptiveCard");
        card.put("version", "1.4");
        card.putObject("msteams").put("width", "Full");
        ArrayNode body = card.putArray("body");
        body.addObject().put("type", "TextBlock").put("text", escape(n.title())).put("size", "Large")
                .put("weight", "Bolder").put("color", colour(n)).put("wrap", true);
        body.addObject().put("type", "TextBlock").put("text", escape(n.summary())).put("wrap", true);
        return body;
    }

    /**
     * A digest names as many monitors as fit in {@value #PAYLOAD_BUDGET} bytes of payload (Teams refuses more than
     * 28 KB with 413): the first {@value #DETAILED} with their reason, then the others by name, then "… and N more"
     * with a link to the monitor list. The most that fit is found by bisection over the number named, measuring the
     * serialized payload (a card naming more is never smaller).
     */
    private static String digest(Notification n) {
        int low = 0;
        int high = n.entries().size();
        String best = digest(n, 0);
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            String candidate = digest(n, mid);
            if (candidate.getBytes(StandardCharsets.UTF_8).length <= PAYLOAD_BUDGET) {
                low = mid;
                best = candidate;
            } else {
                high = mid - 1;
            }
        }
        return best;
    }

    /** A digest card naming its first {@code named} monitors. */
    private static String digest(Notification n, int named) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode body = card(root, n);
        List<Notification.Entry> entries = n.entries();
        ArrayNode facts = body.addObject().put("type", "FactSet").putArray("facts");
        for (Notification.Entry entry : entries.subList(0, Math.min(DETAILED, named))) {
            facts.addObject().put("title", escape(Notification.cut(entry.monitorName(), Notification.NAME_LIMIT)))
                    .put("value", escape(entry.status() + (entry.reasonText() == null ? "" : ": " + Notification.cut(entry.reasonText(), 200))
                            + " (" + Notification.readable(entry.occurredAt()) + ")"));
        }
        if (named > DETAILED) {
            body.addObject().put("type", "TextBlock").put("wrap", true).put("text", "Also: " + String.join(", ",
                    entries.subList(DETAILED, named).stream()
                            .map(entry -> escape(Notification.cut(entry.monitorName(), Notification.NAME_LIMIT))
                                    + " (" + entry.status() + ")").toList()));
        }
        if (named < entries.size()) {
            String list = n.monitorListLink();
            body.addObject().put("type", "TextBlock").put("wrap", true).put("text", "… and " + (entries.size() - named)
                    + " more" + (list == null ? "" : ": [see the monitor list](" + list.replace(")", "%29") + ")"));
            if (list != null) {
                ((ObjectNode) root.get("attachments").get(0).get("content")).putArray("actions").addObject()
                        .put("type", "Action.OpenUrl").put("title", "Open the monitor list").put("url", list);
            }
        }
        return root.toString();
    }

    private static String colour(Notification n) {
        if (n.kind() == DeliveryKind.TEST) {
            return "Good";
        }
        if (n.kind() == DeliveryKind.NOTICE) {
            return "Default";
        }
        return switch (n.status()) {
            case DOWN -> "Attention";
            case LATE -> "Warning";
            case MAINTENANCE -> "Accent";
            default -> "Good";
        };
    }

    /** Escapes the markdown Adaptive Card TextBlocks interpret. */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if ("\\*_[]".indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
