package io.vigil.evaluator.web;

import static io.vigil.evaluator.web.Api.full;
import static io.vigil.evaluator.web.Api.suffix;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vigil.evaluator.rest.NotifierStandIn;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = NotifierStandIn.class, restrictToAnnotatedClass = false)
class StatusPagesPageTest {

    private static final String PASSWORD = "a long enough password";

    @Test
    void aStatusPageIsCreatedEditedAndDeletedThroughTheForms() {
        ConsoleSession admin = ConsoleSession.admin();
        String first = Api.monitor("nightly-" + suffix(), List.of());
        String second = Api.monitor("billing-" + suffix(), List.of());
        admin.get("/status-pages").then().statusCode(200).body(containsString("href=\"/status-pages/new\""));
        String form = admin.get("/status-pages/new").then().statusCode(200).extract().asString();
        assertThat(form).contains("name=\"slug\"", "name=\"title\"", "<textarea id=\"description\" name=\"description\"", "name=\"tags\"",
                "name=\"monitors\" value=\"" + first + "\"", "name=\"monitors\" value=\"" + second + "\"", "button type=\"submit\"");

        String slug = "acme-" + suffix();
        admin.post("/status-pages", Map.of("slug", slug, "title", "Acme services", "description", "Nightly jobs",
                        "monitors", List.of(first), "tags", "public, billing"))
                .then().statusCode(303).header("Location", endsWith("/status-pages"));
        full().get("/api/v1/status-pages/" + slug).then().statusCode(200).body("title", equalTo("Acme services"))
                .body("description", equalTo("Nightly jobs")).body("monitors", equalTo(List.of(first)))
                .body("tags", equalTo(List.of("public", "billing")));

        String list = admin.get("/status-pages").then().statusCode(200).extract().asString();
        assertThat(list).contains("tr data-status-page=\"" + slug + "\"", "Acme services", "href=\"/status/" + slug + "\"",
                "href=\"/status-pages/" + slug + "\"");

        String edit = admin.get("/status-pages/" + slug).then().statusCode(200).extract().asString();
        assertThat(edit).contains("value=\"" + slug + "\"", "name=\"monitors\" value=\"" + first + "\" checked", "value=\"public billing\"",
                "action=\"/status-pages/" + slug + "/delete\"", "data-confirm=");

        String renamed = slug + "-2";
        admin.post("/status-pages/" + slug, Map.of("slug", renamed, "title", "Acme", "monitors", List.of(first, second), "tags", ""))
                .then().statusCode(303).header("Location", endsWith("/status-pages"));
        full().get("/api/v1/status-pages/" + renamed).then().statusCode(200).body("title", equalTo("Acme"))
                .body("description", org.hamcrest.Matchers.nullValue()).body("monitors", equalTo(List.of(first, second)))
                .body("tags", equalTo(List.of()));

        admin.post("/status-pages/" + renamed + "/delete", Map.of()).then().statusCode(303).header("Location", endsWith("/status-pages"));
        full().get("/api/v1/status-pages/" + renamed).then().statusCode(404);
        admin.get("/status-pages/" + renamed).then().statusCode(404).contentType(containsString("text/html"));
    }

    @Test
    void aRefusedFormIsShownAgainWithTheApisMessages() {
        ConsoleSession admin = ConsoleSession.admin();
        String monitor = Api.monitor("kept-" + suffix(), List.of());
        String missing = UUID.randomUUID().toString();
        String apiMessage = full().contentType(ContentType.JSON).body(Map.of("slug", "Bad Slug", "title", "t"))
                .post("/api/v1/status-pages").then().statusCode(400).extract().path("errors.find { it.field == 'slug' }.message");
        String page = admin.post("/status-pages", Map.of("slug", "Bad Slug", "title", "", "description", "kept text",
                        "monitors", List.of(monitor), "tags", "ok bad!tag"))
                .then().statusCode(400).contentType(containsString("text/html")).extract().asString();
        assertThat(page).contains("id=\"slug-error\"", "Slug " + apiMessage, "id=\"title-error\"", "id=\"tags-error\"",
                "value=\"Bad Slug\"", ">kept text</textarea>", "name=\"monitors\" value=\"" + monitor + "\" checked", "value=\"ok bad!tag\"");

        // a monitor deleted meanwhile: the API's monitors[i] message beside the checkboxes
        admin.post("/status-pages", Map.of("slug", "gone-" + suffix(), "title", "t", "monitors", List.of(missing)))
                .then().statusCode(400).body(containsString("id=\"monitors-error\"")).body(containsString("no monitor has this id"));

        String taken = "taken-" + suffix();
        Api.create("/api/v1/status-pages", Map.of("slug", taken, "title", "first"));
        admin.post("/status-pages", Map.of("slug", taken, "title", "second")).then().statusCode(409)
                .body(containsString("id=\"slug-error\"")).body(containsString("Slug is taken by another status page"));
    }

    @Test
    void aReadOnlyUserSeesTheListOnly() {
        String slug = "ro-" + suffix();
        Api.create("/api/v1/status-pages", Map.of("slug", slug, "title", "Read me"));
        ConsoleSession reader = ConsoleSession.signIn(ConsoleSession.newUser("read-only", PASSWORD), PASSWORD);
        String list = reader.get("/status-pages").then().statusCode(200).extract().asString();
        assertThat(list).contains("tr data-status-page=\"" + slug + "\"", "href=\"/status/" + slug + "\"")
                .doesNotContain("href=\"/status-pages/new\"", "href=\"/status-pages/" + slug + "\"");
        assertThat(list.split("method=\"post\"", -1)).as("only the sign-out form").hasSize(2);
        reader.get("/status-pages/new").then().statusCode(403).contentType(containsString("text/html"));
        reader.get("/status-pages/" + slug).then().statusCode(403);
        reader.post("/status-pages", Map.of("slug", "x-" + suffix(), "title", "x")).then().statusCode(403);
        reader.post("/status-pages/" + slug, Map.of("slug", slug, "title", "changed")).then().statusCode(403);
        reader.post("/status-pages/" + slug + "/delete", Map.of()).then().statusCode(403);
        full().get("/api/v1/status-pages/" + slug).then().statusCode(200).body("title", equalTo("Read me"));
    }

    @Test
    void aPageSluggedNewIsEditedByItsId() {
        ConsoleSession admin = ConsoleSession.admin();
        String id = full().get("/api/v1/status-pages/new").statusCode() == 200 ? full().get("/api/v1/status-pages/new").path("id")
                : Api.create("/api/v1/status-pages", Map.of("slug", "new", "title", "Called new"));
        admin.get("/status-pages").then().statusCode(200).body(containsString("href=\"/status-pages/" + id + "\""));
        admin.get("/status-pages/" + id).then().statusCode(200).body(containsString("action=\"/status-pages/" + id + "\""));
    }

    @Test
    void aFormWithoutTheCsrfTokenIsRefused() {
        ConsoleSession admin = ConsoleSession.admin();
        String slug = "csrf-" + suffix();
        Api.create("/api/v1/status-pages", Map.of("slug", slug, "title", "t"));
        admin.request().contentType(ContentType.URLENC).post("/status-pages/" + slug + "/delete").then().statusCode(403);
        full().get("/api/v1/status-pages/" + slug).then().statusCode(200);
    }
}
