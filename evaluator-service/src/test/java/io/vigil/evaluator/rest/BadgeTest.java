package io.vigil.evaluator.rest;

import static io.restassured.RestAssured.given;
import static io.vigil.evaluator.rest.Admin.full;
import static io.vigil.evaluator.rest.Admin.suffix;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each monitor and each tag has a badge id of its own: one badge URL says nothing about another monitor's,
 * and rotate-badge makes a monitor's old badge URLs answer 404.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = NotifierStandIn.class, restrictToAnnotatedClass = false)
class BadgeTest {

    @Test
    void swappingTheSlugInABadgeUrlReachesNoOtherMonitor() {
        JsonPath mine = Admin.createMonitor(Map.of("slug", "mine-" + suffix()));
        JsonPath theirs = Admin.createMonitor(Map.of("slug", "theirs-" + suffix()));
        String path = URI.create(mine.getString("badgeUrl")).getPath();
        given().get(path).then().statusCode(200);
        // every way of putting the other monitor's slug, name or id into my badge URL is a 404
        String id = path.substring("/badge/".length(), path.length() - ".svg".length());
        String folder = path.substring(0, path.lastIndexOf('/') + 1);
        for (String guess : List.of(theirs.getString("slug"), theirs.getString("name"), theirs.getString("id"))) {
            given().get(folder + guess + ".svg").then().statusCode(404);
            given().get(folder + guess + ".json").then().statusCode(404);
            given().get("/badge/" + guess + ".svg").then().statusCode(404);
            given().get("/badge/" + id + "/" + guess + ".svg").then().statusCode(404);
            given().get("/badge/tag/" + guess + ".svg").then().statusCode(404);
        }
        assertThat(theirs.getString("badgeUrl")).isNotEqualTo(mine.getString("badgeUrl")).doesNotContain(id);
        given().get(URI.create(theirs.getString("badgeUrl")).getPath().replace(".svg", ".json")).then().statusCode(200)
                .body("label", equalTo(theirs.getString("name")));
    }

    @Test
    void aTagBadgeIsNotATagNameAndIsTheSameForEveryMonitorWithTheTag() {
        String tag = "team-" + suffix();
        JsonPath one = Admin.createMonitor(Map.of("tags", List.of(tag, "prod")));
        JsonPath two = Admin.createMonitor(Map.of("tags", List.of(tag)));
        String url = one.getString("tagBadgeUrls.'" + tag + "'");
        assertThat(url).isEqualTo(two.getString("tagBadgeUrls.'" + tag + "'")).doesNotContain(tag);
        assertThat(one.getString("tagBadgeUrls.prod")).isNotEqualTo(url);
        given().get(URI.create(url).getPath().replace(".svg", ".json")).then().statusCode(200).body("label", equalTo(tag));
        // a tag added later gets its badge too, and lists show the same URLs
        full().contentType("application/merge-patch+json").body(Map.of("tags", List.of(tag, "later-" + suffix())))
                .patch("/api/v1/monitors/" + two.getString("id")).then().statusCode(200)
                .body("tagBadgeUrls.'" + tag + "'", equalTo(url));
        List<Map<String, Object>> listed = full().get("/api/v1/monitors?tag=" + tag).then().statusCode(200)
                .extract().jsonPath().getList("items");
        assertThat(listed).hasSize(2).allSatisfy(item -> assertThat(((Map<?, ?>) item.get("tagBadgeUrls")).get(tag)).isEqualTo(url));
    }

    @Test
    void rotatingABadgeRetiresItsOldUrls() {
        JsonPath monitor = Admin.createMonitor(Map.of("tags", List.of("rot-" + suffix())));
        String old = URI.create(monitor.getString("badgeUrl")).getPath();
        given().get(old).then().statusCode(200);
        JsonPath rotated = full().post("/api/v1/monitors/" + monitor.getString("id") + "/rotate-badge").then().statusCode(200)
                .extract().jsonPath();
        String svg = rotated.getString("badgeUrl");
        assertThat(svg).startsWith("http://localhost:8081/badge/").endsWith(".svg").isNotEqualTo(monitor.getString("badgeUrl"));
        assertThat(rotated.getString("shieldsUrl")).isEqualTo(svg.replace(".svg", ".json"));
        given().get(old).then().statusCode(404);
        given().get(old.replace(".svg", ".json")).then().statusCode(404);
        given().get(URI.create(svg).getPath()).then().statusCode(200);
        given().get(URI.create(rotated.getString("shieldsUrl")).getPath()).then().statusCode(200)
                .body("label", equalTo(monitor.getString("name")));
        full().get("/api/v1/monitors/" + monitor.getString("id")).then().statusCode(200).body("badgeUrl", equalTo(svg));

        Admin.NewKey reader = Admin.newKey("read-only");
        Admin.key(reader.secret()).post("/api/v1/monitors/" + monitor.getString("id") + "/rotate-badge").then().statusCode(403);
        full().post("/api/v1/monitors/" + java.util.UUID.randomUUID() + "/rotate-badge").then().statusCode(404)
                .contentType("application/problem+json");
    }
}
