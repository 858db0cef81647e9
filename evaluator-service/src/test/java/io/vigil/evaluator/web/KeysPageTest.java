package io.vigil.evaluator.web;

import static io.vigil.evaluator.web.Api.full;
import static io.vigil.evaluator.web.Api.suffix;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.vigil.evaluator.rest.NotifierStandIn;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = NotifierStandIn.class, restrictToAnnotatedClass = false)
class KeysPageTest {

    private static final String PASSWORD = "a long enough password";
    private static final Pattern NEW_SECRET = Pattern.compile("<code id=\"new-secret\">([^<]+)</code>");

    @Test
    void aKeyIsCreatedWithItsSecretShownOnceAndDeleted() {
        ConsoleSession admin = ConsoleSession.admin();
        String form = admin.get("/keys").then().statusCode(200).extract().asString();
        assertThat(form).contains("action=\"/keys\"", "name=\"name\"", "<select id=\"access\" name=\"access\"", "value=\"full\"",
                "value=\"read-only\"").doesNotContain("id=\"new-secret\"");

        String name = "grafana-" + suffix();
        String answer = admin.post("/keys", Map.of("name", name, "access", "read-only")).then().statusCode(200)
                .contentType(containsString("text/html")).header("Cache-Control", "no-store").extract().asString();
        Matcher secret = NEW_SECRET.matcher(answer);
        assertThat(secret.find()).as("the new secret in #new-secret").isTrue();
        String key = secret.group(1);
        assertThat(answer).contains("data-copy=\"" + key + "\"");

        // the secret works as a read-only key, and is never shown again
        RestAssured.given().header("Authorization", "Bearer " + key).get("/api/v1/monitors").then().statusCode(200);
        RestAssured.given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON).body("{}")
                .post("/api/v1/monitors").then().statusCode(403);
        String id = Api.idOf("/api/v1/api-keys", "name", name);
        String list = admin.get("/keys").then().statusCode(200).extract().asString();
        assertThat(list).contains("data-key=\"" + id + "\"", name, "action=\"/keys/" + id + "/delete\"", "data-confirm=")
                .doesNotContain(key, "id=\"new-secret\"");

        admin.post("/keys/" + id + "/delete", Map.of()).then().statusCode(303).header("Location", endsWith("/keys"));
        assertThat(Api.idOf("/api/v1/api-keys", "name", name)).isNull();
        admin.post("/keys/" + id + "/delete", Map.of()).then().statusCode(404).contentType(containsString("text/html"));
    }

    @Test
    void aRefusedFormIsShownAgainWithTheApisMessages() {
        ConsoleSession admin = ConsoleSession.admin();
        String apiMessage = full().contentType(ContentType.JSON).body(Map.of("name", "x", "access", "admin"))
                .post("/api/v1/api-keys").then().statusCode(400).extract().path("errors[0].message");
        String page = admin.post("/keys", Map.of("name", "", "access", "admin")).then().statusCode(400)
                .contentType(containsString("text/html")).extract().asString();
        assertThat(page).contains("id=\"name-error\"", "Name must not be blank", "id=\"access-error\"", "Access " + apiMessage.replace("\"", "&quot;"),
                "aria-invalid=\"true\" aria-describedby=\"name-error\"").doesNotContain("id=\"new-secret\"");
    }

    @Test
    void aReadOnlyUserGetsA403PageAndNoKeyIsMade() {
        ConsoleSession reader = ConsoleSession.signIn(ConsoleSession.newUser("read-only", PASSWORD), PASSWORD);
        reader.get("/keys").then().statusCode(403).contentType(containsString("text/html"))
                .body(containsString("full users only"));
        String name = "sneaky-" + suffix();
        reader.post("/keys", Map.of("name", name, "access", "full")).then().statusCode(403)
                .body(org.hamcrest.Matchers.not(containsString("new-secret")));
        assertThat(Api.idOf("/api/v1/api-keys", "name", name)).isNull();
        String someKey = Api.create("/api/v1/api-keys", Map.of("name", "k-" + suffix(), "access", "read-only"));
        reader.post("/keys/" + someKey + "/delete", Map.of()).then().statusCode(403);
    }

    @Test
    void aFormWithoutTheCsrfTokenIsRefused() {
        ConsoleSession admin = ConsoleSession.admin();
        String name = "nocsrf-" + suffix();
        admin.request().contentType(ContentType.URLENC).formParam("name", name).formParam("access", "full").post("/keys")
                .then().statusCode(403);
        admin.post("/keys", Map.of("_csrf", "forged", "name", name, "access", "full")).then().statusCode(403);
        assertThat(Api.idOf("/api/v1/api-keys", "name", name)).isNull();
    }
}
