package io.vigil.evaluator.rest;

import static io.vigil.evaluator.rest.Admin.full;
import static io.vigil.evaluator.rest.Admin.key;
import static io.vigil.evaluator.rest.Admin.suffix;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vigil.evaluator.web.ConsoleSession;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = NotifierStandIn.class, restrictToAnnotatedClass = false)
class UserResourceTest {

    @Test
    void usersAreCreatedListedAndDeletedAndThePasswordNeverShown() {
        String username = "ada-" + suffix();
        String id = full().contentType(ContentType.JSON).body(Map.of("username", username, "password", "correct horse battery", "access", "full"))
                .post("/api/v1/users").then().statusCode(201).body("username", equalTo(username)).body("access", equalTo("full"))
                .body("password", nullValue()).extract().path("id");
        List<Map<String, Object>> items = full().get("/api/v1/users?limit=500").then().statusCode(200).extract().jsonPath().getList("items");
        assertThat(items).anySatisfy(item -> assertThat(item).containsEntry("id", id).doesNotContainKey("password"));
        assertThat(items.toString()).doesNotContain("correct horse battery", "$2");

        ConsoleSession session = ConsoleSession.signIn(username, "correct horse battery");
        session.get("/monitors").then().statusCode(200);
        full().delete("/api/v1/users/" + id).then().statusCode(204);
        session.get("/monitors").then().statusCode(303); // the deleted user's session ended with them
        full().delete("/api/v1/users/" + id).then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void usersAreValidated() {
        full().contentType(ContentType.JSON).body(Map.of("username", "a b", "password", "short", "access", "admin"))
                .post("/api/v1/users").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", containsInAnyOrder("username", "password", "access"));
        full().contentType(ContentType.JSON).body(Map.of("username", "x", "password", "long enough password", "access", "full", "role", 1))
                .post("/api/v1/users").then().statusCode(400).body("errors.field", containsInAnyOrder("role"));
        full().contentType(ContentType.JSON).body("[]").post("/api/v1/users").then().statusCode(400);
        String username = "dup-" + suffix();
        Map<String, String> body = Map.of("username", username, "password", "long enough password", "access", "read-only");
        full().contentType(ContentType.JSON).body(body).post("/api/v1/users").then().statusCode(201);
        full().contentType(ContentType.JSON).body(Map.of("username", username.toUpperCase(), "password", "long enough password", "access", "full"))
                .post("/api/v1/users").then().statusCode(409).contentType("application/problem+json");
    }

    @Test
    void onlyAFullKeyManagesUsers() {
        String readOnly = Admin.newKey("read-only").secret();
        key(readOnly).get("/api/v1/users").then().statusCode(403).contentType("application/problem+json");
        key(readOnly).contentType(ContentType.JSON).body(Map.of("username", "x", "password", "long enough password", "access", "full"))
                .post("/api/v1/users").then().statusCode(403);
        io.restassured.RestAssured.given().get("/api/v1/users").then().statusCode(401);
    }

    @Test
    void theAdminUserIsEnsuredAtStart() {
        ConsoleSession.admin().get("/monitors").then().statusCode(200).body(org.hamcrest.Matchers.containsString(ConsoleSession.ADMIN_USER));
    }
}
