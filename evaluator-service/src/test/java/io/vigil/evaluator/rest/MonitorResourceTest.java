package io.vigil.evaluator.rest;

import static io.vigil.evaluator.rest.Admin.createMonitor;
import static io.vigil.evaluator.rest.Admin.full;
import static io.vigil.evaluator.rest.Admin.monitorBody;
import static io.vigil.evaluator.rest.Admin.suffix;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vigil.contracts.Json;
import io.vigil.contracts.MonitorRegistered;
import io.vigil.contracts.TokenHash;
import io.vigil.contracts.Topics;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = NotifierStandIn.class, restrictToAnnotatedClass = false)
class MonitorResourceTest {

    private static final String PROBLEM = "application/problem+json";

    @Test
    void createAnswersTheMonitorWithItsPingUrl() {
        String channel = Admin.createSlackChannel();
        String name = "Nightly Backup " + suffix();
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("description", "pg_dump of the main database");
        body.put("tags", List.of("prod", "db"));
        body.put("schedule", Map.of("type", "interval", "every", "24h"));
        body.put("grace", "every 1 hour");
        body.put("maxRuntime", "PT2H");
        body.put("channels", List.of(channel));
        JsonPath monitor = full().contentType(ContentType.JSON).body(body).post("/api/v1/monitors")
                .then().statusCode(201).contentType(ContentType.JSON)
                .header("Location", org.hamcrest.Matchers.containsString("/api/v1/monitors/"))
                .body("name", equalTo(name))
                .body("slug", equalTo(name.toLowerCase().replace(' ', '-')))
                .body("tags", containsInAnyOrder("prod", "db"))
                .body("schedule.type", equalTo("interval")).body("schedule.every", equalTo("PT24H"))
                .body("grace", equalTo("PT1H")).body("maxRuntime", equalTo("PT2H"))
                .body("channels", equalTo(List.of(channel)))
                .body("status", equalTo("NEW")).body("running", equalTo(false))
                .body("lastPingAt", nullValue()).body("pingCount", equalTo(0))
                .extract().jsonPath();
        String token = monitor.getString("token");
        assertThat(token).matches("[A-Za-z0-9_-]{22,}");
        assertThat(monitor.getString("pingUrl")).isEqualTo("http://localhost:8080/ping/" + token);
        assertThat(monitor.getString("createdAt")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(monitor.getString("badgeUrl")).matches("http://localhost:8081/badge/[A-Za-z0-9_-]{27}\\.svg");
        // the JSON order is the contract's: writable fields first, then the server's
        String raw = full().get("/api/v1/monitors/" + monitor.getString("id")).then().statusCode(200).extract().asString();
        assertThat(raw.indexOf("\"name\"")).isLessThan(raw.indexOf("\"schedule\""));
        assertThat(raw.indexOf("\"channels\"")).isLessThan(raw.indexOf("\"id\""));
        assertThat(raw.indexOf("\"id\"")).isLessThan(raw.indexOf("\"status\""));
    }

    @Test
    void defaultsGraceFromTheSchedule() {
        assertThat(createMonitor(Map.of("schedule", Map.of("type", "interval", "every", "5m"))).getString("grace")).isEqualTo("PT5M");
        assertThat(createMonitor(Map.of("schedule", Map.of("type", "interval", "every", "P1D"))).getString("grace")).isEqualTo("PT1H");
        JsonPath cron = createMonitor(Map.of("schedule", Map.of("type", "cron", "expression", "0 3 * * *", "timezone", "Europe/Oslo")));
        assertThat(cron.getString("grace")).isEqualTo("PT1H");
        assertThat(cron.getMap("schedule")).containsEntry("expression", "0 3 * * *").containsEntry("timezone", "Europe/Oslo")
                .doesNotContainKey("every");
        assertThat(createMonitor(Map.of("grace", "0s")).getString("grace")).isEqualTo("PT0S");
    }

    @Test
    void slugsAreUniqueAndMadeFromTheName() {
        String slug = "backup-" + suffix();
        createMonitor(Map.of("slug", slug));
        full().contentType(ContentType.JSON).body(monitorBody(Map.of("slug", slug))).post("/api/v1/monitors")
                .then().statusCode(409).contentType(PROBLEM).body("errors.field", hasItem("slug"));
        String name = "Crème Brûlée " + suffix();
        String first = createMonitor(Map.of("name", name)).getString("slug");
        String second = createMonitor(Map.of("name", name)).getString("slug");
        assertThat(first).matches("[a-z0-9_-]+").startsWith("creme-brulee-");
        assertThat(second).isEqualTo(first + "-2");
    }

    @Test
    void anImportedTokenKeepsItsPingUrl() {
        String uuid = UUID.randomUUID().toString();
        JsonPath monitor = createMonitor(Map.of("token", uuid));
        assertThat(monitor.getString("pingUrl")).endsWith("/ping/" + uuid);
        full().contentType(ContentType.JSON).body(monitorBody(Map.of("token", uuid))).post("/api/v1/monitors")
                .then().statusCode(409).contentType(PROBLEM).body("errors.field", hasItem("token"));
        full().contentType(ContentType.JSON).body(monitorBody(Map.of("token", "short"))).post("/api/v1/monitors")
                .then().statusCode(400).body("errors.field", hasItem("token"));
        full().contentType(ContentType.JSON).body(monitorBody(Map.of("token", "has spaces in it, sixteen+"))).post("/api/v1/monitors")
                .then().statusCode(400).body("errors.field", hasItem("token"));
    }

    @Test
    void everyRuleNamesItsField() {
        assertRefused(Map.of("schedule", Map.of("type", "interval", "every", "500ms")), "schedule.every");
        assertRefused(Map.of("schedule", Map.of("type", "interval", "every", "P366D")), "schedule.every");
        assertRefused(Map.of("schedule", Map.of("type", "interval", "every", "soon")), "schedule.every");
        assertRefused(Map.of("schedule", Map.of("type", "interval")), "schedule.every");
        assertRefused(Map.of("schedule", Map.of("type", "weekly")), "schedule.type");
        assertRefused(Map.of("schedule", Map.of("type", "interval", "every", "PT5M", "expression", "* * * * *")), "schedule.expression");
        assertRefused(Map.of("schedule", Map.of("type", "cron", "expression", "61 * * * *")), "schedule.expression");
        assertRefused(Map.of("schedule", Map.of("type", "cron", "expression", "0 3 * *")), "schedule.expression");
        assertRefused(Map.of("schedule", Map.of("type", "cron", "expression", "0 3 * * *", "timezone", "Mars/Olympus")), "schedule.timezone");
        assertRefused(Map.of("schedule", "PT5M"), "schedule");
        assertRefused(Map.of("grace", "-PT1M"), "grace");
        assertRefused(Map.of("grace", "P366D"), "grace");
        assertRefused(Map.of("maxRuntime", "P400D"), "maxRuntime");
        assertRefused(Map.of("maxRuntime", 5), "maxRuntime");
        assertRefused(Map.of("channels", List.of(UUID.randomUUID().toString())), "channels[0]");
        assertRefused(Map.of("channels", List.of("not-a-uuid")), "channels[0]");
        assertRefused(Map.of("slug", "Upper Case"), "slug");
        assertRefused(Map.of("slug", "a/b"), "slug");
        assertRefused(Map.of("name", ""), "name");
        assertRefused(Map.of("name", 7), "name");
        assertRefused(Map.of("tags", "prod"), "tags");
        assertRefused(Map.of("tags", List.of("has space")), "tags");
        assertRefused(Map.of("description", "x".repeat(2001)), "description");
        assertRefused(Map.of("colour", "red"), "colour");
        Map<String, Object> noName = monitorBody(Map.of());
        noName.remove("name");
        full().contentType(ContentType.JSON).body(noName).post("/api/v1/monitors").then().statusCode(400)
                .body("errors.field", equalTo(List.of("name")));
        Map<String, Object> noSchedule = monitorBody(Map.of());
        noSchedule.remove("schedule");
        full().contentType(ContentType.JSON).body(noSchedule).post("/api/v1/monitors").then().statusCode(400)
                .body("errors.field", equalTo(List.of("schedule")));
    }

    @Test
    void oneAnswerNamesEveryBadField() {
        Map<String, Object> body = new HashMap<>();
        body.put("name", "");
        body.put("slug", "BAD SLUG");
        body.put("schedule", Map.of("type", "cron", "expression", "nope", "timezone", "Nowhere/Town"));
        body.put("grace", "P999D");
        body.put("channels", List.of(UUID.randomUUID().toString()));
        body.put("unknown", true);
        full().contentType(ContentType.JSON).body(body).post("/api/v1/monitors").then().statusCode(400).contentType(PROBLEM)
                .body("type", org.hamcrest.Matchers.notNullValue()).body("title", org.hamcrest.Matchers.notNullValue())
                .body("status", equalTo(400)).body("detail", org.hamcrest.Matchers.notNullValue())
                .body("errors.field", containsInAnyOrder("name", "slug", "schedule.expression", "schedule.timezone", "grace",
                        "channels[0]", "unknown"))
                .body("errors.message", not(hasItem(nullValue())));
    }

    @Test
    void aGetBodyCanBePutBackAndPutKeepsTheToken() {
        JsonPath created = createMonitor(Map.of("tags", List.of("a"), "maxRuntime", "PT10M"));
        String id = created.getString("id");
        String body = full().get("/api/v1/monitors/" + id).then().statusCode(200).extract().asString();
        Map<String, Object> back = full().contentType(ContentType.JSON).body(body).put("/api/v1/monitors/" + id)
                .then().statusCode(200).extract().jsonPath().getMap("$");
        Map<String, Object> before = JsonPath.from(body).getMap("$");
        before.remove("updatedAt");
        back.remove("updatedAt");
        assertThat(back).isEqualTo(before);

        Map<String, Object> replacement = monitorBody(Map.of("name", "renamed-" + suffix(),
                "schedule", Map.of("type", "cron", "expression", "*/5 * * * *")));
        JsonPath replaced = full().contentType(ContentType.JSON).body(replacement).put("/api/v1/monitors/" + id)
                .then().statusCode(200).extract().jsonPath();
        assertThat(replaced.getString("token")).isEqualTo(created.getString("token"));
        assertThat(replaced.getString("slug")).isEqualTo(created.getString("slug"));
        assertThat(replaced.getList("tags")).isEmpty();
        assertThat(replaced.getString("maxRuntime")).isNull();
        assertThat(replaced.getString("schedule.timezone")).isEqualTo("UTC");

        full().contentType(ContentType.JSON).body(monitorBody(Map.of("token", "another-token-0123456789")))
                .put("/api/v1/monitors/" + id).then().statusCode(400).body("errors.field", hasItem("token"));
        full().contentType(ContentType.JSON).body(monitorBody(Map.of())).put("/api/v1/monitors/" + UUID.randomUUID())
                .then().statusCode(404).contentType(PROBLEM);
    }

    @Test
    void putToATakenSlugIsAConflict() {
        String taken = createMonitor(Map.of()).getString("slug");
        String id = createMonitor(Map.of()).getString("id");
        full().contentType(ContentType.JSON).body(monitorBody(Map.of("slug", taken))).put("/api/v1/monitors/" + id)
                .then().statusCode(409).contentType(PROBLEM).body("errors.field", hasItem("slug"));
        full().contentType("application/merge-patch+json").body(Map.of("slug", taken)).patch("/api/v1/monitors/" + id)
                .then().statusCode(409);
    }

    @Test
    void patchIsAMergePatch() {
        JsonPath created = createMonitor(Map.of("tags", List.of("x", "y"), "maxRuntime", "PT10M", "description", "d"));
        String id = created.getString("id");
        JsonPath patched = full().contentType("application/merge-patch+json")
                .body("{\"grace\":\"PT2M\",\"maxRuntime\":null,\"schedule\":{\"every\":\"PT10M\"}}")
                .patch("/api/v1/monitors/" + id).then().statusCode(200).extract().jsonPath();
        assertThat(patched.getString("grace")).isEqualTo("PT2M");
        assertThat(patched.getString("maxRuntime")).isNull();
        assertThat(patched.getString("schedule.every")).isEqualTo("PT10M");
        assertThat(patched.getList("tags")).containsExactly("x", "y");
        assertThat(patched.getString("description")).isEqualTo("d");
        assertThat(patched.getString("token")).isEqualTo(created.getString("token"));
        full().contentType(ContentType.JSON).body("{\"tags\":[\"z\"]}").patch("/api/v1/monitors/" + id)
                .then().statusCode(200).body("tags", equalTo(List.of("z")));
        full().contentType(ContentType.JSON).body("{\"schedule\":{\"type\":\"cron\"}}").patch("/api/v1/monitors/" + id)
                .then().statusCode(400).body("errors.field", hasItem("schedule.every"));
        full().contentType(ContentType.JSON).body("{\"name\":null}").patch("/api/v1/monitors/" + id)
                .then().statusCode(400).body("errors.field", hasItem("name"));
        full().contentType(ContentType.JSON).body("{\"id\":\"ignored\",\"status\":\"DOWN\"}").patch("/api/v1/monitors/" + id)
                .then().statusCode(200).body("status", equalTo("NEW")).body("id", equalTo(id));
        full().contentType(ContentType.TEXT).body("grace=1").patch("/api/v1/monitors/" + id).then().statusCode(415).contentType(PROBLEM);
    }

    @Test
    void listFiltersByEveryTagAndByStatusAndPages() {
        String tag = "t" + suffix();
        String other = "o" + suffix();
        String both = createMonitor(Map.of("tags", List.of(tag, other))).getString("id");
        String one = createMonitor(Map.of("tags", List.of(tag))).getString("id");
        String paused = createMonitor(Map.of("tags", List.of(tag))).getString("id");
        full().post("/api/v1/monitors/" + paused + "/pause").then().statusCode(200).body("status", equalTo("PAUSED"));

        full().get("/api/v1/monitors?tag=" + tag).then().statusCode(200)
                .body("items.id", equalTo(List.of(both, one, paused))).body("nextCursor", nullValue());
        full().get("/api/v1/monitors?tag=" + tag + "&tag=" + other).then().body("items.id", equalTo(List.of(both)));
        full().get("/api/v1/monitors?tag=" + tag + "&status=PAUSED").then().body("items.id", equalTo(List.of(paused)));
        full().get("/api/v1/monitors?tag=" + tag + "&status=new").then().body("items.id", equalTo(List.of(both, one)));
        full().get("/api/v1/monitors?status=SLEEPING").then().statusCode(400).body("errors.field", hasItem("status"));
        // a tag no monitor can have is a 400 naming the parameter (a NUL once reached PostgreSQL and made a 500)
        full().urlEncodingEnabled(false).get("/api/v1/monitors?tag=%3C%00x").then().statusCode(400).contentType(PROBLEM)
                .body("errors.field", hasItem("tag"));

        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            JsonPath page = full().queryParam("tag", tag).queryParam("limit", 2)
                    .queryParam("cursor", cursor == null ? "" : cursor).get("/api/v1/monitors").then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("items.id"));
            assertThat(page.getList("items")).hasSizeLessThanOrEqualTo(2);
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        assertThat(seen).containsExactly(both, one, paused);

        full().get("/api/v1/monitors?limit=501").then().statusCode(400).contentType(PROBLEM).body("errors.field", hasItem("limit"));
        full().get("/api/v1/monitors?limit=0").then().statusCode(400);
        full().get("/api/v1/monitors?limit=ten").then().statusCode(400);
        full().get("/api/v1/monitors?limit=500").then().statusCode(200);
        full().get("/api/v1/monitors?cursor=garbage").then().statusCode(400).body("errors.field", hasItem("cursor"));
    }

