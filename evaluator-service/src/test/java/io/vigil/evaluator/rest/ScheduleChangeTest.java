package io.vigil.evaluator.rest;

import static io.vigil.evaluator.rest.Admin.full;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A monitor's schedule changes kind (cron to interval and back) through PATCH and PUT, and reads back as sent. */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = NotifierStandIn.class, restrictToAnnotatedClass = false)
class ScheduleChangeTest {

    @Test
    void aCronMonitorPatchedToAnIntervalIsAnIntervalMonitor() {
        String id = Admin.createMonitor(Map.of("schedule", Map.of("type", "cron", "expression", "0 3 * * *",
                "timezone", "Europe/Oslo"))).getString("id");
        Map<String, Object> interval = new HashMap<>(Map.of("type", "interval", "every", "PT1H"));
        interval.put("expression", null);
        interval.put("timezone", null);
        full().contentType("application/merge-patch+json").body(Map.of("schedule", interval))
                .patch("/api/v1/monitors/" + id).then().statusCode(200)
                .body("schedule.type", equalTo("interval")).body("schedule.every", equalTo("PT1H"))
                .body("schedule.expression", nullValue());
        full().get("/api/v1/monitors/" + id).then().statusCode(200)
                .body("schedule.type", equalTo("interval")).body("schedule.every", equalTo("PT1H"))
                .body("schedule.expression", nullValue()).body("schedule.timezone", nullValue());

        Map<String, Object> cron = new HashMap<>(Map.of("type", "cron", "expression", "0 4 * * *"));
        cron.put("every", null);
        full().contentType(ContentType.JSON).body(Map.of("schedule", cron))
                .patch("/api/v1/monitors/" + id).then().statusCode(200);
        full().get("/api/v1/monitors/" + id).then().statusCode(200)
                .body("schedule.type", equalTo("cron")).body("schedule.expression", equalTo("0 4 * * *"))
                .body("schedule.every", nullValue());
    }
}
