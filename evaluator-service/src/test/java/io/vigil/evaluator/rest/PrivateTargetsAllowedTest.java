package io.vigil.evaluator.rest;

import static io.vigil.evaluator.rest.Admin.full;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With {@code VIGIL_ALLOW_PRIVATE_TARGETS=true}, channel targets on loopback and private addresses are accepted. */
@QuarkusTest
@TestProfile(PrivateTargetsAllowedTest.AllowPrivateTargets.class)
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = NotifierStandIn.class, restrictToAnnotatedClass = false)
class PrivateTargetsAllowedTest {

    /** The profile: private targets allowed. */
    public static class AllowPrivateTargets implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("vigil.evaluator.api.allow-private-targets", "true");
        }
    }

    @Test
    void privateTargetsAreAcceptedWhenAllowed() {
        full().contentType(ContentType.JSON)
                .body(Map.of("name", "local", "type", "webhook", "config", Map.of("url", "http://127.0.0.1:9000/hook")))
                .post("/api/v1/channels").then().statusCode(201).body("config.url", equalTo("http://127.0.0.1:9000/****"));
        full().contentType(ContentType.JSON)
                .body(Map.of("name", "lan", "type", "slack", "config", Map.of("webhookUrl", "http://10.1.2.3/services/x")))
                .post("/api/v1/channels").then().statusCode(201);
        // the URL must still be http(s) with a host
        full().contentType(ContentType.JSON)
                .body(Map.of("name", "bad", "type", "teams", "config", Map.of("webhookUrl", "file:///etc/passwd")))
                .post("/api/v1/channels").then().statusCode(400);
    }
}