    @Test
    void pauseAndResumeFollowTheStateTable() {
        String id = createMonitor(Map.of()).getString("id");
        full().post("/api/v1/monitors/" + id + "/resume").then().statusCode(409).contentType(PROBLEM);
        full().post("/api/v1/monitors/" + id + "/pause").then().statusCode(200).body("status", equalTo("PAUSED"));
        full().post("/api/v1/monitors/" + id + "/pause").then().statusCode(200).body("status", equalTo("PAUSED"));
        full().post("/api/v1/monitors/" + id + "/resume").then().statusCode(200).body("status", equalTo("NEW"));
        full().post("/api/v1/monitors/" + id + "/resume").then().statusCode(409);
        full().get("/api/v1/monitors/" + id + "/flips").then().statusCode(200)
                .body("items.to", equalTo(List.of("NEW", "PAUSED"))).body("items.reason", equalTo(List.of("resumed", "paused")));
        full().post("/api/v1/monitors/" + UUID.randomUUID() + "/pause").then().statusCode(404);
        full().post("/api/v1/monitors/" + UUID.randomUUID() + "/resume").then().statusCode(404);
    }

    @Test
    void flipsPageNewestFirstAndFilterBySince() {
        String id = createMonitor(Map.of()).getString("id");
        for (int i = 0; i < 3; i++) {
            full().post("/api/v1/monitors/" + id + "/pause").then().statusCode(200);
            full().post("/api/v1/monitors/" + id + "/resume").then().statusCode(200);
        }
        List<Map<String, Object>> flips = full().get("/api/v1/monitors/" + id + "/flips").then().statusCode(200)
                .body("items", hasSize(6)).extract().jsonPath().getList("items");
        assertThat(flips.get(0)).containsKeys("id", "at", "from", "to", "reason", "detectedAt");
        JsonPath first = full().get("/api/v1/monitors/" + id + "/flips?limit=4").then().body("items", hasSize(4)).extract().jsonPath();
        full().get("/api/v1/monitors/" + id + "/flips?limit=4&cursor=" + first.getString("nextCursor")).then()
                .body("items", hasSize(2)).body("nextCursor", nullValue())
                .body("items.id", equalTo(flips.subList(4, 6).stream().map(f -> f.get("id")).toList()));
        String since = (String) flips.get(1).get("at");
        List<Object> recent = full().queryParam("since", since).get("/api/v1/monitors/" + id + "/flips").then().statusCode(200)
                .extract().jsonPath().getList("items.at");
        assertThat(recent).isNotEmpty().allSatisfy(at -> assertThat((String) at).isGreaterThanOrEqualTo(since));
        full().get("/api/v1/monitors/" + id + "/flips?since=yesterday").then().statusCode(400).body("errors.field", hasItem("since"));
        full().get("/api/v1/monitors/" + UUID.randomUUID() + "/flips").then().statusCode(404);
    }

