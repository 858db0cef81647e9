package io.vigil.evaluator.hc;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vigil.evaluator.rest.NotifierStandIn;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A provisioning script run twice: 50 checks created with {@code unique}, then found and updated, never duplicated. */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = NotifierStandIn.class, restrictToAnnotatedClass = false)
class UniqueScriptTest {

    @Test
    void fiftyChecksAreCreatedOnceAndUpdatedOnTheSecondRun() {
        String tag = "batch-" + Hc.suffix();
        Map<Integer, String> uuids = new HashMap<>();
        for (int i = 0; i < 50; i++) {
            Map<String, Object> body = Map.of("name", tag + " job " + i, "tags", tag, "timeout", 3600, "grace", 300,
                    "unique", List.of("name"));
            JsonPath created = Hc.full().body(body).post("/hc/api/v3/checks/").then().statusCode(201).extract().jsonPath();
            assertThat(created.getString("name")).isEqualTo(tag + " job " + i);
            assertThat(created.getInt("timeout")).isEqualTo(3600);
            uuids.put(i, created.getString("uuid"));
        }
        for (int i = 0; i < 50; i++) {
            Map<String, Object> body = Map.of("name", tag + " job " + i, "tags", tag, "timeout", 7200, "grace", 300,
                    "unique", List.of("name"));
            JsonPath found = Hc.full().body(body).post("/hc/api/v3/checks/").then().statusCode(200).extract().jsonPath();
            assertThat(found.getString("uuid")).isEqualTo(uuids.get(i));
            assertThat(found.getInt("timeout")).isEqualTo(7200);
        }
        List<String> listed = Hc.full().queryParam("tag", tag).get("/hc/api/v3/checks/").then().statusCode(200)
                .extract().jsonPath().getList("checks.uuid");
        assertThat(listed).containsExactlyInAnyOrderElementsOf(uuids.values());
    }

    @Test
    void eachUniqueFieldMatchesOnlyItsOwnValue() {
        String name = "uniq-" + Hc.suffix();
        String slug = name + "-s";
        String tags = name + " other";
        String uuid = Hc.create(3, Map.of("name", name, "slug", slug, "tags", tags, "timeout", 120, "grace", 180)).getString("uuid");
        for (Map<String, Object> body : List.<Map<String, Object>>of(
                Map.of("name", name, "unique", List.of("name")),
                Map.of("slug", slug, "unique", List.of("slug")),
                Map.of("tags", tags, "unique", List.of("tags")),
                Map.of("name", name, "timeout", 120, "grace", 180, "unique", List.of("name", "timeout", "grace")))) {
            assertThat(Hc.full().body(body).post("/hc/api/v3/checks/").then().statusCode(200).extract().<String>path("uuid"))
                    .isEqualTo(uuid);
        }
        // a field named in unique but left out of the request matches nothing: a new check
        String other = Hc.full().body(Map.of("name", name + "-x", "unique", List.of("name", "slug"))).post("/hc/api/v3/checks/")
                .then().statusCode(201).extract().path("uuid");
        assertThat(other).isNotEqualTo(uuid);
        // a different value matches nothing either
        Hc.full().body(Map.of("name", name, "timeout", 121, "unique", List.of("name", "timeout"))).post("/hc/api/v3/checks/")
                .then().statusCode(201);
        // an empty unique list is a plain create
        Hc.full().body(Map.of("name", name, "unique", List.of())).post("/hc/api/v3/checks/").then().statusCode(201);
    }
}
