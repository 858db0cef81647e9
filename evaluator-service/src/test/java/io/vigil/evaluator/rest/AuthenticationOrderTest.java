package io.vigil.evaluator.rest;

import static io.restassured.RestAssured.given;
import static io.vigil.evaluator.rest.Admin.full;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The key is checked before anything else under {@code /api/v1}: without a valid key every request is a
 * 401 problem, whether or not it names an endpoint, a method or a media type the API has; with one, those
 * mistakes are 404, 405, 406 and 415 problems. Badges and {@code /q/*} need no key.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = NotifierStandIn.class, restrictToAnnotatedClass = false)
class AuthenticationOrderTest {

    /** A request that is wrong in some way other than its key, and the status it gets with a full key. */
    record Mistake(String name, int status, String method, String path, String accept, String contentType) {

        Response send(RequestSpecification request) {
            if (accept != null) {
                request.accept(accept);
            }
            if (contentType != null) {
                request.contentType(contentType).body("name=x");
            }
            return request.request(method, path);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Mistake> mistakes() {
        String monitor = "/api/v1/monitors/" + UUID.randomUUID();
        return Stream.of(
                new Mistake("unknown path", 404, "GET", "/api/v1/nothing-here", null, null),
                new Mistake("unknown nested path", 404, "GET", monitor + "/nothing-here", null, null),
                new Mistake("the bare base", 404, "GET", "/api/v1", null, null),
                new Mistake("the base with a slash", 404, "GET", "/api/v1/", null, null),
                new Mistake("wrong method on a list", 405, "PUT", "/api/v1/monitors", null, null),
                new Mistake("wrong method on an item", 405, "POST", monitor, null, null),
                new Mistake("wrong method on the export", 405, "DELETE", "/api/v1/metrics", null, null),
                new Mistake("unacceptable Accept", 406, "GET", "/api/v1/monitors", "image/png", null),
                new Mistake("unacceptable Accept on the export", 406, "GET", "/api/v1/metrics", "application/xml", null),
                new Mistake("unsupported Content-Type", 415, "POST", "/api/v1/channels", null, "text/plain"));
    }

    static Stream<Arguments> mistakesWithoutAValidKey() {
        return mistakes().flatMap(mistake -> Stream.<Supplier<RequestSpecification>>of(
                        RestAssured::given,
                        () -> given().header("Authorization", "Bearer wrong-" + Admin.suffix()),
                        () -> given().header("X-Api-Key", "wrong-" + Admin.suffix()),
                        () -> given().header("Authorization", "Basic " + Admin.ADMIN_KEY))
                .map(caller -> Arguments.of(mistake, caller)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakesWithoutAValidKey")
    void withoutAValidKeyEveryMistakeIs401First(Mistake mistake, Supplier<RequestSpecification> caller) {
        Response answer = mistake.send(caller.get());
        assertThat(answer.statusCode()).as(mistake.name() + ": " + answer.asString()).isEqualTo(401);
        assertThat(answer.contentType()).startsWith(Problem.MEDIA_TYPE);
        assertThat(answer.header("WWW-Authenticate")).startsWith("Bearer");
        if (!"HEAD".equals(mistake.method())) {
            assertThat(answer.jsonPath().getInt("status")).isEqualTo(401);
            assertThat(answer.jsonPath().getString("type")).isEqualTo("urn:vigil:problem:unauthorized");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void withAFullKeyMistakesAreTheirOwnProblems(Mistake mistake) {
        Response answer = mistake.send(full());
        assertThat(answer.statusCode()).as(mistake.name() + ": " + answer.asString()).isEqualTo(mistake.status());
        assertThat(answer.contentType()).startsWith(Problem.MEDIA_TYPE);
        assertThat(answer.jsonPath().getInt("status")).isEqualTo(mistake.status());
        assertThat(answer.asString()).doesNotContain("java.", "Exception", "at io.", "resteasy");
    }

    @Test
    void aReadOnlyKeyIsRefusedAnyWriteBeforeTheRequestIsJudged() {
        String readOnly = Admin.newKey("read-only").secret();
        for (String path : new String[] {"/api/v1/nothing-here", "/api/v1/monitors/" + UUID.randomUUID(), "/api/v1/metrics"}) {
            Response answer = Admin.key(readOnly).contentType("text/plain").body("x").post(path);
            assertThat(answer.statusCode()).as(path).isEqualTo(403);
            assertThat(answer.contentType()).startsWith(Problem.MEDIA_TYPE);
        }
        Admin.key(readOnly).get("/api/v1/nothing-here").then().statusCode(404).contentType(Problem.MEDIA_TYPE);
    }

    /** Request targets that reach a list of monitors by a detour; none of them may get past the key check. */
    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/monitors", "/api/v1/monitors/", "/api/v1/monitors;x=1", "/api/v1;x=1/monitors",
            "//api/v1/monitors", "/api/v1//monitors", "/api/v1/./monitors", "/api/v1/x/../monitors", "/q/../api/v1/monitors",
            "/badge/../api/v1/monitors", "/badge/k/../../api/v1/monitors", "/api/v1/%6donitors", "/%61pi/v1/monitors",
            "/api%2fv1%2fmonitors", "/badge/..%2F..%2Fapi/v1/monitors", "/badge/x/tag/..%2F..%2F..%2Fapi%2Fv1%2Fmonitors",
            "/api/v1/monitors?x=/badge/", "/API/v1/monitors", "/api/v1/monitors%3Bx=1", "/badge/%2e%2e/api/v1/monitors",
            "/badge/.%2E/api/v1/monitors", "/q/%2e%2e/api/v1/monitors", "/badge/k/%2e%2e/%2e%2e/api/v1/monitors",
            // an escape that Vert.x's normalisation turns into a broken one (found by HostileInputIT): re-parsing it threw
            "/api/v1/channels/%08%5E%CC%81%F0%9F%93%9At%3A/.;/", "/badge/%08%5E%CC%81/.;/",
            // the Healthchecks API checks keys itself: no detour through /hc/ may reach the admin API unchecked
            "/hc/../api/v1/monitors", "/hc/%2e%2e/api/v1/monitors", "/hc/api/v1/../../../api/v1/monitors",
            "/hc/api/v1/checks/%2e%2e/%2e%2e/%2e%2e/%2e%2e/api/v1/monitors", "/hc/api/v1/checks/..%2F..%2F..%2F..%2Fapi%2Fv1%2Fmonitors",
            "/hc/api/v1/checks/", "/hc/api/v3/checks/?api_key=x", "/hc/api/v1/checks/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void noDetourReachesTheApiWithoutAKey(String target) throws IOException {
        String answer = rawGet(target);
        String status = answer.substring(answer.indexOf(' ') + 1, answer.indexOf(' ') + 4);
        assertThat(status).as(target + "\n" + answer).isIn("401", "400", "404");
        assertThat(answer).as(target).doesNotContain("\"items\"").doesNotContain("\"checks\"").doesNotContain("\"name\"");
        if (status.equals("401") && !target.startsWith("/hc/api/")) {
            assertThat(answer).containsIgnoringCase("content-type: " + Problem.MEDIA_TYPE);
        }
    }

    @Test
    void badgesAndOperationsNeedNoKey() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
        given().accept("application/json").get("/q/openapi").then().statusCode(200);
        given().get("/badge/" + UUID.randomUUID() + "/nothing.svg").then().statusCode(404).contentType(Problem.MEDIA_TYPE);
        String badge = java.net.URI.create(Admin.createMonitor(java.util.Map.of()).getString("badgeUrl")).getPath();
        given().get(badge).then().statusCode(200);
    }

    /** Sends the request target byte for byte (clients normalise paths; an attacker's does not). */
    private static String rawGet(String target) throws IOException {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
