package io.vigil.evaluator.web;

import static io.vigil.evaluator.web.Api.full;
import static io.vigil.evaluator.web.Api.suffix;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vigil.evaluator.rest.NotifierStandIn;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = NotifierStandIn.class, restrictToAnnotatedClass = false)
class UsersPageTest {

    private static final String PASSWORD = "a long enough password";

    @Test
    void aUserIsCreatedSignsInAndIsDeleted() {
        ConsoleSession admin = ConsoleSession.admin();
        String form = admin.get("/users").then().statusCode(200).extract().asString();
        assertThat(form).contains("action=\"/users\"", "name=\"username\"", "name=\"password\"", "<select id=\"access\" name=\"access\"",
                "<option value=\"full\"", "<option value=\"read-only\"", "tr data-user=\"admin\"");

        String username = "ada-" + suffix();
        String password = "correct horse " + suffix();
        admin.post("/users", Map.of("username", username, "password", password, "access", "read-only"))
                .then().statusCode(303).header("Location", endsWith("/users"));
        String list = admin.get("/users").then().statusCode(200).extract().asString();
        String row = list.substring(list.indexOf("<tr data-user=\"" + username + "\""));
        row = row.substring(0, row.indexOf("</tr>"));
        assertThat(row).contains("read-only", "<time datetime=", "data-local", "/delete\"", "data-confirm=");
        assertThat(list).doesNotContain(password);

        ConsoleSession ada = ConsoleSession.signIn(username, password);
        ada.get("/monitors").then().statusCode(200);

        String id = Api.idOf("/api/v1/users", "username", username);
        admin.post("/users/" + id + "/delete", Map.of()).then().statusCode(303).header("Location", endsWith("/users"));
        assertThat(Api.idOf("/api/v1/users", "username", username)).isNull();
        ada.get("/monitors").then().statusCode(303); // the session ended with the user
    }

    @Test
    void aRefusedFormIsShownAgainWithTheApisMessagesAndWithoutThePassword() {
        ConsoleSession admin = ConsoleSession.admin();
        String apiMessage = full().contentType(ContentType.JSON).body(Map.of("username", "bob " + suffix(), "password", "short", "access", "full"))
                .post("/api/v1/users").then().statusCode(400).extract().path("errors.find { it.field == 'password' }.message");
        String typed = "short-" + suffix().substring(0, 4);
        String page = admin.post("/users", Map.of("username", "bob smith", "password", typed, "access", "full"))
                .then().statusCode(400).contentType(containsString("text/html")).extract().asString();
        assertThat(page).contains("id=\"username-error\"", "id=\"password-error\"", "Password " + apiMessage,
                "value=\"bob smith\"", "<option value=\"full\" selected>").doesNotContain(typed);

        String taken = ConsoleSession.newUser("read-only", PASSWORD);
        admin.post("/users", Map.of("username", taken, "password", PASSWORD, "access", "full")).then().statusCode(409)
                .body(containsString("id=\"username-error\"")).body(containsString("Username is taken"));
    }

    @Test
    void noOneDeletesThemselves() {
        String username = ConsoleSession.newUser("full", PASSWORD);
        ConsoleSession self = ConsoleSession.signIn(username, PASSWORD);
        String id = Api.idOf("/api/v1/users", "username", username);
        String row = self.get("/users").then().statusCode(200).extract().asString();
        row = row.substring(row.indexOf("<tr data-user=\"" + username + "\""));
        assertThat(row.substring(0, row.indexOf("</tr>"))).contains("you").doesNotContain("/delete");
        self.post("/users/" + id + "/delete", Map.of()).then().statusCode(409).contentType(containsString("text/html"))
                .body(containsString("You cannot delete the user you are signed in as"));
        self.get("/users").then().statusCode(200);
    }

    @Test
    void aReadOnlyUserGetsA403PageAndCannotCreateOrDelete() {
        String readerName = ConsoleSession.newUser("read-only", PASSWORD);
        ConsoleSession reader = ConsoleSession.signIn(readerName, PASSWORD);
        reader.get("/users").then().statusCode(403).contentType(containsString("text/html")).body(containsString("full users only"));
        String name = "sneaky-" + suffix();
        reader.post("/users", Map.of("username", name, "password", PASSWORD, "access", "full")).then().statusCode(403);
        assertThat(Api.idOf("/api/v1/users", "username", name)).isNull();
        String other = Api.idOf("/api/v1/users", "username", ConsoleSession.newUser("full", PASSWORD));
        reader.post("/users/" + other + "/delete", Map.of()).then().statusCode(403);
        full().get("/api/v1/users").then().statusCode(200).body(containsString(other));
    }

    @Test
    void aFormWithoutTheCsrfTokenIsRefused() {
        ConsoleSession admin = ConsoleSession.admin();
        String name = "nocsrf-" + suffix();
        admin.request().contentType(ContentType.URLENC).formParam("username", name).formParam("password", PASSWORD)
                .formParam("access", "full").post("/users").then().statusCode(403);
        assertThat(Api.idOf("/api/v1/users", "username", name)).isNull();
    }
}
