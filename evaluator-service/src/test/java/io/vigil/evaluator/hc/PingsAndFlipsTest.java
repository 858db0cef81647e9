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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A check's pings, ping bodies and flips, and pause and resume, as Healthchecks answers them. */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = NotifierStandIn.class, restrictToAnnotatedClass = false)
class PingsAndFlipsTest {

    @Test
    void pingsAreNewestFirstWithHealthchecksFields() throws Exception {
        String uuid = Hc.create(3, Map.of("name", "pings-" + Hc.suffix(), "timeout", 3600)).getString("uuid");
        Hc.full().get("/hc/api/v3/checks/" + uuid + "/pings/").then().statusCode(200).body("pings", equalTo(List.of()));
        Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusMillis(120);
        UUID rid = UUID.randomUUID();
        byte[] body = "backup done".getBytes(StandardCharsets.UTF_8);
        Hc.publish(Hc.ping(uuid, PingType.START, at, "GET", rid, null),
                Hc.ping(uuid, PingType.SUCCESS, at.plusMillis(12_345), "POST", rid, body));
        JsonPath pings = await().atMost(Duration.ofSeconds(20)).until(
                () -> Hc.full().get("/hc/api/v2/checks/" + uuid + "/pings/").then().statusCode(200).extract().jsonPath(),
                json -> json.getList("pings").size() == 2);
        Map<String, Object> success = pings.getMap("pings[0]");
        assertThat(new ArrayList<>(success.keySet())).containsExactly("type", "date", "n", "scheme", "remote_addr", "method",
                "ua", "rid", "duration", "body_url");
        assertThat(success).containsEntry("type", "success").containsEntry("date", python(at.plusMillis(12_345)))
                .containsEntry("n", 2).containsEntry("scheme", "https").containsEntry("remote_addr", "203.0.113.5")
                .containsEntry("method", "POST").containsEntry("ua", "curl/8").containsEntry("rid", rid.toString())
                .containsEntry("duration", 12.35f)
                .containsEntry("body_url", "http://localhost:8081/hc/api/v2/checks/" + uuid + "/pings/2/body");
        Map<String, Object> start = pings.getMap("pings[1]");
        assertThat(start).containsEntry("type", "start").containsEntry("date", python(at))
                .containsEntry("n", 1).containsEntry("body_url", null).doesNotContainKey("duration");
        String served = Hc.full().get("/hc/api/v2/checks/" + uuid + "/pings/2/body").then().statusCode(200)
                .contentType("text/plain").extract().asString();
        assertThat(served).isEqualTo("backup done");
        Hc.full().get("/hc/api/v2/checks/" + uuid + "/pings/1/body").then().statusCode(404);
        Hc.full().get("/hc/api/v2/checks/" + uuid + "/pings/9/body").then().statusCode(404);
        Hc.full().get("/hc/api/v2/checks/" + uuid).then().body("last_duration", equalTo(12)).body("n_pings", equalTo(2))
                .body("last_ping", equalTo(at.plusMillis(12_345).truncatedTo(ChronoUnit.SECONDS).toString().replace("Z", "+00:00"))).body("status", equalTo("up"));
    }

    /** Python's isoformat() of a UTC time with milliseconds: microsecond digits and +00:00. */
    private static String python(Instant at) {
        return at.toString().replace("Z", "000+00:00");
    }

