package io.vigil.notifier.channel.slack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.notifier.DeliveryKind;
import io.vigil.notifier.Notification;
import java.util.List;

/**
 * The Slack-compatible message of services that accept Slack's legacy attachments but not its Block Kit (Mattermost
 * and Rocket.Chat incoming webhooks): a top-level {@code text} (the summary) and one attachment
 * {@code {"fallback", "color", "title", "title_link", "text", "fields": [{"title", "value", "short"}]}}. Where
 * {@link SlackSender#message} puts a header block, field sections and a ping body section, this puts the title, the
 * facts as attachment fields and the link and ping body in the attachment's text. A digest lists its monitors in the
 * attachment's text, as Slack's digest sections read (the first {@value #DETAILED} with reason and link), within
 * {@value #TEXT_BUDGET} characters (below Rocket.Chat's default 5,000-character message limit and Mattermost's 16,383).
 *
 * <p>Free text is escaped as for Slack ({@code & < >}, which also defuses {@code <!channel>}), and a word joiner
 * follows every {@code @}, so a monitor named {@code @all} or {@code @channel} mentions nobody. The title is plain
 * text in both services, so it is sent as is.
 */
public final class SlackAttachments {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The most characters of the top-level text, and of the attachment's text. */
    public static final int TEXT_BUDGET = 4000;

    /** Digest entries listed with their reason and link (about 300 characters each); the rest are named compactly. */
    static final int DETAILED = 5;

    private SlackAttachments() {
    }

    /** The payload for a notification. */
    public static String message(Notification n) {
        ObjectNode root = JSON.createObjectNode();
        String summary = SlackSender.cut(escape(n.summary()), TEXT_BUDGET);
        root.put("text", summary);
        ObjectNode attachment = root.putArray("attachments").addObject();
        attachment.put("fallback", SlackSender.cut(n.summary(), TEXT_BUDGET));
        attachment.put("color", n.colour());
        attachment.put("title", SlackSender.cut(n.title(), 250));
        if (n.kind() == DeliveryKind.DIGEST) {
            attachment.put("text", digest(n));
            return root.toString();
        }
        if (n.link() != null) {
            attachment.put("title_link", n.link());
        }
        ArrayNode fields = attachment.putArray("fields");
        for (String[] fact : n.facts()) {
            fields.addObject().put("title", fact[0]).put("value", SlackSender.cut(escape(fact[1]), 1900)).put("short", true);
        }
        StringBuilder text = new StringBuilder();
        if (n.link() != null) {
            text.append('<').append(SlackSender.linkTarget(n.link())).append("|Open ").append(escape(n.monitor().name()))
                    .append(" in Vigil>");
        }
        if (n.lastPingBody() != null && !n.lastPingBody().isEmpty()) {
            text.append(text.isEmpty() ? "" : "\n").append("*Last ping body*\n```")
                    .append(escape(n.lastPingBody()).replace("```", "`\u200b``")).append("```");
        }
        attachment.put("text", text.toString());
        return root.toString();
    }

    /** The digest's text: the most monitors whose lines fit {@value #TEXT_BUDGET} characters (bisection), then the rest counted. */
    private static String digest(Notification n) {
        int low = 0;
        int high = n.entries().size();
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            if (digestText(n, mid).length() <= TEXT_BUDGET) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return digestText(n, low);
    }

    private static String digestText(Notification n, int named) {
        List<String> sections = SlackSender.digestSections(n, named, SlackAttachments::escape, DETAILED);
        return String.join("\n", sections);
    }

    /** Slack's escaping ({@code & < >}) with every {@code @} followed by a word joiner (no mention). */
    public static String escape(String text) {
        return SlackSender.escape(text).replace("@", "@\u2060");
    }
}
