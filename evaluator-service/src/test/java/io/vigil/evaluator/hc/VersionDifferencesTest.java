package io.vigil.evaluator.hc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vigil.contracts.PingType;
import io.vigil.evaluator.rest.NotifierStandIn;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What differs between /hc/api/v1/, v2/ and v3/, each as Healthchecks has it. */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = NotifierStandIn.class, restrictToAnnotatedClass = false)
class VersionDifferencesTest {

    @Test
    void v1AndV2MakeTheSlugFromTheNameAndV3DoesNot() {
        String id = Hc.suffix();
        assertThat(Hc.create(1, Map.of("name", "Backup Job " + id + "!")).getString("slug")).isEqualTo("backup-job-" + id);
        assertThat(Hc.create(2, Map.of("name", "Dump.DB " + id)).getString("slug")).isEqualTo("dumpdb-" + id);
        JsonPath v3 = Hc.create(3, Map.of("name", "Report " + id, "slug", "report-slug-" + id));
        assertThat(v3.getString("slug")).isEqualTo("report-slug-" + id);
        // v3 keeps the slug when the name changes; v1 makes it again from the new name
        String uuid = v3.getString("uuid");
        Hc.full().body(Map.of("name", "Renamed " + id)).post("/hc/api/v3/checks/" + uuid).then().statusCode(200)
                .body("slug", equalTo("report-slug-" + id));
        Hc.full().body(Map.of("name", "Renamed " + id)).post("/hc/api/v1/checks/" + uuid).then().statusCode(200)
                .body("slug", equalTo("renamed-" + id));
        // an explicit slug wins over the one made from the name, in v1 too
        assertThat(Hc.create(1, Map.of("name", "Named " + id, "slug", "explicit-" + id)).getString("slug")).isEqualTo("explicit-" + id);
    }

    @Test
    void urlsPointIntoTheVersionAsked() {
        String uuid = Hc.create(2, Map.of("name", "urls-" + Hc.suffix())).getString("uuid");
        for (int v = 1; v <= 3; v++) {
            String expected = "http://localhost:8081/hc/api/v" + v + "/checks/" + uuid;
            Hc.full().get("/hc/api/v" + v + "/checks/" + uuid).then().statusCode(200).body("update_url", equalTo(expected))
                    .body("pause_url", equalTo(expected + "/pause")).body("resume_url", equalTo(expected + "/resume"));
        }
        Hc.full().get("/hc/api/v4/checks/" + uuid).then().statusCode(404);
    }

    @Test
    void onlyV1ReportsARunningCheckAsStarted() throws Exception {
        String uuid = Hc.create(3, Map.of("name", "runner-" + Hc.suffix(), "timeout", 3600)).getString("uuid");
        Hc.publish(Hc.ping(uuid, PingType.START, Instant.now().truncatedTo(ChronoUnit.MILLIS), "GET", null, null));
        await().atMost(Duration.ofSeconds(20)).until(
                () -> Hc.full().get("/hc/api/v2/checks/" + uuid).then().extract().<Boolean>path("started"));
        Hc.full().get("/hc/api/v1/checks/" + uuid).then().body("status", equalTo("started")).body("started", equalTo(true));
        Hc.full().get("/hc/api/v2/checks/" + uuid).then().body("status", equalTo("new")).body("started", equalTo(true));
        Hc.full().get("/hc/api/v3/checks/" + uuid).then().body("status", equalTo("new")).body("started", equalTo(true));
    }
}
