package io.vigil.evaluator.rest;

import static io.restassured.RestAssured.given;
import static io.vigil.evaluator.rest.Admin.full;
import static io.vigil.evaluator.rest.Admin.suffix;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = NotifierStandIn.class, restrictToAnnotatedClass = false)
class ErrorsAndOperabilityTest {

    private static final String PROBLEM = "application/problem+json";

    @Test
    void malformedBodiesAre400WithoutInternals() {
        for (String body : List.of("{", "{\"name\":", "[]", "\"x\"", "null", "{\"name\":\"a\",\"name\":\"b\"}", "{} {}",
                "{\"name\":\"\\ud800\"}", "{\"schedule\":{\"type\":\"interval\",\"every\":1e999}}", "\u0000")) {
            for (String path : List.of("/api/v1/monitors", "/api/v1/channels", "/api/v1/api-keys")) {
                Response answer = full().contentType(ContentType.JSON).body(body).post(path);
                assertThat(answer.statusCode()).as(path + " " + body).isEqualTo(400);
                assertThat(answer.contentType()).startsWith(PROBLEM);
                assertNoInternals(answer.asString());
            }
        }
        full().contentType(ContentType.JSON).post("/api/v1/monitors").then().statusCode(400).contentType(PROBLEM);
    }

    @Test
    void wrongMediaTypesMethodsAndPathsAreProblems() {
        Response unsupported = full().contentType(ContentType.TEXT).body("name=x").post("/api/v1/monitors");
        assertThat(unsupported.statusCode()).isEqualTo(415);
        assertThat(unsupported.contentType()).startsWith(PROBLEM);
        Response notAllowed = full().put("/api/v1/monitors");
        assertThat(notAllowed.statusCode()).isEqualTo(405);
        assertThat(notAllowed.contentType()).startsWith(PROBLEM);
        Response notFound = full().get("/api/v1/nothing-here");
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(notFound.contentType()).startsWith(PROBLEM);
        assertNoInternals(unsupported.asString() + notAllowed.asString() + notFound.asString());
    }

    @Test
    void oversizedBodiesAre413() {
        String huge = "{\"name\":\"" + "x".repeat(300 * 1024) + "\"}";
        Response answer = full().contentType(ContentType.JSON).body(huge).post("/api/v1/monitors");
        assertThat(answer.statusCode()).isEqualTo(413);
        assertThat(answer.contentType()).startsWith(PROBLEM);
        assertThat(answer.jsonPath().getInt("status")).isEqualTo(413);
        // just under the limit is read and judged on its content
        String large = "{\"name\":\"" + "x".repeat(200 * 1024) + "\"}";
        full().contentType(ContentType.JSON).body(large).post("/api/v1/monitors").then().statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.hasItem("name"));
    }

    @Test
    void openApiDocumentsEveryAdminEndpointWithExamples() {
        String spec = given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().asString();
        JsonPath openapi = JsonPath.from(spec);
        Map<String, Map<String, Object>> paths = openapi.getMap("paths");
        assertThat(paths).containsKeys("/api/v1/monitors", "/api/v1/monitors/{id}", "/api/v1/monitors/{id}/pause",
                "/api/v1/monitors/{id}/resume", "/api/v1/monitors/{id}/rotate-token", "/api/v1/monitors/{id}/pings",
                "/api/v1/monitors/{id}/pings/{n}/body", "/api/v1/monitors/{id}/flips", "/api/v1/monitors/{id}/notifications",
                "/api/v1/channels", "/api/v1/channels/{id}", "/api/v1/channels/{id}/test", "/api/v1/api-keys",
                "/api/v1/api-keys/{id}", "/api/v1/metrics");
        paths.forEach((path, operations) -> operations.forEach((method, operation) -> {
            if (path.startsWith("/api/v1") && operation instanceof Map<?, ?> op) {
                assertThat(op.get("summary")).as(method + " " + path).isNotNull();
            }
        }));
        assertThat(spec).contains("\"examples\"");
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void healthAndMetricsAreServed() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        String ready = given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP")).extract().asString();
        assertThat(ready).contains("vigil-pings").contains("\"database\"");
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_"));
    }

    @Test
    void prometheusExportListsMonitorsWithTheirLabels() {
        String tag = "prom" + suffix();
        JsonPath monitor = Admin.createMonitor(Map.of("name", "Export \"quoted\" " + suffix(), "tags", List.of(tag, "zeta")));
        String slug = monitor.getString("slug");
        String readOnly = Admin.newKey("read-only").secret();
        String text = Admin.key(readOnly).get("/api/v1/metrics").then().statusCode(200)
                .contentType(containsString("text/plain")).extract().asString();
        String labels = "{name=\"" + monitor.getString("name").replace("\"", "\\\"") + "\",slug=\"" + slug + "\",tags=\"" + tag + " zeta\"}";
        assertThat(text).contains("vigil_monitor_up" + labels + " 1")
                .contains("vigil_monitor_last_ping_timestamp_seconds" + labels + " 0.000")
                .contains("vigil_monitor_status" + labels.replace("}", ",status=\"NEW\"}") + " 1")
                .contains("vigil_monitor_status" + labels.replace("}", ",status=\"DOWN\"}") + " 0")
                .contains("vigil_tag_up{tag=\"" + tag + "\"} 1")
                .containsPattern("vigil_monitors_total \\d+")
                .contains("# TYPE vigil_monitor_up gauge");
        assertThat(text).doesNotContain(monitor.getString("token"));
    }

    @Test
    void badgesNeedNoKeyButTheirBadgeId() {
        String tag = "badge" + suffix();
        JsonPath monitor = Admin.createMonitor(Map.of("tags", List.of(tag)));
        String badgeUrl = monitor.getString("badgeUrl");
        String path = URI.create(badgeUrl).getPath();
        given().get(path).then().statusCode(200).contentType(containsString("image/svg+xml"))
                .body(containsString("<svg")).body(containsString("new"));
        given().get(path.replace(".svg", ".json")).then().statusCode(200).contentType(ContentType.JSON)
                .body("schemaVersion", equalTo(1)).body("label", equalTo(monitor.getString("name")))
                .body("message", equalTo("new")).body("color", equalTo("lightgrey"));
        String tagPath = URI.create(monitor.getString("tagBadgeUrls." + tag)).getPath();
        given().get(tagPath.replace(".svg", ".json")).then().statusCode(200).body("label", equalTo(tag)).body("message", equalTo("new"));
        full().post("/api/v1/monitors/" + monitor.getString("id") + "/pause").then().statusCode(200);
        given().get(tagPath).then().statusCode(200).body(containsString("paused"));
        String id = path.substring("/badge/".length(), path.length() - 4);
        given().get("/badge/" + id + "x.svg").then().statusCode(404).contentType(PROBLEM);
        given().get("/badge/tag/" + id + ".svg").then().statusCode(404);
        given().get("/badge/" + id + ".png").then().statusCode(404);
        assertThat(id).hasSizeGreaterThanOrEqualTo(22).doesNotContain(monitor.getString("slug"));
        JsonPath asReader = Admin.key(Admin.newKey("read-only").secret()).get("/api/v1/monitors/" + monitor.getString("id")).jsonPath();
        assertThat(asReader.getString("badgeUrl")).isNull();
        assertThat(asReader.getMap("tagBadgeUrls")).isNull();
    }

    private static void assertNoInternals(String answer) {
        assertThat(answer).doesNotContain("java.", "Exception", "jackson", "at io.", "hibernate", "Caused by");
    }
}
