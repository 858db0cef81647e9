package io.vigil.evaluator.web.status;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.vigil.contracts.Status;
import io.vigil.evaluator.Flip;
import io.vigil.evaluator.Monitor;
import io.vigil.evaluator.rest.NotifierStandIn;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** Status pages through HTTP: the management API, and the public page, JSON and feed for a known flip history. */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = NotifierStandIn.class, restrictToAnnotatedClass = false)
class StatusPageTest {

    private static RequestSpecification full() {
        return given().header("Authorization", "Bearer test-admin-key-0123456789abcdef");
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static JsonPath monitor(String name, List<String> tags) {
        return full().contentType(ContentType.JSON)
                .body(Map.of("name", name, "tags", tags, "schedule", Map.of("type", "interval", "every", "PT5M")))
                .post("/api/v1/monitors").then().statusCode(201).extract().jsonPath();
    }

    /** Created ten days ago, UP since, DOWN for exactly one hour from two hours ago. */
    private static void knownHistory(UUID monitorId, Instant now) {
        QuarkusTransaction.requiringNew().run(() -> {
            Monitor monitor = Monitor.findById(monitorId);
            monitor.createdAt = now.minus(Duration.ofDays(10));
            flip(monitorId, 1, now.minus(Duration.ofDays(10)), Status.NEW, Status.UP);
            flip(monitorId, 2, now.minus(Duration.ofHours(2)), Status.UP, Status.DOWN);
            flip(monitorId, 3, now.minus(Duration.ofHours(1)), Status.DOWN, Status.UP);
        });
    }

    private static void flip(UUID monitorId, long sequence, Instant at, Status from, Status to) {
        Flip flip = new Flip();
        flip.id = UUID.randomUUID();
        flip.monitorId = monitorId;
        flip.sequence = sequence;
        flip.at = at;
        flip.detectedAt = at;
        flip.fromStatus = from;
        flip.toStatus = to;
        flip.reason = "test";
        flip.reasonText = "test history";
        flip.persist();
    }

    @Test
    void aPageShowsExactUptimeAndTheIncidentOfAKnownHistory() throws Exception {
        String tag = "t" + suffix();
        JsonPath backup = monitor("backup-" + suffix(), List.of(tag));
        UUID id = UUID.fromString(backup.getString("id"));
        knownHistory(id, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        String slug = "acme-" + suffix();
        full().contentType(ContentType.JSON).body(Map.of("slug", slug, "title", "Acme status", "tags", List.of(tag)))
                .post("/api/v1/status-pages").then().statusCode(201);

        JsonPath page = given().get("/status/" + slug + ".json").then().statusCode(200)
                .header("Cache-Control", containsString("max-age=5"))
                .body("title", equalTo("Acme status")).body("monitors", hasSize(1)).extract().jsonPath();
        assertThat(page.getDouble("monitors[0].uptime.24h")).isCloseTo(100.0 * 23 / 24, org.assertj.core.data.Offset.offset(0.0001));
        assertThat(page.getDouble("monitors[0].uptime.7d")).isCloseTo(100.0 * 167 / 168, org.assertj.core.data.Offset.offset(0.0001));
        assertThat(page.getDouble("monitors[0].uptime.90d")).isCloseTo(100.0 * 239 / 240, org.assertj.core.data.Offset.offset(0.0001));
        assertThat(page.getList("monitors[0].days")).hasSize(90);
        assertThat(page.getList("incidents")).hasSize(1);
        assertThat(page.getString("incidents[0].duration")).isEqualTo("PT1H");
        assertThat(page.getString("incidents[0].monitor")).isEqualTo(backup.getString("name"));

        String html = given().get("/status/" + slug).then().statusCode(200).contentType(containsString("text/html")).extract().asString();
        assertThat(html).contains("Acme status", backup.getString("name"));
        String everything = html + page.prettify();
        assertThat(everything).doesNotContain(backup.getString("id"), backup.getString("token"));
        if (backup.getString("pingUrl") != null) {
            assertThat(everything).doesNotContain(backup.getString("pingUrl"));
        }

        String atom = given().get("/status/" + slug + "/feed.atom").then().statusCode(200)
                .contentType(containsString("application/atom+xml")).extract().asString();
        Document feed = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(atom.getBytes(StandardCharsets.UTF_8)));
        assertThat(feed.getElementsByTagName("entry").getLength()).isEqualTo(1);
    }

    @Test
    void statusPagesAreManagedAndValidated() {
        String slug = "p-" + suffix();
        String monitorId = monitor("m-" + suffix(), List.of()).getString("id");
        full().contentType(ContentType.JSON).body(Map.of("slug", slug, "title", "T", "monitors", List.of(monitorId)))
                .post("/api/v1/status-pages").then().statusCode(201).body("slug", equalTo(slug));
        full().contentType(ContentType.JSON).body(Map.of("slug", slug, "title", "T2"))
                .post("/api/v1/status-pages").then().statusCode(409).contentType("application/problem+json");
        full().contentType(ContentType.JSON).body(Map.of("slug", "Bad Slug", "title", "", "monitors", List.of(UUID.randomUUID().toString())))
                .post("/api/v1/status-pages").then().statusCode(400).contentType("application/problem+json");
        full().get("/api/v1/status-pages/" + slug).then().statusCode(200).body("monitors", hasSize(1));
        full().contentType(ContentType.JSON).body(Map.of("slug", slug, "title", "Renamed", "monitors", List.of(monitorId)))
                .put("/api/v1/status-pages/" + slug).then().statusCode(200).body("title", equalTo("Renamed"));
        given().get("/api/v1/status-pages").then().statusCode(401);
        given().get("/status/" + slug + ".json").then().statusCode(200).body("incidents", hasSize(0))
                .body("monitors[0].uptime.24h", nullValue());
        full().urlEncodingEnabled(false).delete("/api/v1/status-pages/%00").then().statusCode(404).contentType("application/problem+json");
        full().delete("/api/v1/status-pages/" + slug).then().statusCode(204);
        given().get("/status/" + slug).then().statusCode(404);
        given().get("/status/" + slug + ".json").then().statusCode(404).contentType("application/problem+json");
    }
}
