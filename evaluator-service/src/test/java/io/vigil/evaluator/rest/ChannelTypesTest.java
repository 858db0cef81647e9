package io.vigil.evaluator.rest;

import static io.vigil.evaluator.rest.Admin.full;
import static io.vigil.evaluator.rest.Admin.suffix;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.vigil.contracts.ChannelChanged;
import io.vigil.contracts.ChannelType;
import io.vigil.contracts.Json;
import io.vigil.contracts.SecretsKeyring;
import io.vigil.contracts.Topics;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every channel type through the admin API by its one definition: created with its fields, answered with its secrets
 * masked, put back from a GET body with its secrets kept, refused with the field named when a value is not valid.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = NotifierStandIn.class, restrictToAnnotatedClass = false)
class ChannelTypesTest {

    private static final String PROBLEM = "application/problem+json";

    @Inject
    SecretsKeyring keys;

    /** A valid config of every type, and what its answer shows. */
    private static final Map<String, List<Map<String, Object>>> EXAMPLES = Map.ofEntries(
            Map.entry("pagerduty", List.of(Map.of("routingKey", "R0UT1NGKEY0123456789abcdefabcdef"),
                    Map.of("routingKey", "****"))),
            Map.entry("opsgenie", List.of(Map.of("apiKey", "0f1e2d3c-aaaa-bbbb-cccc-123456789abc", "region", "EU"),
                    Map.of("apiKey", "****", "region", "eu", "priority", "P2"))),
            Map.entry("discord", List.of(Map.of("webhookUrl", "https://203.0.113.20/api/webhooks/1/abc"),
                    Map.of("webhookUrl", "https://203.0.113.20/****"))),
            Map.entry("telegram", List.of(Map.of("botToken", "123456:ABC-def_ghi", "chatId", "-1001234567890"),
                    Map.of("botToken", "****", "chatId", "-1001234567890"))),
            Map.entry("ntfy", List.of(Map.of("serverUrl", "https://203.0.113.21", "topic", "ops-alerts", "token", "tk_abc",
                    "priority", 4), Map.of("serverUrl", "https://203.0.113.21", "topic", "ops-alerts", "token", "****", "priority", 4))),
            Map.entry("pushover", List.of(Map.of("appToken", "azGDORePK8gMaC0QOYAMyEEuzJnyUi", "userKey", "uQiRzpo4DXghDmr9QzzfQu27cmVRsG"),
                    Map.of("appToken", "****", "userKey", "****"))),
            Map.entry("googlechat", List.of(Map.of("webhookUrl", "https://203.0.113.22/v1/spaces/AAA/messages?key=k&token=t"),
                    Map.of("webhookUrl", "https://203.0.113.22/****"))),
            Map.entry("mattermost", List.of(Map.of("webhookUrl", "https://203.0.113.23/hooks/xyz"),
                    Map.of("webhookUrl", "https://203.0.113.23/****"))),
            Map.entry("rocketchat", List.of(Map.of("webhookUrl", "https://203.0.113.24/hooks/a/b"),
                    Map.of("webhookUrl", "https://203.0.113.24/****"))),
            Map.entry("gotify", List.of(Map.of("serverUrl", "https://203.0.113.25", "appToken", "AbCdEf.123"),
                    Map.of("serverUrl", "https://203.0.113.25", "appToken", "****"))),
            Map.entry("matrix", List.of(Map.of("homeserverUrl", "https://203.0.113.26", "roomId", "!abc123:example.org",
                    "accessToken", "syt_secret"), Map.of("homeserverUrl", "https://203.0.113.26", "roomId", "!abc123:example.org",
                    "accessToken", "****"))));

    @Test
    void everyTypeIsCreatedMaskedAndPutBackWithItsSecretsKept() {
        assertThat(EXAMPLES.keySet()).hasSize(ChannelType.values().length - 4); // all but email, slack, teams, webhook
        EXAMPLES.forEach((type, example) -> {
            Map<String, Object> given = example.get(0);
            ValidatableResponse created = full().contentType(ContentType.JSON)
                    .body(Map.of("name", type + "-" + suffix(), "type", type, "config", given))
                    .post("/api/v1/channels").then().statusCode(201).body("type", equalTo(type));
            example.get(1).forEach((field, shown) -> created.body("config." + field, equalTo(shown)));
            String id = created.extract().path("id");

            String body = full().get("/api/v1/channels/" + id).then().statusCode(200).extract().asString();
            full().contentType(ContentType.JSON).body(body).put("/api/v1/channels/" + id).then().statusCode(200);
            Map<String, Object> stored = latest(id, 2).config();
            given.forEach((field, value) -> assertThat(String.valueOf(stored.get(field))).as(type + " " + field)
                    .isEqualToIgnoringCase(String.valueOf(value)));
        });
    }

