package io.vigil.notifier.channel.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.contracts.ChannelType;
import io.vigil.contracts.DeliveryAttempted.ConfigChange;
import io.vigil.notifier.Channel;
import io.vigil.notifier.DeliveryKind;
import io.vigil.notifier.Notification;
import io.vigil.notifier.SendResult;
import io.vigil.notifier.channel.ChannelSender;
import io.vigil.notifier.channel.HttpTransport;
import io.vigil.notifier.config.NotifierConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/**
 * Telegram Bot API {@code sendMessage} ({@code <telegram-url>/bot<token>/sendMessage}): {@code chat_id}, an HTML
 * {@code text} (a bold title, the summary, the facts, a link to the monitor and the last ping body in a {@code <pre>}
 * block; {@code & < >} escaped, at most {@value #TEXT_LIMIT} characters), {@code parse_mode} HTML and no link
 * previews. A 429's {@code parameters.retry_after} is the retry hint; 400, 401 and 403 (chat not found, bad token, bot
 * blocked) are permanent, with Telegram's description. A group that became a supergroup answers 400 with
 * {@code parameters.migrate_to_chat_id}: the message goes at once to the new chat, and the result reports the move
 * so the channel follows it.
 */
@ApplicationScoped
public class TelegramSender implements ChannelSender {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Telegram's most characters in a message. */
    public static final int TEXT_LIMIT = 4096;

    private static final Pattern TOKEN = Pattern.compile("[0-9]+:[A-Za-z0-9_-]+");
    private static final Pattern CHAT_ID = Pattern.compile("-?[0-9]+|@[A-Za-z][A-Za-z0-9_]{3,}");

    private final HttpTransport http;
    private final String baseUrl;

    public TelegramSender(HttpTransport http, NotifierConfig config) {
        this.http = http;
        this.baseUrl = HttpTransport.under(config.telegramUrl(), "");
    }

    @Override
    public ChannelType type() {
        return ChannelType.TELEGRAM;
    }

    @Override
    public CompletionStage<SendResult> send(Channel channel, Notification notification, Duration timeout) {
        String token = channel.text("botToken");
        String chatId = channel.text("chatId");
        if (token == null || !TOKEN.matcher(token).matches()) {
            return CompletableFuture.completedFuture(SendResult.failed("the channel's bot token is not valid"));
        }
        if (chatId == null || !CHAT_ID.matcher(chatId).matches()) {
            return CompletableFuture.completedFuture(SendResult.failed("the channel's chat id is not valid"));
        }
        String url = baseUrl + "/bot" + token + "/sendMessage";
        String text = text(notification);
        return sendTo(url, chatId, text, timeout).thenCompose(answer -> {
            String movedTo = migratedTo(answer);
            if (movedTo == null) {
                return CompletableFuture.completedFuture(result(answer));
            }
            ConfigChange move = new ConfigChange(Map.of("chatId", chatId), Map.of("chatId", movedTo));
            return sendTo(url, movedTo, text, timeout).thenApply(again -> result(again).withConfigChange(move));
        });
    }

    private CompletionStage<HttpTransport.Answer> sendTo(String url, String chatId, String text, Duration timeout) {
        ObjectNode body = JSON.createObjectNode().put("chat_id", chatId).put("text", text).put("parse_mode", "HTML")
                .put("disable_web_page_preview", true);
        return http.exchangeAsync(url, "POST", Map.of(), HttpTransport.utf8(body.toString()), HttpTransport.JSON, timeout);
    }

    /** The new chat id of a group that became a supergroup, when that is what Telegram answered. */
    private static String migratedTo(HttpTransport.Answer answer) {
        if (answer.result().httpStatus() == null || answer.result().httpStatus() != 400) {
            return null;
        }
        JsonNode moved = parsed(answer.body()).path("parameters").path("migrate_to_chat_id");
        String id = moved.isIntegralNumber() || moved.isTextual() ? moved.asText() : null;
        return id != null && CHAT_ID.matcher(id).matches() ? id : null;
    }

    /** The transport's classification, with Telegram's retry hint and description. */
    private static SendResult result(HttpTransport.Answer answer) {
        SendResult result = answer.result();
        if (result.outcome() == SendResult.Outcome.DELIVERED || result.httpStatus() == null) {
            return result;
        }
        JsonNode body = parsed(answer.body());
        String retryAfter = result.retryAfter();
        JsonNode hint = body.path("parameters").path("retry_after");
        if (result.outcome() == SendResult.Outcome.RETRY && hint.canConvertToInt()) {
            retryAfter = String.valueOf(hint.asInt());
        }
        String description = body.path("description").asText("");
        String error = description.isBlank() ? result.error() : result.error() + ": " + clean(description);
        return new SendResult(result.outcome(), result.httpStatus(), retryAfter, error);
    }

