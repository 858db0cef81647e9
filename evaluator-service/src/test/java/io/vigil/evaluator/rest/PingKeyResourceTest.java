package io.vigil.evaluator.rest;

import static io.vigil.evaluator.rest.Admin.full;
import static io.vigil.evaluator.rest.Admin.key;
import static io.vigil.evaluator.rest.Admin.suffix;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vigil.contracts.Json;
import io.vigil.contracts.PingKeyRegistered;
import io.vigil.contracts.TokenHash;
import io.vigil.contracts.Topics;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = NotifierStandIn.class, restrictToAnnotatedClass = false)
class PingKeyResourceTest {

    private static Map<String, Object> body(String name, Map<String, Object> defaults) {
        return Map.of("name", name, "defaults", defaults);
    }

    @Test
    void createAnswersTheKeyOnceAndPublishesOnlyItsHash() {
        String channel = Admin.createSlackChannel();
        String name = "hosts-" + suffix();
        JsonPath created = full().contentType(ContentType.JSON)
                .body(body(name, Map.of("schedule", Map.of("type", "interval", "every", "90s"), "grace", "1m",
                        "channels", List.of(channel), "tags", List.of("cron", "auto"))))
                .post("/api/v1/ping-keys").then().statusCode(201)
                .header("Location", org.hamcrest.Matchers.containsString("/api/v1/ping-keys/"))
                .body("name", equalTo(name))
                .body("defaults.schedule.type", equalTo("interval")).body("defaults.schedule.every", equalTo("PT1M30S"))
                .body("defaults.grace", equalTo("PT1M")).body("defaults.channels", equalTo(List.of(channel)))
                .body("defaults.tags", equalTo(List.of("cron", "auto")))
                .extract().jsonPath();
        String id = created.getString("id");
        String secret = created.getString("key");
        assertThat(secret).matches("[A-Za-z0-9_-]+");
        assertThat(Base64.getUrlDecoder().decode(secret).length * 8).isGreaterThanOrEqualTo(128);
        assertThat(created.getString("pingUrl")).endsWith("/ping/" + secret + "/{slug}");

        Map<String, Object> listed = full().get("/api/v1/ping-keys?limit=500").then().statusCode(200).extract().jsonPath()
                .<Map<String, Object>>getList("items").stream().filter(item -> item.get("id").equals(id)).findFirst().orElseThrow();
        assertThat(listed).containsEntry("name", name).doesNotContainKeys("key", "pingUrl");
        assertThat(listed.toString()).doesNotContain(secret);
        full().get("/api/v1/ping-keys/" + id).then().statusCode(200).body("defaults.grace", equalTo("PT1M"))
                .body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("key")));

        List<byte[]> records = TopicReader.await(Topics.MONITORS, id, values -> !values.isEmpty());
        PingKeyRegistered registered = Json.read(records.get(0), PingKeyRegistered.class);
        assertThat(registered.pingKeyId().toString()).isEqualTo(id);
        assertThat(registered.keyHash()).isEqualTo(TokenHash.of(secret));
        assertThat(new String(records.get(0), StandardCharsets.UTF_8)).doesNotContain(secret);

        full().delete("/api/v1/ping-keys/" + id).then().statusCode(204);
        full().get("/api/v1/ping-keys/" + id).then().statusCode(404).contentType("application/problem+json");
        full().delete("/api/v1/ping-keys/" + id).then().statusCode(404);
        assertThat(TopicReader.await(Topics.MONITORS, id, values -> values.size() == 2).get(1)).isNull();
    }

    @Test
    void defaultsAreCheckedAsAMonitorCreateChecksThemNamingEachField() {
        full().contentType(ContentType.JSON).body(body("bad-" + suffix(), Map.of(
                        "schedule", Map.of("type", "interval", "every", "0s"), "grace", "soon",
                        "channels", List.of("0b6f3a52-5d0c-4f7e-8f8e-2a4c1d9b7e31", "nope"), "tags", List.of("no spaces"),
                        "slug", "x")))
                .post("/api/v1/ping-keys").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", containsInAnyOrder("defaults.schedule.every", "defaults.grace", "defaults.channels[1]",
                        "defaults.tags", "defaults.slug"));
        full().contentType(ContentType.JSON).body(body("bad-" + suffix(), Map.of("schedule",
                        Map.of("type", "cron", "expression", "0 3 30 2 *", "timezone", "Mars/Olympus"))))
                .post("/api/v1/ping-keys").then().statusCode(400)
                .body("errors.field", containsInAnyOrder("defaults.schedule.expression", "defaults.schedule.timezone"));
        full().contentType(ContentType.JSON).body(body("bad-" + suffix(), Map.of("tags", List.of("a"))))
                .post("/api/v1/ping-keys").then().statusCode(400).body("errors.field", containsInAnyOrder("defaults.schedule"));
        full().contentType(ContentType.JSON).body(body("bad-" + suffix(),
                        Map.of("schedule", Map.of("type", "interval", "every", "PT5M"),
                                "channels", List.of("0b6f3a52-5d0c-4f7e-8f8e-2a4c1d9b7e31"))))
                .post("/api/v1/ping-keys").then().statusCode(400).body("errors.field", containsInAnyOrder("defaults.channels[0]"));
        full().contentType(ContentType.JSON).body(Map.of("extra", 1)).post("/api/v1/ping-keys").then().statusCode(400)
                .body("errors.field", containsInAnyOrder("name", "defaults", "extra"));
        full().contentType(ContentType.JSON).body("{\"name\":\"x\",\"defaults\":[]}").post("/api/v1/ping-keys")
                .then().statusCode(400).body("errors.field", containsInAnyOrder("defaults"));
    }

    @Test
    void aCronDefaultKeepsItsZoneAndGraceDefaultsAsAMonitorsDoes() {
        full().contentType(ContentType.JSON).body(body("cron-" + suffix(), Map.of("schedule",
                        Map.of("type", "cron", "expression", "0 3 * * *", "timezone", "Europe/Oslo"))))
                .post("/api/v1/ping-keys").then().statusCode(201)
                .body("defaults.schedule.expression", equalTo("0 3 * * *"))
                .body("defaults.schedule.timezone", equalTo("Europe/Oslo"))
                .body("defaults.grace", equalTo("PT1H")).body("defaults.channels", equalTo(List.of()))
                .body("defaults.tags", equalTo(List.of()));
    }

    @Test
    void pingKeysNeedAFullKey() {
        Admin.NewKey readOnly = Admin.newKey("read-only");
        key(readOnly.secret()).get("/api/v1/ping-keys").then().statusCode(403).contentType("application/problem+json");
        key(readOnly.secret()).contentType(ContentType.JSON)
                .body(body("ro", Map.of("schedule", Map.of("type", "interval", "every", "PT5M"))))
                .post("/api/v1/ping-keys").then().statusCode(403);
        io.restassured.RestAssured.given().get("/api/v1/ping-keys").then().statusCode(401);
    }
}
