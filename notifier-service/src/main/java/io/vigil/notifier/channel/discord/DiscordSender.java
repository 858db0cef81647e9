package io.vigil.notifier.channel.discord;

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
import java.util.concurrent.CompletionStage;

/**
 * Discord webhooks ({@code POST <webhookUrl>}, answered 204): {@code content} is the one-line summary and one embed
 * holds the title, the status colour, the link, the flip's time, the facts as fields and the last ping body in a code
 * block; a digest lists its monitors in the embed's description. {@code allowed_mentions} parses nothing, so no name
 * pings anyone, and user-given text has Discord's markdown, link and mention characters backslash-escaped. Discord's
 * limits hold: content {@value #CONTENT_CHARS}, title {@value #TITLE_CHARS}, description {@value #DESCRIPTION_CHARS},
 * at most 25 fields of {@value #FIELD_NAME_CHARS}/{@value #FIELD_VALUE_CHARS} characters, 6,000 in the embed. A 429
 * is retried after its {@code Retry-After}; 401, 403 and 404 (a deleted webhook) fail at once.
 */
@ApplicationScoped
public class DiscordSender implements ChannelSender {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static final int CONTENT_CHARS = 2000;
    public static final int TITLE_CHARS = 256;
    public static final int DESCRIPTION_CHARS = 4096;
    public static final int FIELD_NAME_CHARS = 256;
    public static final int FIELD_VALUE_CHARS = 1024;

    /** A fact's value is cut shorter than Discord's field limit, so six facts and the body stay within 6,000 characters. */
    static final int FACT_CHARS = 700;

    /** Digest entries listed with their reason and link (about 300 characters each); the rest are named compactly. */
    static final int DETAILED = 5;

    /** The characters Discord's markdown, links and mentions give a meaning. */
    private static final String SPECIAL = "\\*_~`|>#-[]()@<";

    private final HttpTransport http;

    public DiscordSender(HttpTransport http) {
        this.http = http;
    }

    @Override
    public ChannelType type() {
        return ChannelType.DISCORD;
    }

    @Override
    public CompletionStage<SendResult> send(Channel channel, Notification notification, Duration timeout) {
        return http.post(channel, "webhookUrl", message(notification), timeout);
    }

    /** The Discord payload for a notification. */
    public static String message(Notification n) {
        ObjectNode root = JSON.createObjectNode();
        root.put("content", Notification.cut(escape(n.summary()), CONTENT_CHARS));
        ObjectNode embed = root.putArray("embeds").addObject();
        embed.put("title", Notification.cut(escape(n.title()), TITLE_CHARS));
        embed.put("color", Integer.parseInt(n.colour().substring(1), 16));
        if (n.kind() == DeliveryKind.DIGEST) {
            embed.put("description", digest(n));
        } else {
            if (n.lastPingBody() != null && !n.lastPingBody().isEmpty()) {
                embed.put("description", "**Last ping body**\n```\n" + n.lastPingBody().replace("```", "`\u200b``") + "\n```");
            }
            ArrayNode fields = embed.putArray("fields");
            List<String[]> facts = n.facts();
            for (String[] fact : facts.subList(0, Math.min(25, facts.size()))) {
                fields.addObject().put("name", Notification.cut(fact[0], FIELD_NAME_CHARS))
                        .put("value", Notification.cut(escape(fact[1]), FACT_CHARS))
                        .put("inline", !"Why".equals(fact[0]));
            }
            if (n.link() != null) {
                embed.put("url", n.link());
            }
        }
        if (n.occurredAt() != null) {
            embed.put("timestamp", Notification.timestamp(n.occurredAt()));
        }
        root.putObject("allowed_mentions").putArray("parse");
        return root.toString();
    }

    /**
     * A digest's description: as many monitors as fit {@value #DESCRIPTION_CHARS} characters, the first
     * {@value #DETAILED} with their reason and a link, the rest by name, then "… and N more" with the monitor list.
     */
    private static String digest(Notification n) {
        List<Notification.Entry> entries = n.entries();
        StringBuilder text = new StringBuilder();
        int named = 0;
        for (Notification.Entry entry : entries) {
            String name = escape(Notification.cut(entry.monitorName(), Notification.NAME_LIMIT));
            String piece;
            if (named < DETAILED) {
                piece = "• " + (entry.link() == null ? "**" + name + "**" : "[" + name + "](" + linkTarget(entry.link()) + ")")
                        + " is **" + entry.status() + "**"
                        + (entry.reasonText() == null ? "" : ": " + Notification.cut(escape(entry.reasonText()), 200))
                        + " (" + Notification.readable(entry.occurredAt()) + ")\n";
            } else {
                piece = (named == DETAILED ? "**Also:** " : ", ") + name + " (" + entry.status() + ")";
            }
            int rest = entries.size() - named - 1;
            if (text.length() + piece.length() + (rest == 0 ? 0 : more(n, rest).length()) > DESCRIPTION_CHARS) {
                break;
            }
            text.append(piece);
            named++;
        }
        if (named < entries.size()) {
            text.append(more(n, entries.size() - named));
        }
        return text.toString();
    }

    private static String more(Notification n, int rest) {
        String list = n.monitorListLink();
        return "\n… and " + rest + " more" + (list == null ? "" : ": [see the monitor list](" + linkTarget(list) + ")");
    }

    /** A URL inside {@code [label](url)}: parentheses and spaces would end it. */
    private static String linkTarget(String url) {
        return url.replace("(", "%28").replace(")", "%29").replace(" ", "%20");
    }

    /** Backslash-escapes Discord's markdown, link and mention characters ({@code \@everyone} pings nobody). */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (SPECIAL.indexOf(c) >= 0) {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }
}