    @Test
    void flipsAreNewestFirstAndFilteredByUnixTime() throws Exception {
        String uuid = Hc.create(3, Map.of("name", "flips-" + Hc.suffix(), "timeout", 3600)).getString("uuid");
        Instant up = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30);
        Hc.publish(Hc.ping(uuid, PingType.SUCCESS, up, "GET", null, null),
                Hc.ping(uuid, PingType.FAIL, up.plusSeconds(10), "GET", null, null));
        JsonPath flips = await().atMost(Duration.ofSeconds(20)).until(
                () -> Hc.full().get("/hc/api/v3/checks/" + uuid + "/flips/").then().statusCode(200).extract().jsonPath(),
                json -> json.getList("flips").size() == 2);
        assertThat(flips.getList("flips")).containsExactly(
                Map.of("timestamp", HcJson.isoSeconds(up.plusSeconds(10)), "up", 0),
                Map.of("timestamp", HcJson.isoSeconds(up), "up", 1));
        String base = "/hc/api/v3/checks/" + uuid + "/flips/";
        Hc.full().get(base + "?start=" + (up.getEpochSecond() + 1)).then().body("flips.up", equalTo(List.of(0)));
        Hc.full().get(base + "?end=" + (up.getEpochSecond() + 1)).then().body("flips.up", equalTo(List.of(1)));
        Hc.full().get(base + "?seconds=3600").then().body("flips.up", equalTo(List.of(0, 1)));
        Hc.full().get(base + "?start=-1").then().statusCode(400);
        Hc.full().get(base + "?start=abc").then().statusCode(400);
        Hc.full().get(base + "?seconds=31536001").then().statusCode(400);
        String uniqueKey = HcChecks.uniqueKey(UUID.fromString(uuid));
        Hc.full().get("/hc/api/v3/checks/" + uniqueKey + "/flips/").then().statusCode(200).body("flips.up", equalTo(List.of(0, 1)));
    }

    @Test
    void pauseAndResumeAsHealthchecks() {
        String uuid = Hc.create(1, Map.of("name", "pause-" + Hc.suffix())).getString("uuid");
        String base = "/hc/api/v1/checks/" + uuid;
        Hc.full().post(base + "/resume").then().statusCode(409).contentType("text/plain").body(equalTo("check is not paused"));
        Hc.full().post(base + "/pause").then().statusCode(200).body("status", equalTo("paused")).body("uuid", equalTo(uuid));
        Hc.full().post(base + "/pause").then().statusCode(200).body("status", equalTo("paused"));
        Hc.full().post(base + "/resume").then().statusCode(200).body("status", equalTo("new"));
        Hc.full().post("/hc/api/v1/checks/" + UUID.randomUUID() + "/pause").then().statusCode(404);
    }

    @Test
    void aPostOnlyCheckRecordsAGetAsIgnoredAndStaysAsItWas() throws Exception {
        String uuid = Hc.create(3, Map.of("name", "post-only-" + Hc.suffix(), "timeout", 3600, "methods", "POST")).getString("uuid");
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Hc.publish(Hc.ping(uuid, PingType.SUCCESS, at, "GET", null, null), Hc.ping(uuid, PingType.FAIL, at.plusMillis(1), "HEAD", null, null));
        JsonPath pings = await().atMost(Duration.ofSeconds(20)).until(
                () -> Hc.full().get("/hc/api/v3/checks/" + uuid + "/pings/").then().statusCode(200).extract().jsonPath(),
                json -> json.getList("pings").size() == 2);
        assertThat(pings.getList("pings.type")).containsExactly("ign", "ign");
        Hc.full().get("/hc/api/v3/checks/" + uuid).then().body("status", equalTo("new")).body("n_pings", equalTo(2))
                .body("last_ping", equalTo(null)).body("methods", equalTo("POST"));
        Hc.publish(Hc.ping(uuid, PingType.SUCCESS, at.plusMillis(2), "POST", null, null));
        await().atMost(Duration.ofSeconds(20)).until(
                () -> Hc.full().get("/hc/api/v3/checks/" + uuid).then().extract().<String>path("status"), "up"::equals);
        // methods "" takes every method again
        Hc.full().body(Map.of("methods", "")).post("/hc/api/v3/checks/" + uuid).then().statusCode(200).body("methods", equalTo(""));
        Hc.publish(Hc.ping(uuid, PingType.FAIL, at.plusMillis(3), "GET", null, null));
        await().atMost(Duration.ofSeconds(20)).until(
                () -> Hc.full().get("/hc/api/v3/checks/" + uuid).then().extract().<String>path("status"), "down"::equals);
    }

    @Test
    void channelKindsAreHealthchecksNames() {
        assertThat(HcJson.kind(io.vigil.contracts.ChannelType.TEAMS)).isEqualTo("msteamsw");
        assertThat(HcJson.kind(io.vigil.contracts.ChannelType.PAGERDUTY)).isEqualTo("pd");
        assertThat(HcJson.kind(io.vigil.contracts.ChannelType.PUSHOVER)).isEqualTo("po");
        for (String same : List.of("EMAIL", "SLACK", "WEBHOOK", "OPSGENIE", "DISCORD", "TELEGRAM", "NTFY", "GOOGLECHAT",
                "MATTERMOST", "ROCKETCHAT", "GOTIFY", "MATRIX")) {
            assertThat(HcJson.kind(io.vigil.contracts.ChannelType.valueOf(same))).isEqualTo(same.toLowerCase());
        }
    }
}