    @Test
    void rotateTokenChangesTheTokenAndPublishesTheRegistry() {
        JsonPath created = createMonitor(Map.of());
        String id = created.getString("id");
        String oldToken = created.getString("token");
        TopicReader.await(Topics.MONITORS, id, records -> records.stream().anyMatch(value -> value != null
                && TokenHash.matches(Json.read(value, MonitorRegistered.class).tokenHash(), TokenHash.of(oldToken))));
        JsonPath rotated = full().post("/api/v1/monitors/" + id + "/rotate-token").then().statusCode(200).extract().jsonPath();
        String newToken = rotated.getString("token");
        assertThat(newToken).isNotEqualTo(oldToken).matches("[A-Za-z0-9_-]{22,}");
        assertThat(rotated.getString("pingUrl")).endsWith("/ping/" + newToken);
        List<byte[]> records = TopicReader.await(Topics.MONITORS, id, values -> values.stream().anyMatch(value -> value != null
                && Json.read(value, MonitorRegistered.class).tokenHash().equals(TokenHash.of(newToken))));
        MonitorRegistered latest = Json.read(records.get(records.size() - 1), MonitorRegistered.class);
        MonitorRegistered first = Json.read(records.get(0), MonitorRegistered.class);
        assertThat(latest.tokenHash()).isEqualTo(TokenHash.of(newToken));
        assertThat(latest.version()).isGreaterThan(first.version());
        assertThat(new String(records.get(records.size() - 1))).doesNotContain(newToken);
        full().post("/api/v1/monitors/" + UUID.randomUUID() + "/rotate-token").then().statusCode(404);
    }

