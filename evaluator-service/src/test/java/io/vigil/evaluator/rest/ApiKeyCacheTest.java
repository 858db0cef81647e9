package io.vigil.evaluator.rest;

import static io.vigil.evaluator.rest.Admin.full;
import static io.vigil.evaluator.rest.Admin.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vigil.contracts.TokenHash;
import io.vigil.evaluator.service.ApiKeys;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * API keys are checked against an in-memory copy: bogus keys never reach PostgreSQL, a key deleted or created
 * through another evaluator instance (a row changed behind this instance's back) takes effect within bounds.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = NotifierStandIn.class, restrictToAnnotatedClass = false)
class ApiKeyCacheTest {

    @Inject
    DataSource database;

    @TestHTTPResource("/api/v1/monitors?limit=1")
    URI monitors;

    @Test
    void aFloodOfBogusKeysIsAnsweredWhileTheKeyTableIsLocked() throws Exception {
        Admin.NewKey reader = Admin.newKey("read-only");
        key(reader.secret()).get("/api/v1/monitors?limit=1").then().statusCode(200);
        HttpClient http = HttpClient.newHttpClient();
        ConcurrentMap<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        try (Connection lock = database.getConnection()) {
            lock.setAutoCommit(false);
            try (Statement statement = lock.createStatement()) {
                // as good as a stopped database for this table: any read of it now waits until the rollback
                statement.execute("LOCK TABLE api_key IN ACCESS EXCLUSIVE MODE");
            }
            List<CompletableFuture<Void>> sent = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                HttpRequest request = HttpRequest.newBuilder(monitors).timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer bogus-" + UUID.randomUUID()).build();
                sent.add(http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                        .handle((response, failure) -> {
                            String outcome = failure != null ? "no answer" : String.valueOf(response.statusCode());
                            outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
                            return null;
                        }));
                if (sent.size() == 64) {
                    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
                    sent.clear();
                    if (outcomes.getOrDefault("no answer", new AtomicInteger()).get() > 1) {
                        break; // requests wait for the table: no need to send the rest
                    }
                }
            }
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
            // a real key is answered from the copy too
            HttpResponse<Void> real = http.send(HttpRequest.newBuilder(monitors).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + reader.secret()).build(), HttpResponse.BodyHandlers.discarding());
            assertThat(real.statusCode()).isEqualTo(200);
            lock.rollback();
        }
        // at most one request (the one that found the copy due for a reload) waited for the table
        assertThat(outcomes.getOrDefault("401", new AtomicInteger()).get()).as("outcomes %s", outcomes).isGreaterThanOrEqualTo(1_999);
        assertThat(outcomes.keySet()).as("outcomes %s", outcomes).isSubsetOf("401", "no answer");
    }

    @Test
    void bogusKeysReadTheKeyTableAtMostOncePerMissInterval() {
        double before = loads();
        long start = System.nanoTime();
        for (int i = 0; i < 300; i++) {
            key("bogus-" + UUID.randomUUID()).get("/api/v1/monitors?limit=1").then().statusCode(401);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        // the miss reload interval is 1 s: one read per second at most, plus the TTL's
        assertThat(loads() - before).isLessThanOrEqualTo(Math.ceil(seconds) + 2);
    }

    @Test
    void aKeyDeletedThroughAnotherInstanceStopsWithinTheTtl() throws Exception {
        Admin.NewKey doomed = Admin.newKey("full");
        key(doomed.secret()).get("/api/v1/monitors?limit=1").then().statusCode(200);
        try (Connection connection = database.getConnection();
             PreparedStatement delete = connection.prepareStatement("DELETE FROM api_key WHERE id = ?")) {
            delete.setObject(1, UUID.fromString(doomed.id()));
            assertThat(delete.executeUpdate()).isEqualTo(1);
        }
        long deleted = System.nanoTime();
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() ->
                key(doomed.secret()).get("/api/v1/monitors?limit=1").statusCode() == 401);
        // the test profile's TTL is 2 s
        assertThat(Duration.ofNanos(System.nanoTime() - deleted)).isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void aKeyCreatedThroughAnotherInstanceWorksAtOnce() throws Exception {
        String secret = "made-elsewhere-" + UUID.randomUUID();
        try (Connection connection = database.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO api_key (id, name, access, key_hash, created_at) VALUES (?, 'elsewhere', 'read-only', ?, ?)")) {
            insert.setObject(1, UUID.randomUUID());
            insert.setString(2, TokenHash.of(secret));
            insert.setTimestamp(3, Timestamp.from(Instant.now()));
            insert.executeUpdate();
        }
        // a miss reloads the copy when it is older than the miss interval (1 s); the bound allows for a loaded machine
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() ->
                key(secret).get("/api/v1/monitors?limit=1").statusCode() == 200);
    }

    @Test
    void aKeyDeletedHereStopsAtOnce() {
        Admin.NewKey doomed = Admin.newKey("full");
        key(doomed.secret()).get("/api/v1/monitors?limit=1").then().statusCode(200);
        full().delete("/api/v1/api-keys/" + doomed.id()).then().statusCode(204);
        key(doomed.secret()).get("/api/v1/monitors?limit=1").then().statusCode(401);
    }

    @Test
    void aShortAdminKeyStopsTheStartWithAReason() {
        assertThatThrownBy(() -> ApiKeys.checkAdminKey(Optional.of("short-key-123")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("VIGIL_ADMIN_KEY is 13 characters long; it must be at least 24");
        assertThatThrownBy(() -> ApiKeys.checkAdminKey(Optional.of("x".repeat(23)))).isInstanceOf(IllegalStateException.class);
        ApiKeys.checkAdminKey(Optional.of("x".repeat(24)));
        ApiKeys.checkAdminKey(Optional.empty());
        ApiKeys.checkAdminKey(Optional.of(""));
    }

    private static double loads() {
        String metrics = io.restassured.RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(line -> line.startsWith("vigil_api_key_loads_total"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }
}
