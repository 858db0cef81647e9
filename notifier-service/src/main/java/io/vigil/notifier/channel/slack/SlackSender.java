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
import java.util.concurrent.CompletionStage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

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

    /** Slack's most blocks in a message. */
    public static final int MAX_BLOCKS = 50;

    /** Slack's most characters in a section's text. */
    public static final int SECTION_CHARS = 3000;

    /** The most characters of text in one message, top-level text and every block together (Slack cuts at 40,000). */
    public static final int TEXT_BUDGET = 38_000;

    private final HttpTransport http;

    public SlackSender(HttpTransport http) {
        this.http = http;
    }

    @Override
    public ChannelType type() {
        return ChannelType.SLACK;
    }

    @Override
    public CompletionStage<SendResult> send(Channel channel, Notification notification, Duration timeout) {
        return http.post(channel, "webhookUrl", message(notification), timeout);
    }

    /** The Slack payload for a notification. */
    public static String message(Notification n) {
        ObjectNode root = JSON.createObjectNode();
        String summary = cut(escape(n.summary()), SECTION_CHARS);
        root.put("text", summary);
        ObjectNode attachment = root.putArray("attachments").addObject();
        attachment.put("color", n.colour());
        ArrayNode blocks = attachment.putArray("blocks");
        ObjectNode header = blocks.addObject().put("type", "header");
        String title = cut(n.title(), 150);
        header.putObject("text").put("type", "plain_text").put("text", title).put("emoji", true);
        if (n.kind() == DeliveryKind.DIGEST) {
            digest(blocks, n, summary.length() + title.length());
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
     * A digest names as many monitors as fit Slack's limits ({@value #MAX_BLOCKS} blocks, {@value #SECTION_CHARS}
     * characters a section, {@value #TEXT_BUDGET} characters of text in all), the first {@value #DETAILED} with their
     * reason and a link, the rest compactly, then "… and N more" with a link to the monitor list. The most that fit
     * is found by bisection over the number named (a message naming more is never smaller).
     */
    private static void digest(ArrayNode blocks, Notification n, int used) {
        int size = n.entries().size();
        int low = 0;
        int high = size;
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            if (fits(digestSections(n, mid), blocks.size(), used)) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        digestSections(n, low).forEach(text -> addSection(blocks, text));
    }

    private static boolean fits(List<String> sections, int blocksBefore, int used) {
        int total = used;
        for (String section : sections) {
            if (section.length() > SECTION_CHARS) {
                return false;
            }
            total += section.length();
        }
        return blocksBefore + sections.size() <= MAX_BLOCKS && total <= TEXT_BUDGET;
    }

    /**
     * The mrkdwn sections of a digest naming its first {@code named} monitors (and the "… and N more" line when not
     * all), each at most about {@value #SECTION_CHARS} characters; {@link SlackAttachments} lists them too.
     */
    static List<String> digestSections(Notification n, int named) {
        return digestSections(n, named, SlackSender::escape, DETAILED);
    }

    /**
     * {@link #digestSections(Notification, int)} with the monitors' names and reasons escaped by {@code escape}, the
     * first {@code detailed} with their reason and a link.
     */
    static List<String> digestSections(Notification n, int named, UnaryOperator<String> escape, int detailed) {
        List<String> sections = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        List<Notification.Entry> entries = n.entries();
        for (int i = 0; i < named; i++) {
            Notification.Entry entry = entries.get(i);
            String name = escape.apply(Notification.cut(entry.monitorName(), Notification.NAME_LIMIT));
            String piece;
            if (i < detailed) {
                piece = "• " + (entry.link() == null ? "*" + name + "*" : "<" + linkTarget(entry.link()) + "|" + name + ">")
                        + " is *" + entry.status() + "*" + (entry.reasonText() == null ? "" : ": " + cut(escape.apply(entry.reasonText()), 200))
                        + " (" + Notification.readable(entry.occurredAt()) + ")\n";
            } else {
                piece = (i == detailed || text.isEmpty() ? "*Also:* " : ", ") + name + " (" + entry.status() + ")";
            }
            if (!text.isEmpty() && text.length() + piece.length() > SECTION_CHARS - 100) {
                sections.add(text.toString());
                text.setLength(0);
            }
            text.append(piece);
        }
        if (!text.isEmpty()) {
            sections.add(text.toString());
        }
        if (named < entries.size()) {
            String list = n.monitorListLink();
            sections.add("… and " + (entries.size() - named) + " more"
                    + (list == null ? "" : ": <" + linkTarget(list) + "|see the monitor list>"));
        }
        return sections;
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
    static String linkTarget(String url) {
        return url.replace("|", "%7C").replace(">", "%3E").replace("<", "%3C");
    }

    static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