    @Test
    void deleteRemovesTheMonitorAndTombstonesTheRegistry() {
        String id = createMonitor(Map.of()).getString("id");
        TopicReader.await(Topics.MONITORS, id, records -> !records.isEmpty());
        full().delete("/api/v1/monitors/" + id).then().statusCode(204);
        full().get("/api/v1/monitors/" + id).then().statusCode(404).contentType(PROBLEM);
        full().delete("/api/v1/monitors/" + id).then().statusCode(404);
        TopicReader.await(Topics.MONITORS, id, records -> records.get(records.size() - 1) == null);
    }

    @Test
    void theReservedPipelineMonitorTakesChannelsButIsNotDeleted() {
        JsonPath pipeline = full().get("/api/v1/monitors?limit=500").then().statusCode(200).extract().jsonPath();
        String id = pipeline.getString("items.find { it.slug == 'vigil-pipeline' }.id");
        assertThat(id).as("the engine creates vigil-pipeline at start").isNotNull();
        String channel = Admin.createEmailChannel();
        full().contentType("application/merge-patch+json").body(Map.of("channels", List.of(channel)))
                .patch("/api/v1/monitors/" + id).then().statusCode(200).body("channels", equalTo(List.of(channel)));
        full().contentType("application/merge-patch+json").body(Map.of("grace", "PT7M"))
                .patch("/api/v1/monitors/" + id).then().statusCode(409).contentType(PROBLEM);
        full().delete("/api/v1/monitors/" + id).then().statusCode(409).contentType(PROBLEM);
        full().contentType("application/merge-patch+json").body("{\"channels\":[]}").patch("/api/v1/monitors/" + id)
                .then().statusCode(200);
    }

    @Test
    void unknownMonitorsAre404() {
        String missing = "/api/v1/monitors/" + UUID.randomUUID();
        full().get(missing).then().statusCode(404).contentType(PROBLEM).body("status", equalTo(404));
        full().delete(missing).then().statusCode(404);
        full().contentType("application/merge-patch+json").body("{}").patch(missing).then().statusCode(404);
        full().get(missing + "/pings").then().statusCode(404);
        full().get(missing + "/pings/1/body").then().statusCode(404);
        full().get(missing + "/notifications").then().statusCode(404);
        full().get("/api/v1/monitors/not-a-uuid").then().statusCode(404).contentType(PROBLEM);
    }

    private static void assertRefused(Map<String, Object> overrides, String field) {
        full().contentType(ContentType.JSON).body(monitorBody(overrides)).post("/api/v1/monitors").then()
                .statusCode(400).contentType(PROBLEM).body("errors.field", hasItem(field));
    }
}
