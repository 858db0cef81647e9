package io.vigil.notifier.channel.slack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.contracts.ChannelType;
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
 * Slack incoming webhooks: a top-level {@code text} (what notifications show) and one attachment
 * coloured by status holding the blocks: a header, the facts as fields, a link and the last ping body
 * in a code block. Text is escaped for Slack's mrkdwn ({@code & < >}).
 */
@ApplicationScoped
public class SlackSender implements ChannelSender {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Digest entries listed with their reason and link; the rest are named compactly. */
    static final int DETAILED = 20;

    private final HttpTransport http;

    public SlackSender(HttpTransport http) {
        this.http = http;
    }

    @Override
    public ChannelType type() {
        return ChannelType.SLACK;
    }

    @Override
    public SendResult send(Channel channel, Notification notification, Duration timeout) {
        return http.post(channel, "webhookUrl", message(notification), timeout);
    }

    /** The Slack payload for a notification. */
    public static String message(Notification n) {
        ObjectNode root = JSON.createObjectNode();
        root.put("text", escape(n.summary()));
        ObjectNode attachment = root.putArray("attachments").addObject();
        attachment.put("color", n.colour());
        ArrayNode blocks = attachment.putArray("blocks");
        ObjectNode header = blocks.addObject().put("type", "header");
        header.putObject("text").put("type", "plain_text").put("text", cut(n.title(), 150)).put("emoji", true);
        if (n.kind() == DeliveryKind.DIGEST) {
            digest(blocks, n);
            return root.toString();
        }
        ObjectNode section = blocks.addObject().put("type", "section");
        ArrayNode fields = section.putArray("fields");
        for (String[] fact : n.facts()) {
            fields.addObject().put("type", "mrkdwn").put("text", "*" + fact[0] + "*\n" + cut(escape(fact[1]), 1900));
        }
        if (n.link() != null) {
            addSection(blocks, "<" + linkTarget(n.link()) + "|Open " + escape(n.monitor().name()) + " in Vigil>");
        }
        if (n.lastPingBody() != null && !n.lastPingBody().isEmpty()) {
            addSection(blocks, "*Last ping body*\n```" + escape(n.lastPingBody()).replace("```", "`\u200b``") + "```");
        }
        return root.toString();
    }

    /**
     * A digest names every monitor: the first {@value #DETAILED} with their reason and a link, the
     * rest compactly, in sections within Slack's limits (3000 characters a section, 50 blocks).
     */
    private static void digest(ArrayNode blocks, Notification n) {
        StringBuilder text = new StringBuilder();
        List<Notification.Entry> entries = n.entries();
        for (int i = 0; i < entries.size(); i++) {
            Notification.Entry entry = entries.get(i);
            String piece;
            if (i < DETAILED) {
                piece = "• " + (entry.link() == null ? "*" + escape(entry.monitorName()) + "*"
                        : "<" + linkTarget(entry.link()) + "|" + escape(entry.monitorName()) + ">")
                        + " is *" + entry.status() + "*" + (entry.reasonText() == null ? "" : ": " + cut(escape(entry.reasonText()), 200))
                        + " (" + Notification.readable(entry.occurredAt()) + ")\n";
            } else {
                piece = (i == DETAILED ? "*Also:* " : ", ") + escape(entry.monitorName()) + " (" + entry.status() + ")";
            }
            if (text.length() + piece.length() > 2900) {
                if (blocks.size() >= 49) {
                    text.append(" … and ").append(entries.size() - i).append(" more");
                    break;
                }
                addSection(blocks, text.toString());
                text.setLength(0);
            }
            text.append(piece);
        }
        if (!text.isEmpty()) {
            addSection(blocks, text.toString());
        }
    }

    private static void addSection(ArrayNode blocks, String mrkdwn) {
        blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text", mrkdwn);
    }

    /** Escapes Slack's control characters in mrkdwn text. */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** A URL inside {@code <url|label>}: the delimiters must not appear in it. */
    private static String linkTarget(String url) {
        return url.replace("|", "%7C").replace(">", "%3E").replace("<", "%3C");
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
