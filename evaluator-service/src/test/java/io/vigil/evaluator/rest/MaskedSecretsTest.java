package io.vigil.evaluator.rest;

import static io.vigil.evaluator.rest.Admin.full;
import static io.vigil.evaluator.rest.Admin.suffix;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vigil.contracts.ChannelChanged;
import io.vigil.contracts.Json;
import io.vigil.contracts.SecretsKeyring;
import io.vigil.contracts.Topics;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A masked secret ({@code ****}) sent back stands for the stored one only while the target's scheme, host,
 * port and path are unchanged; otherwise the answer is 400 naming each secret that must be entered again.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = NotifierStandIn.class, restrictToAnnotatedClass = false)
class MaskedSecretsTest {

    private static final String PROBLEM = "application/problem+json";

    @Inject
    SecretsKeyring keys;

    @Test
    void patchingOnlyTheUrlDoesNotCarryTheStoredSecretsToTheNewTarget() {
        String url = "https://203.0.113.9/hooks/" + suffix();
        String id = webhook(url);
        for (String target : List.of("https://198.51.100.66/hooks/x", url.replace("https://", "http://"),
                url.replace("203.0.113.9", "203.0.113.9:8443"), url + "/more", "https://203.0.113.10" + url.substring(url.indexOf("/hooks")))) {
            full().contentType("application/merge-patch+json").body(Map.of("config", Map.of("url", target)))
                    .patch("/api/v1/channels/" + id).then().statusCode(400).contentType(PROBLEM)
                    .body("errors.field", containsInAnyOrder("config.secret", "config.headers.Authorization"));
        }
        // nothing was stored or published: the channel still has its first version and target
        full().get("/api/v1/channels/" + id).then().statusCode(200).body("config.url", equalTo("https://203.0.113.9/****"));
        ChannelChanged latest = latest(id, 1);
        assertThat(latest.version()).isEqualTo(1);
        assertThat(latest.config()).containsEntry("url", url);
    }

    @Test
    void aGetBodyPutBackWithAnotherUrlMustBringItsSecretsAgain() {
        String url = "https://203.0.113.9/hooks/" + suffix();
        String id = webhook(url);
        String body = full().get("/api/v1/channels/" + id).then().statusCode(200).extract().asString();
        String moved = body.replace("https://203.0.113.9/****", "https://198.51.100.66/collect");
        assertThat(moved).isNotEqualTo(body);
        full().contentType(ContentType.JSON).body(moved).put("/api/v1/channels/" + id).then().statusCode(400)
                .contentType(PROBLEM).body("errors.field", containsInAnyOrder("config.secret", "config.headers.Authorization"));

        // entered again, the move is taken
        Map<String, Object> config = new HashMap<>();
        config.put("url", "https://198.51.100.66/collect");
        config.put("headers", Map.of("Authorization", "Bearer new-" + suffix()));
        config.put("secret", "new-secret");
        full().contentType(ContentType.JSON).body(Map.of("name", "pager", "type", "webhook", "config", config))
                .put("/api/v1/channels/" + id).then().statusCode(200).body("config.url", equalTo("https://198.51.100.66/****"));
        assertThat(latest(id, 2).config()).containsEntry("secret", "new-secret").containsEntry("url", "https://198.51.100.66/collect");
    }

    @Test
    void theSameTargetKeepsTheMaskedSecrets() {
        String url = "https://203.0.113.9/hooks/" + suffix();
        String id = webhook(url);
        // the same scheme, host, port and path (here with a query and the default port spelled out) keeps them
        String same = url.replace("203.0.113.9", "203.0.113.9:443") + "?source=vigil";
        full().contentType("application/merge-patch+json").body(Map.of("config", Map.of("url", same)))
                .patch("/api/v1/channels/" + id).then().statusCode(200).body("config.secret", equalTo("****"));
        ChannelChanged latest = latest(id, 2);
        assertThat(latest.config()).containsEntry("url", same).containsEntry("secret", "s3cret")
                .containsEntry("headers", Map.of("Authorization", "Bearer abc"));
        // a new target with the secret removed and no masked header is fine too
        full().contentType("application/merge-patch+json")
                .body("{\"config\":{\"url\":\"https://198.51.100.66/x\",\"secret\":null,\"headers\":null}}")
                .patch("/api/v1/channels/" + id).then().statusCode(200);
        Map<String, Object> moved = latest(id, 3).config();
        assertThat(moved).containsEntry("url", "https://198.51.100.66/x").containsEntry("headers", Map.of());
        assertThat(moved.get("secret")).isNull();
    }

    @Test
    void aMaskedSlackOrTeamsUrlCannotMoveToAnotherHost() {
        for (String type : List.of("slack", "teams")) {
            String url = "https://203.0.113.7/services/T0/B0/" + suffix();
            String id = full().contentType(ContentType.JSON)
                    .body(Map.of("name", type + "-" + suffix(), "type", type, "config", Map.of("webhookUrl", url)))
                    .post("/api/v1/channels").then().statusCode(201).extract().path("id");
            for (String masked : List.of("https://198.51.100.66/****", "http://203.0.113.7/****", "https://203.0.113.7:8443/****")) {
                full().contentType("application/merge-patch+json").body(Map.of("config", Map.of("webhookUrl", masked)))
                        .patch("/api/v1/channels/" + id).then().statusCode(400).contentType(PROBLEM)
                        .body("errors.field", equalTo(List.of("config.webhookUrl")));
                String body = full().get("/api/v1/channels/" + id).then().statusCode(200).extract().asString();
                full().contentType(ContentType.JSON).body(body.replace("https://203.0.113.7/****", masked))
                        .put("/api/v1/channels/" + id).then().statusCode(400)
                        .body("errors.field", equalTo(List.of("config.webhookUrl")));
            }
            // sent back unchanged, the masked URL stands for the stored one
            full().contentType("application/merge-patch+json").body(Map.of("name", "renamed-" + suffix()))
                    .patch("/api/v1/channels/" + id).then().statusCode(200);
            assertThat(latest(id, 2).config()).containsEntry("webhookUrl", url);
        }
    }

    private static String webhook(String url) {
        Map<String, Object> config = new HashMap<>();
        config.put("url", url);
        config.put("headers", Map.of("Authorization", "Bearer abc"));
        config.put("secret", "s3cret");
        return full().contentType(ContentType.JSON).body(Map.of("name", "pager", "type", "webhook", "config", config))
                .post("/api/v1/channels").then().statusCode(201).extract().path("id");
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
