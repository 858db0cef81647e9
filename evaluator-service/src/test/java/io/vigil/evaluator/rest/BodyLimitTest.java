package io.vigil.evaluator.rest;

import static io.vigil.evaluator.rest.Admin.full;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.config.HttpClientConfig;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One body limit on the admin API (256 KiB): every larger body, announced by Content-Length or sent in
 * chunks, is a 413 problem; a smaller one is read and judged on its content.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = NotifierStandIn.class, restrictToAnnotatedClass = false)
class BodyLimitTest {

    private static final int KIB = 1024;

    @ParameterizedTest
    @ValueSource(ints = {256 * KIB + 1, 300 * KIB, 1024 * KIB + 1, 3 * 1024 * KIB})
    void bodiesOverTheLimitWithALengthAre413Problems(int size) {
        Response answer = json().body(monitorOfSize(size)).post("/api/v1/monitors");
        assertTooLarge(answer);
    }

    @ParameterizedTest
    @ValueSource(ints = {256 * KIB + 1, 300 * KIB, 1024 * KIB + 1, 3 * 1024 * KIB})
    void chunkedBodiesOverTheLimitAre413Problems(int size) {
        Response answer = json().body(chunked(size)).post("/api/v1/channels");
        assertTooLarge(answer);
    }

    @ParameterizedTest
    @ValueSource(ints = {256 * KIB + 1, 2 * 1024 * KIB})
    void theLimitHoldsOnEveryMethodAndPath(int size) {
        assertTooLarge(json().body(chunked(size)).put("/api/v1/monitors/" + UUID.randomUUID()));
        assertTooLarge(json().contentType("application/merge-patch+json").body(monitorOfSize(size))
                .patch("/api/v1/channels/" + UUID.randomUUID()));
        assertTooLarge(json().body(chunked(size)).post("/api/v1/api-keys"));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void bodiesUpToTheLimitAreReadAndJudged(boolean chunked) {
        int size = 256 * KIB;
        Response answer = (chunked ? json().body(chunked(size)) : json().body(monitorOfSize(size)))
                .post("/api/v1/monitors");
        assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(400);
        assertThat(answer.contentType()).startsWith(Problem.MEDIA_TYPE);
        assertThat(answer.jsonPath().getList("errors.field")).contains("name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "HEAD", "OPTIONS", "POST", "PATCH"})
    void aFormIsA415NotA500(String method) throws Exception {
        // found by HostileInputFuzzTest: the body reader decoded forms, and threw for a read method or a long field
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        boolean read = List.of("GET", "HEAD", "OPTIONS").contains(method);
        for (String type : new String[] {"multipart/form-data; boundary=x", "application/x-www-form-urlencoded"}) {
            java.net.http.HttpResponse<String> answer = http.send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/api/v1/monitors"))
                    .header("Authorization", "Bearer " + Admin.ADMIN_KEY).header("Content-Type", type)
                    .method(method, read ? java.net.http.HttpRequest.BodyPublishers.noBody()
                            : java.net.http.HttpRequest.BodyPublishers.ofString("a=" + "x".repeat(20_000))).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as("%s %s", method, type).isEqualTo(415);
            if (!method.equals("HEAD")) {
                assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith(Problem.MEDIA_TYPE));
                assertThat(answer.body()).doesNotContain("Exception").doesNotContain("at io.");
            }
        }
    }

    @Test
    void emptyBodiesAreAnsweredAtOnce() {
        json().body(new byte[0]).post("/api/v1/monitors")
                .then().statusCode(400).contentType(Problem.MEDIA_TYPE);
        json().body(chunked(0)).post("/api/v1/channels")
                .then().statusCode(400).contentType(Problem.MEDIA_TYPE);
        String id = Admin.createMonitor(Map.of()).getString("id");
        json().post("/api/v1/monitors/" + id + "/pause").then().statusCode(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"multipart/form-data; boundary=", "multipart/form-data", "Multipart/Form-Data; boundary=x"})
    void multipartBodiesAre415Problems(String type) {
        // Netty's form decoder threw on the empty boundary: a 500 with a stack trace in the log
        Response answer = full().contentType(type).body("--x\r\n\r\n--x--".getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/monitors");
        assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(415);
        assertThat(answer.contentType()).startsWith(Problem.MEDIA_TYPE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"zz\r\nabc\r\n0\r\n\r\n", "ffffffffffffffff\r\nx\r\n"})
    void aBrokenChunkIsA400NotA500(String chunks) throws Exception {
        String request = "POST /api/v1/monitors HTTP/1.1\r\nHost: vigil\r\nAuthorization: Bearer " + Admin.ADMIN_KEY
                + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks;
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            // the connection cannot be read past the broken chunk: a 400 or a close, never a 500
            assertThat(answer).doesNotStartWith("HTTP/1.1 5");
            if (!answer.isEmpty()) {
                assertThat(answer).startsWith("HTTP/1.1 400").doesNotContain("Exception", "java.");
            }
        }
    }

    private static void assertTooLarge(Response answer) {
        assertThat(answer.statusCode()).as(answer.headers() + "\n" + answer.asString()).isEqualTo(413);
        assertThat(answer.contentType()).startsWith(Problem.MEDIA_TYPE);
        assertThat(answer.jsonPath().getInt("status")).isEqualTo(413);
        assertThat(answer.jsonPath().getString("type")).isEqualTo("urn:vigil:problem:too-large");
        assertThat(answer.jsonPath().getString("detail")).contains("262144");
        assertThat(answer.asString()).doesNotContain("java.", "Exception", "at io.", "vertx");
    }

    /**
     * An authenticated JSON request that gives up after 10 s; a stream body is sent as it is read, chunked
     * (RestAssured would otherwise read a JSON stream into an array and send its length).
     */
    private static RequestSpecification json() {
        return full().contentType(ContentType.JSON).config(RestAssured.config()
                .httpClient(HttpClientConfig.httpClientConfig().setParam("http.socket.timeout", 10_000))
                .encoderConfig(EncoderConfig.encoderConfig().encodeContentTypeAs(ContentType.JSON.toString(), ContentType.BINARY)));
    }

    /** A monitor whose name makes the body exactly {@code size} bytes (too long a name: a 400 when read). */
    private static byte[] monitorOfSize(int size) {
        String prefix = "{\"schedule\":{\"type\":\"interval\",\"every\":\"PT5M\"},\"name\":\"";
        String suffix = "\"}";
        return (prefix + "x".repeat(size - prefix.length() - suffix.length()) + suffix).getBytes(StandardCharsets.UTF_8);
    }

    /** The same body as a stream of unknown length, so the client sends it chunked. */
    private static InputStream chunked(int size) {
        byte[] body = size == 0 ? new byte[0] : monitorOfSize(size);
        return new InputStream() {
            private int next;

            @Override
            public int read() {
                return next < body.length ? body[next++] & 0xff : -1;
            }

            @Override
            public int read(byte[] into, int offset, int length) {
                if (next >= body.length) {
                    return -1;
                }
                int n = Math.min(Math.min(length, 8 * KIB), body.length - next);
                System.arraycopy(body, next, into, offset, n);
                next += n;
                return n;
            }
        };
    }
}
