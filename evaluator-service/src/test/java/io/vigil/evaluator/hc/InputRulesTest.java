package io.vigil.evaluator.hc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vigil.evaluator.rest.NotifierStandIn;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Inputs as Healthchecks takes them: its ranges, its channel rule, its defaults and its error wording. */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = NotifierStandIn.class, restrictToAnnotatedClass = false)
class InputRulesTest {

    static Stream<Arguments> refused() {
        Map<String, Object> nulls = new HashMap<>();
        nulls.put("timeout", null);
        Map<String, Object> nullName = new HashMap<>();
        nullName.put("name", null);
        return Stream.of(
                Arguments.of(Map.of("timeout", 59), "json validation error: timeout is too small"),
                Arguments.of(Map.of("timeout", 31536001), "json validation error: timeout is too large"),
                Arguments.of(Map.of("grace", 59), "json validation error: grace is too small"),
                Arguments.of(Map.of("timeout", "60"), "json validation error: timeout is not a number"),
                Arguments.of(Map.of("timeout", 60.5), "json validation error: timeout is not a number"),
                Arguments.of(nulls, "json validation error: timeout is not a number"),
                Arguments.of(nullName, "json validation error: name is not a string"),
                Arguments.of(Map.of("name", false), "json validation error: name is not a string"),
                Arguments.of(Map.of("name", "x".repeat(101)), "json validation error: name is too long"),
                Arguments.of(Map.of("slug", "Not A Slug"), "json validation error: slug does not match pattern"),
                Arguments.of(Map.of("methods", "GET"), "json validation error: methods has unexpected value"),
                Arguments.of(Map.of("manual_resume", "yes"), "json validation error: manual_resume is not a boolean"),
                Arguments.of(Map.of("filter_body", 1), "json validation error: filter_body is not a boolean"),
                Arguments.of(Map.of("unique", "name"), "json validation error: unique is not an array"),
                Arguments.of(Map.of("unique", List.of("status")), "json validation error: an item in 'unique' has unexpected value"),
                Arguments.of(Map.of("schedule", "* * * *"), "json validation error: schedule is not a valid cron or OnCalendar expression"),
                Arguments.of(Map.of("schedule", "0 3 * * *", "tz", "Mars/Olympus"), "json validation error: tz is not a valid timezone"),
                Arguments.of(Map.of("success_kw", "x".repeat(201)), "json validation error: success_kw is too long"),
                Arguments.of(Map.of("channels", "nope"), "invalid channel identifier: nope"),
                Arguments.of(Map.of("channels", ","), "empty channel identifier"),
                // the first problem in Healthchecks' field order is the one answered
                Arguments.of(Map.of("timeout", 1, "channels", 5), "json validation error: channels is not a string"));
    }

    @ParameterizedTest
    @MethodSource("refused")
    void badInputIs400WithHealthchecksWording(Map<String, Object> body, String error) {
        Hc.full().body(body).post("/hc/api/v3/checks/").then().statusCode(400).contentType("application/json")
                .body("error", equalTo(error));
    }

    @Test
    void aCurlDataBodyIsReadAsJsonWhateverItsContentType() {
        // curl --data, as Healthchecks' documentation writes its examples, sends application/x-www-form-urlencoded
        String name = "curl-" + Hc.suffix();
        io.restassured.RestAssured.given().header("X-Api-Key", Hc.FULL_KEY).contentType("application/x-www-form-urlencoded")
                .body("{\"name\": \"" + name + "\", \"timeout\": 300}").post("/hc/api/v3/checks/").then().statusCode(201)
                .body("name", equalTo(name)).body("timeout", equalTo(300));
    }

    @Test
    void aNewCheckHasHealthchecksDefaults() {
        JsonPath check = Hc.full().body(Map.of()).post("/hc/api/v3/checks/").then().statusCode(201).extract().jsonPath();
        assertThat(check.getString("name")).isEqualTo("");
        assertThat(check.getInt("timeout")).isEqualTo(86400);
        assertThat(check.getInt("grace")).isEqualTo(3600);
        assertThat(check.getString("tags")).isEqualTo("");
        assertThat(check.getString("channels")).isEqualTo("");
        assertThat(check.getString("methods")).isEqualTo("");
        assertThat(check.getBoolean("manual_resume")).isFalse();
    }

    @Test
    void rangesEndsAreAccepted() {
        Hc.create(3, Map.of("timeout", 60, "grace", 31536000));
        Hc.create(3, Map.of("timeout", 31536000, "grace", 60));
    }

    @Test
    void channelsAreAllNoneIdsOrUniqueNames() {
        String name = "ch-" + Hc.suffix();
        String first = Hc.newSlackChannel(name);
        String second = Hc.newSlackChannel(name + "-b");
        String uuid = Hc.create(3, Map.of("channels", name + "," + second)).getString("uuid");
        assertThat(Hc.full().get("/hc/api/v3/checks/" + uuid).then().extract().<String>path("channels").split(","))
                .containsExactlyInAnyOrder(first, second);
        Hc.full().body(Map.of("name", "renamed")).post("/hc/api/v3/checks/" + uuid).then().statusCode(200)
                .body("channels", equalTo(Hc.full().get("/hc/api/v3/checks/" + uuid).then().extract().path("channels")));
        Hc.full().body(Map.of("channels", "")).post("/hc/api/v3/checks/" + uuid).then().statusCode(200).body("channels", equalTo(""));
        String all = Hc.full().body(Map.of("channels", "*")).post("/hc/api/v3/checks/" + uuid).then().statusCode(200)
                .extract().path("channels");
        assertThat(all.split(",")).contains(first, second);
        Hc.newSlackChannel(name + "-dup");
        Hc.newSlackChannel(name + "-dup");
        Hc.full().body(Map.of("channels", name + "-dup")).post("/hc/api/v3/checks/" + uuid).then().statusCode(400)
                .body("error", equalTo("non-unique channel identifier: " + name + "-dup"));
    }

    @Test
    void anUpdateKeepsWhatItLeavesOut() {
        JsonPath created = Hc.create(3, Map.of("name", "keep-" + Hc.suffix(), "tags", "a b", "desc", "d", "timeout", 600,
                "grace", 120, "manual_resume", true, "methods", "POST", "success_kw", "ok", "subject", "done"));
        String uuid = created.getString("uuid");
        JsonPath updated = Hc.full().body(Map.of("desc", "new")).post("/hc/api/v3/checks/" + uuid).then().statusCode(200)
                .extract().jsonPath();
        Map<String, Object> before = created.getMap("");
        Map<String, Object> after = updated.getMap("");
        before.put("desc", "new");
        assertThat(after).isEqualTo(before);
        // as in Healthchecks, an explicit success_kw wins over the deprecated subject sent with it
        assertThat(after).containsEntry("subject", "ok").containsEntry("success_kw", "ok").containsEntry("filter_subject", true);
        Hc.full().body(Map.of("name", "x")).post("/hc/api/v3/checks/" + "1".repeat(40)).then().statusCode(405);
        Hc.full().body(Map.of("name", "x")).post("/hc/api/v3/checks/" + java.util.UUID.randomUUID()).then().statusCode(404);
    }
}
