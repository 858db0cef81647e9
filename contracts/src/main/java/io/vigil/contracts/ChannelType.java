package io.vigil.contracts;

import static io.vigil.contracts.ChannelDefinition.Field.choice;
import static io.vigil.contracts.ChannelDefinition.Field.emails;
import static io.vigil.contracts.ChannelDefinition.Field.headers;
import static io.vigil.contracts.ChannelDefinition.Field.integer;
import static io.vigil.contracts.ChannelDefinition.Field.text;
import static io.vigil.contracts.ChannelDefinition.Field.url;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The kinds of notification channel, each with its one definition ({@link ChannelDefinition}); the JSON form is lower case
 * ({@code "slack"}). A new type is a constant here and a sender in the notifier.
 */
public enum ChannelType {
    EMAIL(new ChannelDefinition(List.of(emails("to")), null, List.of(), Duration.ZERO, true)),
    SLACK(chatWebhook(Duration.ofSeconds(1))),
    TEAMS(chatWebhook(Duration.ofSeconds(1))),
    WEBHOOK(new ChannelDefinition(List.of(url("url").asSecret(), choice("method", "POST", "PUT", "PATCH").orElse("POST"), headers("headers"),
            text("secret", 1024).asSecret().optional()), "url", List.of("url"), Duration.ofMillis(50), false)),
    /** PagerDuty Events API v2: one incident per monitor, opened on DOWN and resolved on recovery. */
    PAGERDUTY(new ChannelDefinition(List.of(text("routingKey", 128).asSecret()), null, List.of(), Duration.ZERO, false)),
    /** Opsgenie Alert API: one alert per monitor, created on DOWN and closed on recovery. */
    OPSGENIE(new ChannelDefinition(List.of(text("apiKey", 128).asSecret(), choice("region", "us", "eu").orElse("us"),
            choice("priority", "P1", "P2", "P3", "P4", "P5").orElse("P2")), null, List.of(), Duration.ZERO, false)),
    /** Discord allows 5 messages per 2 s per webhook. */
    DISCORD(chatWebhook(Duration.ofMillis(400))),
    /** Telegram allows about one message per second per chat. */
    TELEGRAM(new ChannelDefinition(List.of(
            text("botToken", 128).asSecret().matching("[0-9]+:[A-Za-z0-9_-]+", "a bot token as @BotFather gives it (123456:ABC-...)"),
            text("chatId", 64).matching("-?[0-9]+|@[A-Za-z][A-Za-z0-9_]{3,}", "a numeric chat id or a @channelusername").asMovable()),
            null, List.of("botToken", "chatId"), Duration.ofSeconds(1), true)),
    NTFY(new ChannelDefinition(List.of(url("serverUrl").orElse("https://ntfy.sh"),
            text("topic", 64).matching("[A-Za-z0-9_-]+", "letters, digits, _ and -"),
            text("token", 1024).asSecret().optional(), integer("priority", 1, 5)),
            "serverUrl", List.of("serverUrl", "topic"), Duration.ofSeconds(1), true)),
    PUSHOVER(new ChannelDefinition(List.of(
            text("appToken", 64).asSecret().matching("[A-Za-z0-9]+", "an application token (letters and digits)"),
            text("userKey", 64).asSecret().matching("[A-Za-z0-9]+", "a user or group key (letters and digits)"),
            integer("priority", -2, 2), text("sound", 64).optional().matching("[A-Za-z0-9_-]+", "a sound's name")),
            null, List.of("appToken", "userKey"), Duration.ofSeconds(1), true)),
    /** Google Chat allows one message per second per space. */
    GOOGLECHAT(chatWebhook(Duration.ofSeconds(1))),
    MATTERMOST(chatWebhook(Duration.ofSeconds(1))),
    ROCKETCHAT(chatWebhook(Duration.ofSeconds(1))),
    GOTIFY(new ChannelDefinition(List.of(url("serverUrl"), text("appToken", 256).asSecret(), integer("priority", 0, 10)),
            "serverUrl", List.of("serverUrl", "appToken"), Duration.ZERO, true)),
    MATRIX(new ChannelDefinition(List.of(url("homeserverUrl"),
            text("roomId", 255).matching("![^:\\s]+:\\S+", "a room id such as !abc123:example.org"),
            text("accessToken", 1024).asSecret()), "homeserverUrl", List.of("homeserverUrl", "roomId"), Duration.ofSeconds(1), true));

    private final ChannelDefinition definition;

    ChannelType(ChannelDefinition definition) {
        this.definition = definition;
    }

    /** A chat service's incoming webhook: the secret URL is the whole config. */
    private static ChannelDefinition chatWebhook(Duration rate) {
        return new ChannelDefinition(List.of(url("webhookUrl").asSecret()), "webhookUrl", List.of("webhookUrl"), rate, true);
    }

    /** This type's definition. */
    public ChannelDefinition definition() {
        return definition;
    }

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ChannelType fromJson(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    /** The JSON names of every type, comma separated (for messages). */
    public static String names() {
        return Arrays.stream(values()).map(ChannelType::json).collect(Collectors.joining(", "));
    }
}
