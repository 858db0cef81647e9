package io.vigil.evaluator.service;

import static io.restassured.RestAssured.given;
import static io.vigil.evaluator.service.EngineFixture.now;
import static io.vigil.evaluator.service.EngineFixture.ping;
import static io.vigil.evaluator.service.EngineFixture.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vigil.contracts.PingType;
import io.vigil.contracts.Status;
import io.vigil.evaluator.Flip;
import io.vigil.evaluator.Monitor;
import io.vigil.evaluator.messaging.KafkaTopology;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one failure policy, through the real broker and PostgreSQL: an unparseable record is set aside visibly
 * and holds nothing; a monitor whose pings cannot be applied is put in its error state, keeps its pings, tells
 * {@code vigil-pipeline}'s channels, and holds no other monitor of its partition; a fix applies what it kept.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
class FailureIsolationTest {

    private static final String KEY = "Bearer test-admin-key-0123456789abcdef";

    @Inject
    TestMonitors monitors;

    @Inject
    KafkaTopology topology;

    @BeforeAll
    static void ingest() {
        EngineFixture.start();
    }

    @Test
    void anUnparseableRecordIsSetAsideVisiblyAndTheRestOfItsPartitionApplies() {
        Monitor m = monitors.create(Duration.ofHours(1), Duration.ofHours(1), null);
        String key = "not-a-ping-" + UUID.randomUUID();
        // one on the monitor's own partition (its key), one elsewhere
        EngineFixture.sendRaw(m.id.toString(), ("{\"kind\":\"" + key + "\"}").getBytes(StandardCharsets.UTF_8));
        EngineFixture.sendRaw(key, "not json".getBytes(StandardCharsets.UTF_8));
        send(ping(m.id, PingType.SUCCESS, now()));
        await().atMost(Duration.ofSeconds(20)).until(() -> monitors.find(m.id).status == Status.UP);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().header("Authorization", KEY)
                .get("/api/v1/dead-letters?limit=500").then().statusCode(200)
                .body("items.key", hasItem(key))
                .body("items.find { it.key == '" + key + "' }.topic", org.hamcrest.Matchers.equalTo("vigil.pings.v1"))
                .body("items.find { it.key == '" + key + "' }.size", org.hamcrest.Matchers.equalTo(8)));
        given().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("vigil_dead_letters_total{topic=\"vigil.pings.v1\"}"));
    }

    @Test
    void aMonitorThatCannotBeEvaluatedKeepsItsPingsAndHoldsNoOtherMonitor() {
        Monitor broken = monitors.createCron("0 0 30 2 *"); // 30 February: never due
        int partition = topology.partitionOf(broken.id);
        Monitor neighbour;
        do {
            neighbour = monitors.create(Duration.ofHours(1), Duration.ofHours(1), null);
        } while (topology.partitionOf(neighbour.id) != partition);
        UUID brokenId = broken.id;
        UUID neighbourId = neighbour.id;

        try {
            send(ping(brokenId, PingType.SUCCESS, now()));
            send(ping(neighbourId, PingType.SUCCESS, now()));
            await().atMost(Duration.ofSeconds(30)).until(() -> monitors.find(neighbourId).status == Status.UP);
            await().atMost(Duration.ofSeconds(30)).until(() -> monitors.find(brokenId).errorText != null);
            assertThat(monitors.find(brokenId).errorText).contains("no next tick");
            assertThat(monitors.find(brokenId).pingCount).isZero();
            assertThat(monitors.heldPings(brokenId)).isEqualTo(1);

            // the monitor's JSON says why; vigil-pipeline's channels are told
            given().header("Authorization", KEY).get("/api/v1/monitors/" + brokenId).then().statusCode(200)
                    .body("error.message", org.hamcrest.Matchers.containsString("no next tick"))
                    .body("error.since", org.hamcrest.Matchers.notNullValue());
            UUID pipeline = monitors.findBySlug(PipelineWatch.SLUG).id;
            await().atMost(Duration.ofSeconds(30)).until(() -> monitors.flips(pipeline).stream()
                    .anyMatch(f -> f.reason.equals("monitor-error") && f.reasonText.contains(broken.slug)));

            // later pings of the partition still apply while it is broken; its own wait with the first
            send(ping(brokenId, PingType.SUCCESS, now()));
            send(ping(neighbourId, PingType.LOG, now()));
            await().atMost(Duration.ofSeconds(30)).until(() -> monitors.find(neighbourId).pingCount == 2);
            await().atMost(Duration.ofSeconds(30)).until(() -> monitors.heldPings(brokenId) == 2);

            // a fix through the admin API (a schedule that can be evaluated) applies every kept ping, in order, once
            Map<String, Object> interval = new HashMap<>(Map.of("type", "interval", "every", "PT1H"));
            interval.put("expression", null); // merge patch: remove the cron fields
            interval.put("timezone", null);
            given().header("Authorization", KEY).contentType("application/merge-patch+json")
                    .body(Map.of("schedule", interval))
                    .patch("/api/v1/monitors/" + brokenId).then().statusCode(200).body("error", org.hamcrest.Matchers.nullValue());
            await().atMost(Duration.ofSeconds(30)).until(() -> monitors.find(brokenId).pingCount == 2);
            Monitor fixed = monitors.find(brokenId);
            assertThat(fixed.status).isEqualTo(Status.UP);
            assertThat(fixed.errorText).isNull();
            assertThat(monitors.heldPings(brokenId)).isZero();
            List<Flip> flips = monitors.flips(brokenId);
            assertThat(flips).extracting(f -> f.reason).containsExactly("ok");
        } finally {
            if (monitors.find(brokenId).errorText != null) {
                monitors.delete(brokenId); // no broken monitor is left for other tests' vigil-pipeline
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"0 0 30 2 *", "0 0 31 4 *", "0 0 31 2,4,6,9,11 *"})
    void aCronExpressionThatNeverFiresIsRefused(String expression) {
        given().header("Authorization", KEY).contentType(ContentType.JSON)
                .body(Map.of("name", "never-" + UUID.randomUUID(), "schedule", Map.of("type", "cron", "expression", expression)))
                .post("/api/v1/monitors").then().statusCode(400)
                .body("errors.field", hasItem("schedule.expression"));
    }

    @Test
    void aRareButRealCronExpressionIsAccepted() {
        given().header("Authorization", KEY).contentType(ContentType.JSON)
                .body(Map.of("name", "leap-" + UUID.randomUUID(), "schedule", Map.of("type", "cron", "expression", "0 0 29 2 *")))
                .post("/api/v1/monitors").then().statusCode(201);
    }
}
