package io.vigil.evaluator.rest;

import static io.vigil.evaluator.rest.Admin.full;
import static io.vigil.evaluator.rest.Admin.suffix;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Names end up in email subjects, HTTP headers and chat messages: a control character in one (CR, LF, NUL,
 * any other C0 or C1, or a Unicode line separator) is a 400 naming the field, on every way in.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = NotifierStandIn.class, restrictToAnnotatedClass = false)
class ControlCharactersTest {

    private static final String PROBLEM = "application/problem+json";
    private static final List<String> HOSTILE = List.of("x\r\nBcc: a@evil.example", "x\nX-Injected: 1", "x\rY", "nul\u0000",
            "esc\u001b[31m", "tab\there", "del\u007f", "c1\u0085next-line", "c1\u009b", "ls\u2028x", "ps\u2029x", "\r\n");

    @Test
    void aMonitorNameWithAControlCharacterIsRefused() {
        String id = Admin.createMonitor(Map.of()).getString("id");
        for (String name : HOSTILE) {
            full().contentType(ContentType.JSON).body(Admin.monitorBody(Map.of("name", name)))
                    .post("/api/v1/monitors").then().statusCode(400).contentType(PROBLEM)
                    .body("errors.field", equalTo(List.of("name")));
            full().contentType(ContentType.JSON).body(Admin.monitorBody(Map.of("name", name)))
                    .put("/api/v1/monitors/" + id).then().statusCode(400).body("errors.field", equalTo(List.of("name")));
            full().contentType("application/merge-patch+json; charset=UTF-8").body(Map.of("name", name))
                    .patch("/api/v1/monitors/" + id).then().statusCode(400).body("errors.field", equalTo(List.of("name")));
        }
        full().get("/api/v1/monitors/" + id).then().statusCode(200).body("name", org.hamcrest.Matchers.startsWith("job-"));
    }

    @Test
    void aChannelOrKeyNameWithAControlCharacterIsRefused() {
        String id = Admin.createEmailChannel();
        for (String name : HOSTILE) {
            Map<String, Object> body = Map.of("name", name, "type", "email", "config", Map.of("to", List.of("ops@example.com")));
            full().contentType(ContentType.JSON).body(body).post("/api/v1/channels").then().statusCode(400).contentType(PROBLEM)
                    .body("errors.field", equalTo(List.of("name")));
            full().contentType(ContentType.JSON).body(body).put("/api/v1/channels/" + id).then().statusCode(400)
                    .body("errors.field", equalTo(List.of("name")));
            full().contentType("application/merge-patch+json; charset=UTF-8").body(Map.of("name", name))
                    .patch("/api/v1/channels/" + id).then().statusCode(400).body("errors.field", equalTo(List.of("name")));
            full().contentType(ContentType.JSON).body(Map.of("name", name, "access", "read-only"))
                    .post("/api/v1/api-keys").then().statusCode(400).body("errors.field", equalTo(List.of("name")));
        }
    }

    @Test
    void otherFreeTextFieldsRefuseControlCharactersToo() {
        full().contentType(ContentType.JSON).body(Admin.monitorBody(Map.of("tags", List.of("prod", "db\r\nx"))))
                .post("/api/v1/monitors").then().statusCode(400).body("errors.field", equalTo(List.of("tags[1]")));
        full().contentType(ContentType.JSON).body(Admin.monitorBody(Map.of("description", "nul\u0000")))
                .post("/api/v1/monitors").then().statusCode(400).body("errors.field", equalTo(List.of("description")));
        // a description may span lines: it is shown in answers only, never put into a header or a subject
        full().contentType(ContentType.JSON).body(Admin.monitorBody(Map.of("description", "line one\r\nline two\tend")))
                .post("/api/v1/monitors").then().statusCode(201).body("description", equalTo("line one\r\nline two\tend"));
        // names in any script and with emoji stay fine
        full().contentType(ContentType.JSON).body(Admin.monitorBody(Map.of("name", "nattlig säkerhetskopia ☁ " + suffix())))
                .post("/api/v1/monitors").then().statusCode(201);
    }
}
