package io.vigil.evaluator.hc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.vigil.evaluator.rest.NotifierStandIn;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Keys as Healthchecks' authorize and authorize_read treat them, with Vigil's full and read-only keys. */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = NotifierStandIn.class, restrictToAnnotatedClass = false)
class ReadOnlyKeyTest {

    private static final List<String> SECRET_FIELDS = List.of("uuid", "ping_url", "update_url", "pause_url", "resume_url", "channels");

    @Test
    void aReadOnlyKeySeesAUniqueKeyInsteadOfTheUuidAndUrls() {
        String readOnly = Hc.newKey("read-only");
        String tag = "ro-" + Hc.suffix();
        String uuid = Hc.create(3, Map.of("name", tag, "tags", tag)).getString("uuid");
        Map<String, Object> seen = Hc.client(readOnly).queryParam("tag", tag).get("/hc/api/v3/checks/").then().statusCode(200)
                .extract().jsonPath().getMap("checks[0]");
        assertThat(seen).doesNotContainKeys(SECRET_FIELDS.toArray(String[]::new));
        String uniqueKey = (String) seen.get("unique_key");
        assertThat(uniqueKey).matches("[0-9a-f]{40}");
        assertThat(seen).containsEntry("name", tag).containsEntry("tags", tag);
        // the unique key is stable and reads the same check, read-only too; a full key reads it with its uuid
        Hc.client(readOnly).get("/hc/api/v3/checks/" + uniqueKey).then().statusCode(200)
                .body("unique_key", equalTo(uniqueKey)).body("uuid", equalTo(null));
        Hc.client(readOnly).get("/hc/api/v3/checks/" + uuid).then().statusCode(200).body("unique_key", equalTo(uniqueKey));
        Hc.full().get("/hc/api/v3/checks/" + uniqueKey).then().statusCode(200).body("uuid", equalTo(uuid))
                .body("unique_key", equalTo(null));
        Hc.client(readOnly).get("/hc/api/v3/checks/" + uniqueKey + "/flips/").then().statusCode(200).body("flips", equalTo(List.of()));
        Hc.client(readOnly).get("/hc/api/v3/badges/").then().statusCode(200);
        Hc.client(readOnly).get("/hc/api/v3/checks/" + "0".repeat(40)).then().statusCode(404);
    }

    @Test
    void aReadOnlyKeyIsRefusedEveryWriteAsAWrongKey() {
        String readOnly = Hc.newKey("read-only");
        String name = "ro-w-" + Hc.suffix();
        String uuid = Hc.create(3, Map.of("name", name)).getString("uuid");
        String base = "/hc/api/v3/checks/";
        Hc.client(readOnly).body(Map.of("name", "x")).post(base).then().statusCode(401).body("error", equalTo("wrong api key"));
        Hc.client(readOnly).body(Map.of("name", "x")).post(base + uuid).then().statusCode(401).body("error", equalTo("wrong api key"));
        Hc.client(readOnly).delete(base + uuid).then().statusCode(401).body("error", equalTo("wrong api key"));
        Hc.client(readOnly).post(base + uuid + "/pause").then().statusCode(401).body("error", equalTo("wrong api key"));
        Hc.client(readOnly).post(base + uuid + "/resume").then().statusCode(401).body("error", equalTo("wrong api key"));
        // pings and channels need a read-write key in Healthchecks too
        Hc.client(readOnly).get(base + uuid + "/pings/").then().statusCode(401).body("error", equalTo("wrong api key"));
        Hc.client(readOnly).get("/hc/api/v3/channels/").then().statusCode(401).body("error", equalTo("wrong api key"));
        // the read-only key in the body is refused the same way
        RestAssured.given().contentType(ContentType.JSON).body(Map.of("api_key", readOnly, "name", "x")).post(base)
                .then().statusCode(401).body("error", equalTo("wrong api key"));
        Hc.full().get(base + uuid).then().statusCode(200).body("status", equalTo("new")).body("name", equalTo(name));
    }

    @Test
    void aMissingOrUnknownKeyIs401WithHealthchecksWording() {
        String base = "/hc/api/v1/checks/";
        RestAssured.given().get(base).then().statusCode(401).contentType("application/json").body("error", equalTo("missing api key"));
        RestAssured.given().header("X-Api-Key", "").get(base).then().statusCode(401).body("error", equalTo("missing api key"));
        RestAssured.given().header("X-Api-Key", "x".repeat(32)).get(base).then().statusCode(401).body("error", equalTo("wrong api key"));
        RestAssured.given().contentType(ContentType.JSON).body(Map.of("name", "x")).post(base).then().statusCode(401)
                .body("error", equalTo("missing api key"));
        // Vigil's admin-API form of the key is not Healthchecks'
        RestAssured.given().header("Authorization", "Bearer " + Hc.FULL_KEY).get(base).then().statusCode(401)
                .body("error", equalTo("missing api key"));
        // a read takes the key from the header only; a write also from api_key in the body
        RestAssured.given().contentType(ContentType.JSON).body(Map.of("api_key", Hc.FULL_KEY, "name", "body-key-" + Hc.suffix()))
                .post(base).then().statusCode(201);
        RestAssured.given().contentType(ContentType.JSON).body("{\"api_key\": ").post(base).then().statusCode(400)
                .body("error", equalTo("could not parse request body"));
        RestAssured.given().contentType(ContentType.JSON).body("[1]").post(base).then().statusCode(400)
                .body("error", equalTo("json validation error: value is not an object"));
        // the Healthchecks status endpoint needs no key
        RestAssured.given().get("/hc/api/v1/status/").then().statusCode(200).contentType("text/plain").body(equalTo("OK"));
    }
}
