package io.vigil.evaluator.rest;

import static io.restassured.RestAssured.given;
import static io.vigil.evaluator.rest.Admin.full;
import static io.vigil.evaluator.rest.Admin.key;
import static io.vigil.evaluator.rest.Admin.suffix;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vigil.evaluator.service.ApiKeys;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = NotifierStandIn.class, restrictToAnnotatedClass = false)
class ApiKeyResourceTest {

    @Inject
    ApiKeys apiKeys;

    @Test
    void createAnswersTheSecretOnceAndItAuthenticates() {
        String name = "ci-" + suffix();
        JsonPath created = full().contentType(ContentType.JSON).body(Map.of("name", name, "access", "read-only"))
                .post("/api/v1/api-keys").then().statusCode(201)
                .header("Location", org.hamcrest.Matchers.containsString("/api/v1/api-keys/"))
                .body("name", equalTo(name)).body("access", equalTo("read-only"))
                .body("createdAt", org.hamcrest.Matchers.matchesPattern("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"))
                .extract().jsonPath();
        String secret = created.getString("key");
        assertThat(secret).matches("[A-Za-z0-9_-]{27,}");
        key(secret).get("/api/v1/monitors").then().statusCode(200);
        given().header("X-Api-Key", secret).get("/api/v1/monitors").then().statusCode(200);

        List<Map<String, Object>> items = full().get("/api/v1/api-keys?limit=500").then().statusCode(200)
                .body("nextCursor", nullValue()).extract().jsonPath().getList("items");
        Map<String, Object> listed = items.stream().filter(item -> item.get("id").equals(created.getString("id"))).findFirst().orElseThrow();
        assertThat(listed).containsEntry("name", name).doesNotContainKey("key");
        assertThat(listed.toString()).doesNotContain(secret);
    }

    @Test
    void keysAreValidated() {
        full().contentType(ContentType.JSON).body(Map.of("access", "admin", "extra", 1)).post("/api/v1/api-keys")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", org.hamcrest.Matchers.containsInAnyOrder("name", "access", "extra"));
    }

    @Test
    void deletedKeyStopsWorking() {
        Admin.NewKey created = Admin.newKey("full");
        String secret = created.secret();
        String id = created.id();
        full().delete("/api/v1/api-keys/" + id).then().statusCode(204);
        key(secret).get("/api/v1/monitors").then().statusCode(401);
        full().delete("/api/v1/api-keys/" + id).then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void unknownOrWrongKeysAre401() {
        given().get("/api/v1/monitors").then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", notNullValue()).body("status", equalTo(401));
        key("wrong-" + suffix()).get("/api/v1/monitors").then().statusCode(401);
        given().header("X-Api-Key", "wrong").get("/api/v1/channels").then().statusCode(401);
        given().header("Authorization", "Basic " + Admin.ADMIN_KEY).get("/api/v1/monitors").then().statusCode(401);
        given().header("Authorization", "Bearer ").get("/api/v1/api-keys").then().statusCode(401);
        given().get("/api/v1/metrics").then().statusCode(401);
        given().contentType(ContentType.JSON).body("{}").post("/api/v1/monitors").then().statusCode(401);
    }

    @Test
    void readOnlyKeysReadButNeverWrite() {
        Admin.NewKey readOnlyKey = Admin.newKey("read-only");
        String readOnly = readOnlyKey.secret();
        String monitorId = Admin.createMonitor(Map.of()).getString("id");
        String channelId = Admin.createEmailChannel();
        key(readOnly).get("/api/v1/monitors/" + monitorId).then().statusCode(200);
        key(readOnly).get("/api/v1/channels/" + channelId).then().statusCode(200);
        key(readOnly).get("/api/v1/api-keys").then().statusCode(200);
        key(readOnly).get("/api/v1/metrics").then().statusCode(200);
        key(readOnly).contentType(ContentType.JSON).body(Admin.monitorBody(Map.of())).post("/api/v1/monitors")
                .then().statusCode(403).contentType("application/problem+json");
        key(readOnly).contentType(ContentType.JSON).body(Admin.monitorBody(Map.of())).put("/api/v1/monitors/" + monitorId)
                .then().statusCode(403);
        key(readOnly).contentType("application/merge-patch+json").body("{\"grace\":\"PT1M\"}").patch("/api/v1/monitors/" + monitorId)
                .then().statusCode(403);
        key(readOnly).delete("/api/v1/monitors/" + monitorId).then().statusCode(403);
        key(readOnly).post("/api/v1/monitors/" + monitorId + "/pause").then().statusCode(403);
        key(readOnly).post("/api/v1/monitors/" + monitorId + "/rotate-token").then().statusCode(403);
        key(readOnly).post("/api/v1/channels/" + channelId + "/test").then().statusCode(403);
        key(readOnly).delete("/api/v1/channels/" + channelId).then().statusCode(403);
        key(readOnly).contentType(ContentType.JSON).body(Map.of("name", "x", "access", "full")).post("/api/v1/api-keys")
                .then().statusCode(403);
        key(readOnly).delete("/api/v1/api-keys/" + readOnlyKey.id()).then().statusCode(403);
        full().get("/api/v1/monitors/" + monitorId).then().statusCode(200);
    }

    @Test
    void readOnlyKeysNeverSeeTokensOrPingUrls() {
        String readOnly = Admin.newKey("read-only").secret();
        JsonPath monitor = Admin.createMonitor(Map.of("tags", List.of("ro-" + suffix())));
        String id = monitor.getString("id");
        String token = monitor.getString("token");
        String one = key(readOnly).get("/api/v1/monitors/" + id).then().statusCode(200)
                .body("$", not(org.hamcrest.Matchers.hasKey("token"))).body("$", not(org.hamcrest.Matchers.hasKey("pingUrl")))
                .body("id", equalTo(id)).extract().asString();
        assertThat(one).doesNotContain(token);
        String list = key(readOnly).get("/api/v1/monitors?limit=500&tag=" + monitor.getList("tags").get(0)).then().statusCode(200)
                .body("items.id", hasItem(id)).extract().asString();
        assertThat(list).doesNotContain(token).doesNotContain("pingUrl");
        full().get("/api/v1/monitors/" + id).then().body("token", equalTo(token)).body("pingUrl", notNullValue());
    }

    @Test
    void theLastFullKeyCannotBeDeletedAndTheAdminKeyIsRecoveredAtStart() {
        Admin.NewKey created = Admin.newKey("full");
        String mine = created.secret();
        String mineId = created.id();
        try {
            // delete every other full key (the admin key too), leaving only mine
            for (Map<String, Object> item : allKeys(mine)) {
                if (item.get("access").equals("full") && !item.get("id").equals(mineId)) {
                    key(mine).delete("/api/v1/api-keys/" + item.get("id")).then().statusCode(204);
                }
            }
            key(Admin.ADMIN_KEY).get("/api/v1/monitors").then().statusCode(401);
            key(mine).delete("/api/v1/api-keys/" + mineId).then().statusCode(409)
                    .contentType("application/problem+json").body("status", equalTo(409));
        } finally {
            apiKeys.ensureAdminKey(); // what every start does: VIGIL_ADMIN_KEY is a full key again
        }
        full().get("/api/v1/monitors").then().statusCode(200);
        full().delete("/api/v1/api-keys/" + mineId).then().statusCode(204);
    }

    private static List<Map<String, Object>> allKeys(String secret) {
        return key(secret).get("/api/v1/api-keys?limit=500").then().statusCode(200).extract().jsonPath().getList("items");
    }

}
