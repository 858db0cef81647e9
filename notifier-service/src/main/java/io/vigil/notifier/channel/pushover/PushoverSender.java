package io.vigil.notifier.channel.pushover;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.contracts.ChannelType;
import io.vigil.contracts.Status;
import io.vigil.notifier.Channel;
import io.vigil.notifier.DeliveryKind;
import io.vigil.notifier.Notification;
import io.vigil.notifier.SendResult;
import io.vigil.notifier.channel.ChannelSender;
import io.vigil.notifier.channel.HttpTransport;
import io.vigil.notifier.channel.PlainMessage;
import io.vigil.notifier.config.NotifierConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/**
 * Pushover's Message API: {@code POST <pushover-url>/1/messages.json}, a URL-encoded form of {@code token}, {@code user},
 * {@code title} (at most {@value #TITLE_LIMIT} characters), a plain-text {@code message} (the summary, the facts, the
 * link and the last ping body, at most {@value #MESSAGE_LIMIT} characters; no {@code html}, so nothing is interpreted),
 * {@code url} (the monitor's link, when at most {@value #URL_LIMIT} characters) with {@code url_title}, {@code priority}
 * (the channel's, else 1 for DOWN and 0 otherwise; 2 adds {@code retry=60} and {@code expire=3600}) and the channel's
 * {@code sound} when set. 4xx answers (an invalid token or user) are permanent, with Pushover's errors; 429 and 5xx are
 * retried.
 */
@ApplicationScoped
public class PushoverSender implements ChannelSender {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static final int TITLE_LIMIT = 250;
    public static final int MESSAGE_LIMIT = 1024;
    public static final int URL_LIMIT = 512;

    private final HttpTransport http;
    private final String url;

    public PushoverSender(HttpTransport http, NotifierConfig config) {
        this.http = http;
        this.url = HttpTransport.under(config.pushoverUrl(), "/1/messages.json");
    }

    @Override
    public ChannelType type() {
        return ChannelType.PUSHOVER;
    }

    @Override
    public CompletionStage<SendResult> send(Channel channel, Notification notification, Duration timeout) {
        String token = channel.text("appToken");
        String user = channel.text("userKey");
        if (token == null || token.isBlank() || user == null || user.isBlank()) {
            return CompletableFuture.completedFuture(SendResult.failed("the channel has no application token or user key"));
        }
        byte[] form = encode(fields(notification, token, user, priority(channel, notification), channel.text("sound")));
        return http.exchangeAsync(url, "POST", Map.of(), form, HttpTransport.FORM, timeout).thenApply(PushoverSender::result);
    }

    /** The form's fields, in order. */
    public static Map<String, String> fields(Notification n, String token, String user, int priority, String sound) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("token", token);
        form.put("user", user);
        form.put("title", PlainMessage.cut(n.title(), TITLE_LIMIT, PlainMessage.CHARS));
        form.put("message", PlainMessage.of(n, MESSAGE_LIMIT, PlainMessage.CHARS));
        String link = n.kind() == DeliveryKind.DIGEST ? n.monitorListLink() : n.link();
        if (link != null && link.length() <= URL_LIMIT) {
            form.put("url", link);
            form.put("url_title", n.kind() == DeliveryKind.DIGEST ? "See the monitor list" : "Open in Vigil");
        }
        form.put("priority", String.valueOf(priority));
        if (priority == 2) {
            form.put("retry", "60");
            form.put("expire", "3600");
        }
        if (sound != null && !sound.isBlank()) {
            form.put("sound", sound);
        }
        return form;
    }

    private static byte[] encode(Map<String, String> form) {
        return form.entrySet().stream()
                .map(field -> URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&")).getBytes(StandardCharsets.UTF_8);
    }

    private static int priority(Channel channel, Notification n) {
        Object configured = channel.config().get("priority");
        if (configured instanceof Number number) {
            return Math.max(-2, Math.min(2, number.intValue()));
        }
        return n.kind() != DeliveryKind.NOTICE && n.kind() != DeliveryKind.TEST && n.status() == Status.DOWN ? 1 : 0;
    }

    /** The transport's classification, with Pushover's errors named. */
    private static SendResult result(HttpTransport.Answer answer) {
        SendResult result = answer.result();
        if (result.outcome() == SendResult.Outcome.DELIVERED || answer.body() == null) {
            return result;
        }
        List<String> errors = new ArrayList<>();
        try {
            JsonNode body = JSON.readTree(answer.body());
            body.path("errors").forEach(error -> errors.add(error.asText()));
        } catch (Exception e) {
            return result;
        }
        if (errors.isEmpty()) {
            return result;
        }
        StringBuilder clean = new StringBuilder();
        String.join("; ", errors).codePoints().filter(c -> !Character.isISOControl(c)).limit(200).forEach(clean::appendCodePoint);
        return new SendResult(result.outcome(), result.httpStatus(), result.retryAfter(), result.error() + ": " + clean);
    }
}
