package io.vigil.evaluator.rest;

import static io.vigil.evaluator.rest.Admin.createMonitor;
import static io.vigil.evaluator.rest.Admin.full;
import static io.vigil.evaluator.rest.Admin.monitorBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The run-rule fields and snooze through the admin API: shown, changed, refused with the field named. */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = NotifierStandIn.class, restrictToAnnotatedClass = false)
class RunRulesResourceTest {

    private static final String PROBLEM = "application/problem+json";

    @Test
    void theRulesAreShownWithTheirDefaultsAndCanBeSetAndPatched() {
        JsonPath plain = createMonitor(Map.of());
        assertThat(plain.getInt("failureThreshold")).isEqualTo(1);
        assertThat(plain.getInt("recoveryThreshold")).isEqualTo(1);
        assertThat(plain.getString("minRuntime")).isNull();
        assertThat(plain.getString("minInterval")).isNull();
        assertThat(plain.getBoolean("manualResume")).isFalse();
        assertThat(plain.getInt("consecutiveFailures")).isZero();
        assertThat(plain.getString("pausedUntil")).isNull();

        JsonPath ruled = createMonitor(Map.of("failureThreshold", 3, "recoveryThreshold", 2, "minRuntime", "5m",
                "minInterval", "PT1H", "manualResume", true));
        assertThat(ruled.getInt("failureThreshold")).isEqualTo(3);
        assertThat(ruled.getString("minRuntime")).isEqualTo("PT5M");
        assertThat(ruled.getString("minInterval")).isEqualTo("PT1H");
        assertThat(ruled.getBoolean("manualResume")).isTrue();

        full().contentType("application/merge-patch+json").body("{\"failureThreshold\":5,\"minRuntime\":null}")
                .patch("/api/v1/monitors/" + ruled.getString("id"))
                .then().statusCode(200).body("failureThreshold", equalTo(5)).body("minRuntime", nullValue())
                .body("recoveryThreshold", equalTo(2)).body("manualResume", equalTo(true));
    }

    @Test
    void invalidRulesAreRefusedNamingEachField() {
        full().contentType(ContentType.JSON).body(monitorBody(Map.of("failureThreshold", 0, "recoveryThreshold", 101,
                        "minRuntime", "soon", "minInterval", 5, "manualResume", "yes")))
                .post("/api/v1/monitors")
                .then().statusCode(400).contentType(PROBLEM)
                .body("errors.field", hasItems("failureThreshold", "recoveryThreshold", "minRuntime", "minInterval",
                        "manualResume"));
        full().contentType(ContentType.JSON).body(monitorBody(Map.of("failureThreshold", 2.5)))
                .post("/api/v1/monitors").then().statusCode(400).body("errors[0].field", equalTo("failureThreshold"));
    }

    @Test
    void aSnoozeShowsItsEndAndReplacesAnEarlierOne() {
        String id = createMonitor(Map.of()).getString("id");
        Instant before = Instant.now();
        String until = full().contentType(ContentType.JSON).body("{\"for\":\"PT2H\"}").post("/api/v1/monitors/" + id + "/pause")
                .then().statusCode(200).body("status", equalTo("PAUSED")).extract().path("pausedUntil");
        assertThat(Instant.parse(until)).isBetween(before.plus(Duration.ofHours(2)).minusMillis(1),
                Instant.now().plus(Duration.ofHours(2)));

        OffsetDateTime later = OffsetDateTime.now(ZoneOffset.ofHours(1)).plusHours(3).truncatedTo(ChronoUnit.SECONDS);
        full().contentType(ContentType.JSON).body(Map.of("until", later.toString()))
                .post("/api/v1/monitors/" + id + "/pause")
                .then().statusCode(200).body("pausedUntil", equalTo(Times.format(later.toInstant())));
        full().post("/api/v1/monitors/" + id + "/pause").then().statusCode(200).body("pausedUntil", nullValue());
        full().post("/api/v1/monitors/" + id + "/resume").then().statusCode(200).body("status", equalTo("NEW"));
    }

    @Test
    void anInvalidSnoozeIsRefusedNamingTheField() {
        String id = createMonitor(Map.of()).getString("id");
        Map<String, String> bodies = Map.of(
                "{\"until\":\"2001-01-01T00:00:00Z\"}", "until",
                "{\"until\":\"tomorrow\"}", "until",
                "{\"until\":\"2099-01-01T00:00:00Z\"}", "until",
                "{\"for\":\"PT0S\"}", "for",
                "{\"for\":\"P400D\"}", "for",
                "{\"for\":\"PT1H\",\"until\":\"2030-01-01T00:00:00Z\"}", "until",
                "{\"forever\":true}", "forever");
        bodies.forEach((body, field) -> full().contentType(ContentType.JSON).body(body)
                .post("/api/v1/monitors/" + id + "/pause")
                .then().statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo(field)));
        full().get("/api/v1/monitors/" + id).then().body("status", equalTo("NEW"));
    }

    @Test
    void resumingADownMonitorNeedsManualResume() {
        String id = createMonitor(Map.of()).getString("id");
        full().contentType("application/merge-patch+json").body("{\"manualResume\":true}").patch("/api/v1/monitors/" + id)
                .then().statusCode(200);
        full().post("/api/v1/monitors/" + id + "/resume").then().statusCode(409).contentType(PROBLEM);
    }
}