    @Test
    void omittedOptionalFieldsTakeTheirDefaults() {
        full().contentType(ContentType.JSON)
                .body(Map.of("name", "ntfy-" + suffix(), "type", "ntfy", "config", Map.of("serverUrl", "https://203.0.113.21", "topic", "t")))
                .post("/api/v1/channels").then().statusCode(201)
                .body("config.token", nullValue()).body("config.priority", nullValue());
        full().contentType(ContentType.JSON)
                .body(Map.of("name", "og-" + suffix(), "type", "opsgenie", "config", Map.of("apiKey", "k")))
                .post("/api/v1/channels").then().statusCode(201)
                .body("config.region", equalTo("us")).body("config.priority", equalTo("P2"));
    }

    @Test
    void aValueThatIsNotValidIsRefusedNamingItsField() {
        refused("telegram", Map.of("botToken", "no-colon", "chatId", "chat"), "config.botToken", "config.chatId");
        refused("telegram", Map.of("botToken", "1:a"), "config.chatId");
        refused("opsgenie", Map.of("apiKey", "k", "priority", "P9", "region", "mars"), "config.priority", "config.region");
        refused("ntfy", Map.of("serverUrl", "ftp://203.0.113.21", "topic", "a b", "priority", 6),
                "config.serverUrl", "config.topic", "config.priority");
        refused("pushover", Map.of("appToken", "a", "userKey", "u", "priority", 3), "config.priority");
        refused("matrix", Map.of("homeserverUrl", "https://203.0.113.26", "roomId", "general", "accessToken", "t"), "config.roomId");
        refused("pagerduty", Map.of("routingKey", "k", "severity", "high"), "config.severity");
        refused("pagerduty", Map.of("routingKey", "line\nbreak"), "config.routingKey");
        refused("gotify", Map.of("serverUrl", "https://203.0.113.25", "appToken", "****"), "config.appToken");
        full().contentType(ContentType.JSON).body(Map.of("name", "x", "type", "carrier-pigeon", "config", Map.of()))
                .post("/api/v1/channels").then().statusCode(400).contentType(PROBLEM)
                .body("errors.find { it.field == 'type' }.message", equalTo("must be one of " + ChannelType.names()));
    }

    @Test
    void aMaskedTokenIsNotCarriedToAnotherServer() {
        String id = full().contentType(ContentType.JSON).body(Map.of("name", "ntfy-" + suffix(), "type", "ntfy",
                        "config", Map.of("serverUrl", "https://203.0.113.21", "topic", "t", "token", "tk_secret")))
                .post("/api/v1/channels").then().statusCode(201).extract().path("id");
        full().contentType("application/merge-patch+json").body(Map.of("config", Map.of("serverUrl", "https://198.51.100.66")))
                .patch("/api/v1/channels/" + id).then().statusCode(400).contentType(PROBLEM)
                .body("errors.field", equalTo(List.of("config.token")));
        // on the same server the masked token stands for the stored one
        full().contentType("application/merge-patch+json").body(Map.of("config", Map.of("topic", "other")))
                .patch("/api/v1/channels/" + id).then().statusCode(200).body("config.token", equalTo("****"));
        assertThat(latest(id, 2).config()).containsEntry("token", "tk_secret").containsEntry("topic", "other");
    }

    private static void refused(String type, Map<String, Object> config, String... fields) {
        full().contentType(ContentType.JSON).body(Map.of("name", type + "-" + suffix(), "type", type, "config", config))
                .post("/api/v1/channels").then().statusCode(400).contentType(PROBLEM)
                .body("errors.field", containsInAnyOrder((Object[]) fields));
    }

    /** The channel's newest record on the topic, its sealed settings opened. */
    private ChannelChanged latest(String id, int versions) {
        List<byte[]> records = TopicReader.await(Topics.CHANNELS, id, values -> values.size() >= versions);
        try {
            return Json.read(records.get(records.size() - 1), ChannelChanged.class).openedWith(keys);
        } catch (SecretsKeyring.SealException e) {
            throw new AssertionError(e);
        }
    }
}
