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
import java.time.Duration;
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

    private final HttpTransport http;

    public TeamsSender(HttpTransport http) {
        this.http = http;
    }

    @Override
    public ChannelType type() {
        return ChannelType.TEAMS;
    }

    @Override
    public SendResult send(Channel channel, Notification notification, Duration timeout) {
        return http.post(channel, "webhookUrl", message(notification), timeout);
    }

    /** The Teams payload for a notification. */
    public static String message(Notification n) {
        ObjectNode root = JSON.createObjectNode();
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
        if (n.kind() == DeliveryKind.DIGEST) {
            // the first monitors in detail, then every other one by name: Teams cards must stay small
            ArrayNode facts = body.addObject().put("type", "FactSet").putArray("facts");
            List<Notification.Entry> entries = n.entries();
            for (Notification.Entry entry : entries.subList(0, Math.min(20, entries.size()))) {
                facts.addObject().put("title", escape(entry.monitorName()))
                        .put("value", escape(entry.status() + (entry.reasonText() == null ? "" : ": " + entry.reasonText())
                                + " (" + Notification.readable(entry.occurredAt()) + ")"));
            }
            if (entries.size() > 20) {
                body.addObject().put("type", "TextBlock").put("wrap", true).put("text", "Also: " + String.join(", ",
                        entries.subList(20, entries.size()).stream()
                                .map(entry -> escape(entry.monitorName()) + " (" + entry.status() + ")").toList()));
            }
            return root.toString();
        }
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
            card.putArray("actions").addObject().put("type", "Action.OpenUrl").put("title", "Open in Vigil").put("url", n.link());
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
        return n.status() == Status.DOWN ? "Attention" : n.status() == Status.LATE ? "Warning" : "Good";
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
