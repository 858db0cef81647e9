package io.vigil.evaluator.rest;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Test helpers for the admin API: authenticated requests and fixtures with random names. */
final class Admin {

    /** The full key the test profile ensures at start ({@code %test.vigil.evaluator.api.admin-key}). */
    static final String ADMIN_KEY = "test-admin-key-0123456789abcdef";

    private Admin() {
    }

    static RequestSpecification full() {
        return given().header("Authorization", "Bearer " + ADMIN_KEY);
    }

    static RequestSpecification key(String key) {
        return given().header("Authorization", "Bearer " + key);
    }

    static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /** A key made for a test: its id and secret. */
    record NewKey(String id, String secret) {
    }

    static NewKey newKey(String access) {
        JsonPath created = full().contentType(ContentType.JSON).body(Map.of("name", "k-" + suffix(), "access", access))
                .post("/api/v1/api-keys").then().statusCode(201).extract().jsonPath();
        return new NewKey(created.getString("id"), created.getString("key"));
    }

    /** A monitor body with an interval schedule; entries of {@code overrides} replace or add fields. */
    static Map<String, Object> monitorBody(Map<String, Object> overrides) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", "job-" + suffix());
        body.put("schedule", Map.of("type", "interval", "every", "PT5M"));
        body.putAll(overrides);
        return body;
    }

    static JsonPath createMonitor(Map<String, Object> overrides) {
        return full().contentType(ContentType.JSON).body(monitorBody(overrides)).post("/api/v1/monitors")
                .then().statusCode(201).extract().jsonPath();
    }

    static String createSlackChannel() {
        return full().contentType(ContentType.JSON)
                .body(Map.of("name", "slack-" + suffix(), "type", "slack",
                        "config", Map.of("webhookUrl", "https://203.0.113.7/services/T0/B0/" + suffix())))
                .post("/api/v1/channels").then().statusCode(201).extract().path("id");
    }

    static String createEmailChannel() {
        return full().contentType(ContentType.JSON)
                .body(Map.of("name", "mail-" + suffix(), "type", "email", "config", Map.of("to", List.of("ops@example.com"))))
                .post("/api/v1/channels").then().statusCode(201).extract().path("id");
    }
}
