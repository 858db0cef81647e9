package io.vigil.evaluator.service;

import static io.restassured.RestAssured.given;
import static io.vigil.evaluator.service.EngineFixture.now;
import static io.vigil.evaluator.service.EngineFixture.ping;
import static io.vigil.evaluator.service.EngineFixture.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vigil.contracts.Json;
import io.vigil.contracts.MonitorFlipped;
import io.vigil.contracts.PingType;
import io.vigil.contracts.Status;
import io.vigil.contracts.Topics;
import io.vigil.evaluator.Flip;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Dependencies through the real broker and PostgreSQL: monitors made through the admin API with {@code dependsOn},
 * pings written to {@code vigil.pings.v1} as ingest writes them, and the flips and releases read back from
 * {@code vigil.flips.v1}.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
class DependenciesTest {

    private static final String ADMIN_KEY = "test-admin-key-0123456789abcdef";

    @Inject
    TestMonitors monitors;

    @BeforeAll
    static void ingest() {
        EngineFixture.start();
    }

    @AfterEach
    void release() {
        EngineFixture.releaseAll();
    }

    private static UUID create(String name, String every, String grace, List<UUID> dependsOn) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name + "-" + UUID.randomUUID().toString().substring(0, 8));
        body.put("schedule", Map.of("type", "interval", "every", every));
        body.put("grace", grace);
        body.put("dependsOn", dependsOn.stream().map(UUID::toString).toList());
        return UUID.fromString(given().header("Authorization", "Bearer " + ADMIN_KEY).contentType(ContentType.JSON).body(body)
                .post("/api/v1/monitors").then().statusCode(201).extract().jsonPath().getString("id"));
    }

    private static JsonPath flipsJson(UUID id) {
        return given().header("Authorization", "Bearer " + ADMIN_KEY).get("/api/v1/monitors/" + id + "/flips")
                .then().statusCode(200).extract().jsonPath();
    }

    private void awaitStatus(UUID id, Status status) {
        await().atMost(Duration.ofSeconds(20)).until(() -> monitors.find(id).status == status);
    }

    private static List<MonitorFlipped> relayed(UUID id) {
        return EngineFixture.relayed(Topics.FLIPS, id.toString()).stream()
                .map(r -> Json.read(r.value(), MonitorFlipped.class)).toList();
    }

    private static List<MonitorFlipped> releases(UUID id) {
        return relayed(id).stream().filter(f -> f.releaseOf() != null).toList();
    }

    private void fail(UUID id) {
        send(ping(id, PingType.FAIL, now()));
        awaitStatus(id, Status.DOWN);
    }

    private void succeed(UUID id) {
        send(ping(id, PingType.SUCCESS, now()));
        awaitStatus(id, Status.UP);
    }

    @Test
    void dependentsDownWhileTheirParentIsDownAreHeldAndTheStillDownOnesAlertOnceItIsBack() {
        UUID parent = create("db", "PT1H", "PT1H", List.of());
        UUID stillDown = create("app", "PT1H", "PT1H", List.of(parent));
        UUID recovered = create("web", "PT1H", "PT1H", List.of(parent));
        UUID unrelated = create("other", "PT1H", "PT1H", List.of());
        for (UUID id : List.of(parent, stillDown, recovered, unrelated)) {
            succeed(id);
        }
        fail(parent);
        fail(stillDown);
        fail(recovered);
        fail(unrelated);

        await().atMost(Duration.ofSeconds(10)).until(() -> relayed(stillDown).size() == 2 && relayed(recovered).size() == 2
                && relayed(unrelated).size() == 2);
        MonitorFlipped heldDown = relayed(stillDown).get(1);
        assertThat(heldDown.status()).isEqualTo(Status.DOWN);
        assertThat(heldDown.suppressedBy()).isEqualTo(parent);
        assertThat(relayed(parent).get(1).suppressedBy()).isNull();
        assertThat(relayed(unrelated).get(1).suppressedBy()).isNull();
        List<Flip> stillDownFlips = monitors.flips(stillDown);
        assertThat(stillDownFlips.get(1).suppressedBy).isEqualTo(parent);
        assertThat(stillDownFlips.get(1).held).isTrue();
        assertThat(flipsJson(stillDown).getString("items[0].suppressedBy")).isEqualTo(parent.toString());

        succeed(recovered); // recovered while the parent was down: its UP ends a held DOWN
        Instant back = Instant.now();
        succeed(parent);

        await().atMost(Duration.ofSeconds(5)).until(() -> releases(stillDown).size() == 1);
        MonitorFlipped release = releases(stillDown).get(0);
        assertThat(Duration.between(back, Instant.now())).isLessThan(Duration.ofSeconds(5));
        assertThat(release.releaseOf()).isEqualTo(heldDown.eventId());
        assertThat(release.eventId()).isNotEqualTo(heldDown.eventId());
        assertThat(release.sequence()).isEqualTo(heldDown.sequence());
        assertThat(release.status()).isEqualTo(Status.DOWN);
        assertThat(release.previousStatus()).isEqualTo(Status.UP);
        assertThat(release.occurredAt()).isEqualTo(heldDown.occurredAt());
        assertThat(release.suppressedBy()).isNull();
        assertThat(release.reasonText()).startsWith("failure signal (held while db-").endsWith(" was down)");
        Flip released = monitors.flips(stillDown).get(1);
        assertThat(released.held).isFalse();
        assertThat(released.releasedAt).isNotNull();
        assertThat(flipsJson(stillDown).getString("items[0].releasedAt")).isNotNull();

        await().atMost(Duration.ofSeconds(5)).until(() -> !monitors.flips(recovered).get(1).held);
        assertThat(releases(recovered)).isEmpty();
        assertThat(monitors.flips(recovered).get(1).releasedAt).isNull();
        assertThat(releases(parent)).isEmpty();
        assertThat(releases(unrelated)).isEmpty();
    }

    @Test
    void aDependentDownWhileItsParentIsLateIsHeldAndSaysSoWhenTheParentComesBackWithoutGoingDown() {
        UUID parent = create("queue", "2s", "PT1H", List.of());
        UUID dependent = create("worker", "PT1H", "PT1H", List.of(parent));
        succeed(parent);
        succeed(dependent);
        awaitStatus(parent, Status.LATE);
        fail(dependent);
        await().atMost(Duration.ofSeconds(10)).until(() -> relayed(dependent).size() == 2);
        assertThat(relayed(dependent).get(1).suppressedBy()).isEqualTo(parent);

        succeed(parent);
        await().atMost(Duration.ofSeconds(5)).until(() -> releases(dependent).size() == 1);
        assertThat(releases(dependent).get(0).reasonText()).startsWith("failure signal (held while queue-").endsWith(" was late)");
    }

    @Test
    void aHeldDownIsSentWhenItsParentIsRemovedFromDependsOnOrDeleted() {
        UUID parent = create("net", "PT1H", "PT1H", List.of());
        UUID patched = create("api", "PT1H", "PT1H", List.of(parent));
        UUID orphaned = create("cache", "PT1H", "PT1H", List.of(parent));
        succeed(parent);
        succeed(patched);
        succeed(orphaned);
        fail(parent);
        fail(patched);
        fail(orphaned);

        given().header("Authorization", "Bearer " + ADMIN_KEY).contentType("application/merge-patch+json")
                .body("{\"dependsOn\":[]}").patch("/api/v1/monitors/" + patched).then().statusCode(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> releases(patched).size() == 1);
        assertThat(releases(orphaned)).isEmpty();

        given().header("Authorization", "Bearer " + ADMIN_KEY).delete("/api/v1/monitors/" + parent).then().statusCode(204);
        await().atMost(Duration.ofSeconds(5)).until(() -> releases(orphaned).size() == 1);
        assertThat(releases(orphaned).get(0).reasonText()).endsWith("(held while " + parent + " was down)");
        assertThat(monitors.find(orphaned).dependsOn).isEmpty();
    }

    @Test
    void aMissedDeadlineOfParentAndDependentTogetherGivesOnlyTheParentsAlerts() {
        // the same schedule: the parent is LATE (or DOWN) whenever the dependent's deadline is declared
        UUID parent = create("storage", "2s", "1s", List.of());
        send(ping(parent, PingType.SUCCESS, now()));
        awaitStatus(parent, Status.UP);
        UUID dependent = create("backup", "2s", "1s", List.of(parent));
        send(ping(dependent, PingType.SUCCESS, now()));
        awaitStatus(dependent, Status.DOWN);
        awaitStatus(parent, Status.DOWN);

        await().atMost(Duration.ofSeconds(10)).until(() -> relayed(dependent).size() == 3);
        assertThat(relayed(dependent)).extracting(MonitorFlipped::status).containsExactly(Status.UP, Status.LATE, Status.DOWN);
        // the DOWN comes a grace after the parent's LATE was recorded, so it is held; the two LATEs fall due within
        // milliseconds of each other, and the sweep may declare the dependent's (on another partition) first: a
        // dependent's flip recorded before its parent's is not held (README, Dependencies), so the LATE may go either way
        assertThat(relayed(dependent).get(2).suppressedBy()).isEqualTo(parent);
        assertThat(monitors.flips(dependent).get(2).held).isTrue();
    }

    @Test
    void aParentAndItsDependentFailingInOneBatchGiveOnlyTheParentsAlerts() {
        UUID parent = create("disk", "2s", "PT1H", List.of());
        int partition = monitors.find(parent).kafkaPartition;
        UUID dependent = create("job", "2s", "PT1H", List.of(parent));
        while (monitors.find(dependent).kafkaPartition != partition) {
            dependent = create("job", "2s", "PT1H", List.of(parent));
        }
        UUID child = dependent;
        succeed(parent);
        succeed(child);
        // both past due with the partition's watermark held: their fail pings wait, then are applied in one batch
        EngineFixture.hold(partition);
        await().atMost(Duration.ofSeconds(5)).until(() -> monitors.find(child).dueAt.isBefore(Instant.now().minusMillis(100))
                && monitors.find(parent).dueAt.isBefore(Instant.now().minusMillis(100)));
        send(ping(child, PingType.FAIL, now()));
        send(ping(parent, PingType.FAIL, now()));
        await().atMost(Duration.ofSeconds(10)).until(() -> monitors.heldPings(child) == 1 && monitors.heldPings(parent) == 1);
        EngineFixture.releaseAll();

        awaitStatus(child, Status.DOWN);
        awaitStatus(parent, Status.DOWN);
        assertThat(monitors.flips(parent)).extracting(f -> f.suppressedBy).containsOnlyNulls();
        assertThat(monitors.flips(child)).extracting(f -> f.toStatus).containsExactly(Status.UP, Status.LATE, Status.DOWN);
        assertThat(monitors.flips(child).subList(1, 3)).allSatisfy(f -> assertThat(f.suppressedBy).isEqualTo(parent));
    }
}
