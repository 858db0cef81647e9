package io.vigil.evaluator.hc;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.vigil.contracts.Json;
import io.vigil.contracts.PingReceived;
import io.vigil.contracts.PingType;
import io.vigil.contracts.Topics;
import io.vigil.testkit.SharedInfra;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Test helpers for the Healthchecks-compatible API: requests as the go-healthchecksio client sends them. */
final class Hc {

    /** The full key the test profile ensures at start ({@code %test.vigil.evaluator.api.admin-key}). */
    static final String FULL_KEY = "test-admin-key-0123456789abcdef";

    /** Every key of a check as a read-write key sees it, in Healthchecks' order (a simple check, no last_duration). */
    static final List<String> FULL_FIELDS = List.of("name", "slug", "tags", "desc", "grace", "n_pings", "status", "started",
            "last_ping", "next_ping", "manual_resume", "methods", "subject", "subject_fail", "start_kw", "success_kw",
            "failure_kw", "filter_subject", "filter_body", "filter_http_body", "filter_default_fail", "badge_url", "uuid",
            "ping_url", "update_url", "pause_url", "resume_url", "channels", "timeout");

    private Hc() {
    }

    /** A request of the go client: JSON content type and the X-Api-Key header. */
    static RequestSpecification client(String key) {
        return given().contentType(ContentType.JSON).header("X-Api-Key", key);
    }

    static RequestSpecification full() {
        return client(FULL_KEY);
    }

    static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /** A new key of {@code access} ("full" or "read-only"), made through the admin API; its secret. */
    static String newKey(String access) {
        return given().header("Authorization", "Bearer " + FULL_KEY).contentType(ContentType.JSON)
                .body(Map.of("name", "hc-" + suffix(), "access", access))
                .post("/api/v1/api-keys").then().statusCode(201).extract().path("key");
    }

    /** A channel made through the admin API; its id. */
    static String newSlackChannel(String name) {
        return given().header("Authorization", "Bearer " + FULL_KEY).contentType(ContentType.JSON)
                .body(Map.of("name", name, "type", "slack",
                        "config", Map.of("webhookUrl", "https://203.0.113.7/services/T0/B0/" + suffix())))
                .post("/api/v1/channels").then().statusCode(201).extract().path("id");
    }

    /** Creates a check through v{@code version}; its JSON. */
    static JsonPath create(int version, Map<String, Object> body) {
        return full().body(body).post("/hc/api/v" + version + "/checks/").then().statusCode(201).extract().jsonPath();
    }

    /** The check with this id among every check the list answers, as the Terraform provider reads it; null if none. */
    static Map<String, Object> findInList(int version, String key, String id) {
        List<Map<String, Object>> checks = client(key).get("/hc/api/v" + version + "/checks/").then().statusCode(200)
                .extract().jsonPath().getList("checks");
        return checks.stream().filter(c -> c.get("update_url") != null && ((String) c.get("update_url")).endsWith("/" + id))
                .findFirst().orElse(null);
    }

    /** A ping as ingest records it. */
    static PingReceived ping(String monitorId, PingType type, Instant at, String method, UUID rid, byte[] body) {
        return new PingReceived(PingReceived.SCHEMA, UUID.randomUUID(), UUID.fromString(monitorId), type, null, rid, at, method,
                "https", "203.0.113.5", "curl/8", body == null ? null : "text/plain", body, body == null ? 0 : body.length);
    }

    /** Sends pings to vigil.pings.v1, keyed by their monitor, as ingest does. */
    static void publish(PingReceived... pings) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.kafka().bootstrapServers());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            for (PingReceived ping : pings) {
                producer.send(new ProducerRecord<>(Topics.PINGS, ping.monitorId().toString(), Json.write(ping))).get();
            }
        }
    }
}
