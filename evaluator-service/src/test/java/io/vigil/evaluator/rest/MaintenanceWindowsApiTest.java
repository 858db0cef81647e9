package io.vigil.evaluator.rest;

import static io.vigil.evaluator.rest.Admin.full;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code maintenance} field of a monitor: its shape, checks, merge-patch, and {@code nextMaintenance}. */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = NotifierStandIn.class, restrictToAnnotatedClass = false)
class MaintenanceWindowsApiTest {

    @Test
    void windowsAreShownNormalisedWithTheNextMaintenance() {
        Instant start = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        String id = Admin.createMonitor(Map.of("maintenance", List.of(
                Map.of("cron", "0  2 * * 6", "duration", "2h", "timezone", "Europe/Oslo"),
                Map.of("start", start.toString(), "end", start.plus(3, ChronoUnit.HOURS).toString())))).getString("id");
        full().get("/api/v1/monitors/" + id).then().statusCode(200)
                .body("maintenance", hasSize(2))
                .body("maintenance[0].cron", equalTo("0 2 * * 6"))
                .body("maintenance[0].duration", equalTo("PT2H"))
                .body("maintenance[0].timezone", equalTo("Europe/Oslo"))
                .body("maintenance[1].start", equalTo(Times.format(start)))
                .body("maintenance[1].end", equalTo(Times.format(start.plus(3, ChronoUnit.HOURS))))
                .body("nextMaintenance.start", org.hamcrest.Matchers.notNullValue())
                .body("status", equalTo("NEW"));

        String body = full().get("/api/v1/monitors/" + id).then().extract().asString();
        full().contentType(ContentType.JSON).body(body).put("/api/v1/monitors/" + id).then().statusCode(200)
                .body("maintenance", hasSize(2));

        full().contentType("application/merge-patch+json").body(Map.of("maintenance", List.of(
                        Map.of("start", start.toString(), "end", start.plus(1, ChronoUnit.HOURS).toString()))))
                .patch("/api/v1/monitors/" + id).then().statusCode(200)
                .body("maintenance", hasSize(1))
                .body("nextMaintenance.start", equalTo(Times.format(start)))
                .body("nextMaintenance.end", equalTo(Times.format(start.plus(1, ChronoUnit.HOURS))));

        Map<String, Object> remove = new HashMap<>();
        remove.put("maintenance", null);
        full().contentType("application/merge-patch+json").body(remove).patch("/api/v1/monitors/" + id).then()
                .statusCode(200).body("maintenance", hasSize(0)).body("nextMaintenance", nullValue());
    }

    @Test
    void badWindowsAreA400NamingTheField() {
        List<Object> windows = List.of(
                Map.of("cron", "0 2 30 2 *", "duration", "PT1H"),
                Map.of("cron", "0 2 * * 6", "duration", "PT1H", "timezone", "Mars/Olympus"),
                Map.of("cron", "0 2 * * 6", "duration", "soon"),
                Map.of("start", "2026-12-24T18:00:00Z", "end", "2026-12-24T17:00:00Z"),
                Map.of("start", "yesterday", "end", "2026-12-24T17:00:00Z"),
                Map.of("cron", "0 2 * * 6", "duration", "PT1H", "every", "PT1H"),
                Map.of("duration", "PT1H"));
        full().contentType(ContentType.JSON).body(Admin.monitorBody(Map.of("maintenance", windows)))
                .post("/api/v1/monitors").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("maintenance[0].cron"))
                .body("errors.field", hasItem("maintenance[1].timezone"))
                .body("errors.field", hasItem("maintenance[2].duration"))
                .body("errors.field", hasItem("maintenance[3].end"))
                .body("errors.field", hasItem("maintenance[4].start"))
                .body("errors.field", hasItem("maintenance[5].every"))
                .body("errors.field", hasItem("maintenance[6]"))
                .body("errors", hasSize(7));

        List<Object> many = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            many.add(Map.of("cron", "0 2 * * 6", "duration", "PT1H"));
        }
        full().contentType(ContentType.JSON).body(Admin.monitorBody(Map.of("maintenance", many)))
                .post("/api/v1/monitors").then().statusCode(400).body("errors[0].field", equalTo("maintenance"));
        full().contentType(ContentType.JSON).body(Admin.monitorBody(Map.of("maintenance", "weekends")))
                .post("/api/v1/monitors").then().statusCode(400).body("errors[0].field", equalTo("maintenance"));
    }

    @Test
    void aChannelMayBeNotifiedOfMaintenance() {
        full().contentType(ContentType.JSON)
                .body(Map.of("name", "mail-" + Admin.suffix(), "type", "email", "config", Map.of("to", List.of("ops@example.com")),
                        "notifyOn", List.of("DOWN", "UP", "LATE", "MAINTENANCE")))
                .post("/api/v1/channels").then().statusCode(201)
                .body("notifyOn", equalTo(List.of("DOWN", "UP", "LATE", "MAINTENANCE")));
    }
}