    private static JsonNode parsed(String body) {
        if (body == null || body.isBlank()) {
            return JSON.missingNode();
        }
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            return JSON.missingNode();
        }
    }

    private static String clean(String text) {
        StringBuilder clean = new StringBuilder();
        text.codePoints().filter(c -> !Character.isISOControl(c)).limit(200).forEach(clean::appendCodePoint);
        return clean.toString();
    }

    /** The HTML text of a notification, at most {@value #TEXT_LIMIT} characters. */
    public static String text(Notification n) {
        if (n.kind() == DeliveryKind.DIGEST) {
            return digest(n);
        }
        StringBuilder text = new StringBuilder();
        text.append("<b>").append(escape(n.title())).append("</b>\n").append(escape(n.summary())).append('\n');
        for (String[] fact : n.facts()) {
            text.append("\n<b>").append(escape(fact[0])).append(":</b> ").append(escape(fact[1]));
        }
        if (n.link() != null) {
            text.append("\n\n<a href=\"").append(attribute(n.link())).append("\">Open in Vigil</a>");
        }
        String head = text.length() > TEXT_LIMIT - 200 ? cutEscaped(text.toString(), TEXT_LIMIT - 200) : text.toString();
        String body = n.lastPingBody();
        if (body == null || body.isEmpty()) {
            return head;
        }
        String before = head + "\n\n<b>Last ping body</b>\n<pre>";
        String after = "</pre>";
        return before + escapeWithin(body, TEXT_LIMIT - before.length() - after.length()) + after;
    }

    /** A digest: a line per monitor (a link on its name) while they fit, then "… and N more" with the monitor list. */
    private static String digest(Notification n) {
        List<Notification.Entry> entries = n.entries();
        String list = n.monitorListLink();
        StringBuilder text = new StringBuilder("<b>").append(escape(n.title())).append("</b>\n");
        String reserve = more(entries.size(), list);
        int named = 0;
        for (Notification.Entry entry : entries) {
            String name = escape(Notification.cut(entry.monitorName(), Notification.NAME_LIMIT));
            String line = "\n• " + (entry.link() == null ? "<b>" + name + "</b>" : "<a href=\"" + attribute(entry.link()) + "\">" + name + "</a>")
                    + " is <b>" + entry.status() + "</b>"
                    + (entry.reasonText() == null ? "" : ": " + escape(Notification.cut(entry.reasonText(), 200)))
                    + " (" + Notification.readable(entry.occurredAt()) + ")";
            boolean last = named == entries.size() - 1;
            if (text.length() + line.length() + (last ? 0 : reserve.length()) > TEXT_LIMIT) {
                break;
            }
            text.append(line);
            named++;
        }
        if (named < entries.size()) {
            text.append(more(entries.size() - named, list));
        }
        return text.toString();
    }

    private static String more(int count, String list) {
        return "\n\n… and " + count + " more" + (list == null ? "" : ": <a href=\"" + attribute(list) + "\">see the monitor list</a>");
    }

    /** Escapes Telegram's HTML text ({@code & < >}). */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String attribute(String url) {
        return escape(url).replace("\"", "&quot;");
    }

    /** {@code raw} escaped, as much of it as fits {@code room} characters (cut before an entity, never inside one). */
    private static String escapeWithin(String raw, int room) {
        String all = escape(raw);
        if (all.length() <= room) {
            return all;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < raw.length(); ) {
            int c = raw.codePointAt(i);
            String piece = escape(new String(Character.toChars(c)));
            if (out.length() + piece.length() + 1 > room) {
                break;
            }
            out.append(piece);
            i += Character.charCount(c);
        }
        return out.append('…').toString();
    }

    /** Escaped HTML cut to {@code max} characters, never inside an entity or a tag: its tags are dropped when cut. */
    private static String cutEscaped(String html, int max) {
        String plain = html.replaceAll("<[^>]*>", "");
        String cut = plain.length() <= max ? plain : plain.substring(0, max - 1);
        int amp = cut.lastIndexOf('&');
        if (amp >= 0 && cut.indexOf(';', amp) < 0) {
            cut = cut.substring(0, amp);
        }
        return cut + "…";
    }
}
