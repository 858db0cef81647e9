package io.vigil.ingest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vigil.contracts.IngestWatermark;
import io.vigil.contracts.Json;
import io.vigil.contracts.PingReceived;
import io.vigil.contracts.PingType;
import io.vigil.contracts.PingsRecord;
import io.vigil.contracts.TokenHash;
import io.vigil.contracts.Topics;
import io.vigil.testkit.KafkaResource;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
class PingApiTest {

    private static final int LIMIT = 102400;
    private static final int CAP = 1048576;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    TokenRegistry registry;

    @TestHTTPResource("/")
    URI base;

    private Broker broker;

    @BeforeEach
    void connect() {
        broker = new Broker(bootstrap);
    }

    private Broker.Monitor pingable() {
        Broker.Monitor monitor = broker.register();
        awaitPingable(monitor);
        return monitor;
    }

    private void awaitPingable(Broker.Monitor monitor) {
        await().atMost(Duration.ofSeconds(10)).until(() -> registry.byTokenHash(TokenHash.of(monitor.token())) != null);
    }

    private List<PingReceived> awaitPings(UUID monitorId, int count) {
        List<PingReceived>[] found = new List[1];
        await().atMost(Duration.ofSeconds(10)).until(() -> (found[0] = broker.pings(monitorId)).size() >= count);
        assertThat(found[0]).hasSize(count);
        return found[0];
    }

    private static void assertCommonHeaders(Response response) {
        assertThat(response.header("Cache-Control")).isEqualTo("no-cache");
        assertThat(response.header("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(response.header("Ping-Body-Limit")).isEqualTo(Integer.toString(LIMIT));
    }

    @Test
    void acceptsEverySignalOnGetPostAndHeadWithAndWithoutTrailingSlash() {
        Broker.Monitor monitor = pingable();
        Map<String, String[]> expected = new HashMap<>();
        String[][] signals = {{"", "success", null}, {"/start", "start", null}, {"/fail", "fail", null}, {"/log", "log", null},
                {"/0", "success", "0"}, {"/1", "fail", "1"}, {"/255", "fail", "255"}};
        for (String[] signal : signals) {
            for (String method : List.of("GET", "POST", "HEAD")) {
                for (String slash : List.of("", "/")) {
                    String rid = UUID.randomUUID().toString();
                    Response response = given().queryParam("rid", rid).request(method, "/ping/" + monitor.token() + signal[0] + slash);
                    assertThat(response.statusCode()).as(method + " " + signal[0] + slash).isEqualTo(200);
                    assertCommonHeaders(response);
                    if (!method.equals("HEAD")) {
                        assertThat(response.asString()).isEqualTo("OK");
                    }
                    expected.put(rid, new String[] {signal[1], signal[2], method});
                }
            }
        }
        List<PingReceived> pings = awaitPings(monitor.id(), expected.size());
        for (PingReceived ping : pings) {
            String[] want = expected.get(ping.rid().toString());
            assertThat(want).as("ping with rid %s", ping.rid()).isNotNull();
            assertThat(ping.type().json()).isEqualTo(want[0]);
            assertThat(ping.exitStatus() == null ? null : ping.exitStatus().toString()).isEqualTo(want[1]);
            assertThat(ping.method()).isEqualTo(want[2]);
            assertThat(ping.monitorId()).isEqualTo(monitor.id());
            assertThat(ping.version()).isEqualTo(PingReceived.SCHEMA);
        }
        assertThat(pings.stream().map(PingReceived::eventId).collect(Collectors.toSet())).hasSize(pings.size());
    }

    @Test
    void refusesExitStatusOver255AndUnknownSignalsWith400() {
        Broker.Monitor monitor = pingable();
        for (String path : List.of("/256", "/1000", "/restart", "/-1")) {
            Response response = given().get("/ping/" + monitor.token() + path);
            assertThat(response.statusCode()).as(path).isEqualTo(400);
            assertCommonHeaders(response);
            assertThat(response.asString()).doesNotContain("\n").isNotBlank();
        }
        assertThat(given().get("/ping/" + monitor.token() + "/256").asString()).contains("0-255");
        assertThat(given().get("/ping/" + monitor.token() + "/1/extra").statusCode()).isEqualTo(400);
        assertThat(broker.pings(monitor.id())).isEmpty();
    }

    @Test
    void carriesRidInAnyCaseAndRefusesAnInvalidOne() {
        Broker.Monitor monitor = pingable();
        UUID rid = UUID.randomUUID();
        given().queryParam("rid", rid.toString().toUpperCase()).get("/ping/" + monitor.token() + "/start").then().statusCode(200);
        for (String bad : List.of("nope", "", "1-1-1-1-1", rid + "0")) {
            Response response = given().queryParam("rid", bad).get("/ping/" + monitor.token());
            assertThat(response.statusCode()).as(bad).isEqualTo(400);
            assertThat(response.asString()).contains("rid");
            assertCommonHeaders(response);
        }
        List<PingReceived> pings = awaitPings(monitor.id(), 1);
        assertThat(pings.get(0).rid()).isEqualTo(rid);
        assertThat(pings.get(0).type()).isEqualTo(PingType.START);
    }

    @Test
    void answers404ForAnUnknownTokenWithTheCommonHeaders() {
        for (String path : List.of("/ping/" + Broker.randomToken(), "/ping/" + Broker.randomToken() + "/fail/",
                "/" + UUID.randomUUID(), "/" + UUID.randomUUID() + "/start")) {
            Response response = given().body("ignored").post(path);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.asString()).isEqualTo("not found");
            assertCommonHeaders(response);
        }
    }

    @Test
    void refusesOtherMethodsWith405AndAnswersCorsPreflight() {
        Broker.Monitor monitor = pingable();
        Response put = given().body("a body to drain").put("/ping/" + monitor.token());
        assertThat(put.statusCode()).isEqualTo(405);
        assertCommonHeaders(put);
        Response options = given().header("Origin", "https://example.com")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type")
                .options("/ping/" + monitor.token());
        assertThat(options.statusCode()).isEqualTo(204);
        assertCommonHeaders(options);
        assertThat(options.header("Access-Control-Allow-Methods")).contains("POST");
        assertThat(options.header("Access-Control-Allow-Headers")).isEqualTo("content-type");
        assertThat(broker.pings(monitor.id())).isEmpty();
    }

    @Test
    void keepsThePostBodyByteExact() {
        Broker.Monitor monitor = pingable();
        byte[] body = new byte[4096];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 31 + 7); // every byte value, most of it not UTF-8
        }
        given().contentType("application/octet-stream").body(body).post("/ping/" + monitor.token() + "/fail").then().statusCode(200);
        PingReceived ping = awaitPings(monitor.id(), 1).get(0);
        assertThat(ping.body()).isEqualTo(body);
        assertThat(ping.bodySize()).isEqualTo(body.length);
        assertThat(ping.contentType()).startsWith("application/octet-stream");
    }

    @Test
    void aPostThatAsksToUpgradeToHttp2IsServedWithItsBody() throws Exception {
        Broker.Monitor monitor = pingable();
        byte[] body = "backup done: 42 files".getBytes(StandardCharsets.UTF_8);
        // the JDK HttpClient's default: Upgrade: h2c on a cleartext connection
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(base.resolve("/ping/" + monitor.token()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(awaitPings(monitor.id(), 1).get(0).body()).isEqualTo(body);
    }

    @Test
    void keepsTheFirstBodyLimitBytesOfALargerBodyAndItsWholeSize() throws Exception {
        Broker.Monitor monitor = pingable();
        byte[] body = new byte[LIMIT + 50_000];
        new java.util.Random(7).nextBytes(body);
        // Chunked (no Content-Length): the body is streamed either way.
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(base.resolve("/ping/" + monitor.token()))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        PingReceived ping = awaitPings(monitor.id(), 1).get(0);
        assertThat(ping.body()).isEqualTo(java.util.Arrays.copyOf(body, LIMIT));
        assertThat(ping.bodySize()).isEqualTo(body.length);
    }

    @Test
    void refusesABodyOverTheCapWith413() throws Exception {
        Broker.Monitor monitor = pingable();
        // Declared over the cap: answered at once, before any body byte is sent.
        String declared = rawExchange("POST /ping/" + monitor.token() + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + (CAP + 1)
                + "\r\nExpect: 100-continue\r\n\r\n", null);
        assertThat(declared).startsWith("HTTP/1.1 413").contains("Ping-Body-Limit: " + LIMIT).contains("Cache-Control: no-cache")
                .contains("Access-Control-Allow-Origin: *");
        // Streamed (chunked) over the cap: answered 413 once the cap is passed, or the connection is cut.
        String streamed = rawExchange("POST /ping/" + monitor.token() + "/fail HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n",
                CAP + 64 * 1024);
        assertThat(streamed).satisfiesAnyOf(r -> assertThat(r).startsWith("HTTP/1.1 413"), r -> assertThat(r).isEqualTo("reset"));
        // A body exactly at the cap is accepted.
        given().body(new byte[CAP]).post("/ping/" + monitor.token()).then().statusCode(200);
        PingReceived ping = awaitPings(monitor.id(), 1).get(0);
        assertThat(ping.type()).isEqualTo(PingType.SUCCESS);
        assertThat(ping.bodySize()).isEqualTo(CAP);
        assertThat(ping.body()).hasSize(LIMIT);
    }

    /** Sends a request head and, if given, that many body bytes in 16 KiB chunks; returns the answer's head or "reset". */
    private String rawExchange(String head, Integer chunkedBytes) throws Exception {
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            java.io.OutputStream out = socket.getOutputStream();
            try {
                out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                if (chunkedBytes != null) {
                    byte[] chunk = new byte[16 * 1024];
                    for (int sent = 0; sent < chunkedBytes; sent += chunk.length) {
                        out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                        out.write(chunk);
                        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                }
                out.flush();
            } catch (java.io.IOException e) {
                // the server may close while we still send: read what it answered
            }
            try {
                byte[] answer = socket.getInputStream().readNBytes(400);
                return answer.length == 0 ? "reset" : new String(answer, StandardCharsets.ISO_8859_1);
            } catch (java.net.SocketException e) {
                return "reset";
            }
        }
    }

    @Inject
    io.vigil.ingest.config.IngestConfig config;

    @Test
    void trustsOnlyLoopbackProxiesByDefault() {
        TrustedProxies proxies = TrustedProxies.of(config.trustedProxies());
        assertThat(List.of("127.0.0.1", "127.8.9.10", "::1", "0:0:0:0:0:0:0:1")).allMatch(proxies::trusts);
        assertThat(List.of("10.0.0.1", "172.16.0.1", "172.31.255.254", "192.168.1.1", "fd00::1", "fc00::5", "169.254.1.1",
                "100.64.0.1", "203.0.113.7")).noneMatch(proxies::trusts);
        // so a private peer's forwarded headers are not believed
        assertThat(ClientOrigin.of("10.1.2.3", "http", "198.51.100.4", "https", proxies))
                .isEqualTo(new ClientOrigin("10.1.2.3", "http"));
    }

    @Test
    void recordsClientDetailsFromATrustedProxy() {
        Broker.Monitor monitor = pingable();
        String ua = "agent-" + "x".repeat(300);
        Instant before = Instant.now();
        given().header("X-Forwarded-For", "203.0.113.7:4711, 10.0.0.1").header("X-Forwarded-Proto", "https")
                .header("User-Agent", ua).contentType("text/plain").body("hello")
                .post("/ping/" + monitor.token()).then().statusCode(200);
        given().header("X-Forwarded-For", "2001:db8::1").get("/ping/" + monitor.token() + "/log").then().statusCode(200);
        given().get("/ping/" + monitor.token() + "/start").then().statusCode(200);
        Instant after = Instant.now();
        Map<PingType, PingReceived> pings = awaitPings(monitor.id(), 3).stream()
                .collect(Collectors.toMap(PingReceived::type, p -> p));
        PingReceived proxied = pings.get(PingType.SUCCESS);
        assertThat(proxied.remoteAddr()).isEqualTo("203.0.113.7");
        assertThat(proxied.scheme()).isEqualTo("https");
        assertThat(proxied.userAgent()).hasSize(200).isEqualTo(ua.substring(0, 200));
        assertThat(proxied.contentType()).startsWith("text/plain");
        assertThat(proxied.method()).isEqualTo("POST");
        assertThat(proxied.body()).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
        assertThat(proxied.receivedAt()).isBetween(before, after);
        assertThat(pings.get(PingType.LOG).remoteAddr()).isEqualTo("2001:db8::1");
        assertThat(pings.get(PingType.LOG).scheme()).isEqualTo("http");
        assertThat(pings.get(PingType.START).remoteAddr()).isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
    }

    @Test
    void answersKenerHeartbeatsBySlugAndToken() {
        Broker.Monitor monitor = pingable();
        for (String path : List.of("/api/heartbeat/" + monitor.slug() + ":" + monitor.token(),
                "/ext/heartbeat/" + monitor.slug() + ":" + monitor.token(),
                "/ext/heartbeat/" + monitor.slug() + "/" + monitor.token())) {
            Response response = given().post(path);
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            assertThat(response.asString()).isEqualTo("{\"status\":\"OK\"}");
            assertCommonHeaders(response);
        }
        Broker.Monitor other = pingable();
        for (String path : List.of("/api/heartbeat/" + monitor.slug() + ":" + other.token(),
                "/ext/heartbeat/nosuchslug/" + monitor.token(),
                "/ext/heartbeat/" + other.slug() + ":" + monitor.token())) {
            Response response = given().get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertCommonHeaders(response);
        }
        assertThat(awaitPings(monitor.id(), 3)).extracting(PingReceived::type).containsOnly(PingType.SUCCESS);
        assertThat(broker.pings(other.id())).isEmpty();
    }

    @Test
    void answersUptimeKumaPushesOnAnyMethod() {
        Broker.Monitor monitor = pingable();
        given().get("/api/push/" + monitor.token()).then().statusCode(200).body(equalTo("{\"ok\":true}"));
        given().queryParam("status", "down").queryParam("msg", "disk full é").queryParam("ping", "12")
                .put("/api/push/" + monitor.token()).then().statusCode(200).body(equalTo("{\"ok\":true}"));
        given().queryParam("status", "up").queryParam("msg", "fine").delete("/api/push/" + monitor.token()).then().statusCode(200);
        Response missing = given().get("/api/push/" + Broker.randomToken());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.asString()).startsWith("{\"ok\":false,\"msg\":");
        assertCommonHeaders(missing);
        List<PingReceived> pings = awaitPings(monitor.id(), 3);
        assertThat(pings).extracting(PingReceived::type).containsExactlyInAnyOrder(PingType.SUCCESS, PingType.FAIL, PingType.SUCCESS);
        PingReceived down = pings.stream().filter(p -> p.type() == PingType.FAIL).findFirst().orElseThrow();
        assertThat(new String(down.body(), StandardCharsets.UTF_8)).isEqualTo("disk full é");
        assertThat(down.method()).isEqualTo("PUT");
    }

    @Test
    void answersHealthchecksHostedUrlsWhenTheFirstSegmentIsAUuid() {
        String checkUuid = UUID.randomUUID().toString();
        Broker.Monitor monitor = broker.register(checkUuid);
        awaitPingable(monitor);
        given().get("/" + checkUuid).then().statusCode(200).body(equalTo("OK"));
        given().post("/" + checkUuid + "/fail/").then().statusCode(200);
        given().head("/" + checkUuid + "/3").then().statusCode(200);
        given().get("/" + checkUuid + "/300").then().statusCode(400);
        assertThat(awaitPings(monitor.id(), 3)).extracting(PingReceived::type)
                .containsExactlyInAnyOrder(PingType.SUCCESS, PingType.FAIL, PingType.FAIL);
    }

    @Test
    void deletedMonitorAndRotatedTokenStopWorkingWithinOneSecond() {
        Broker.Monitor deleted = pingable();
        Broker.Monitor rotated = pingable();
        given().get("/ping/" + deleted.token()).then().statusCode(200);
        broker.delete(deleted);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> given().get("/ping/" + deleted.token() + "/log").statusCode() == 404);

        Broker.Monitor renewed = broker.rotate(rotated);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> given().get("/ping/" + renewed.token() + "/log").statusCode() == 200);
        given().get("/ping/" + rotated.token()).then().statusCode(404);
    }

    @Test
    void createdMonitorIsPingableWithinOneSecond() {
        Broker.Monitor monitor = broker.register();
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> given().get("/ping/" + monitor.token() + "/log").statusCode() == 200);
    }

    @Test
    void writesWatermarksToEveryPartition() {
        Instant start = Instant.now();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Map<Integer, IngestWatermark> latest = new HashMap<>();
            broker.records(r -> "watermark".equals(r.key())).forEach(r -> {
                if (Json.read(r.value(), PingsRecord.class) instanceof IngestWatermark w && w.watermark().isAfter(start)) {
                    latest.put(r.partition(), w);
                }
            });
            assertThat(latest.keySet()).hasSize(8);
            for (IngestWatermark w : latest.values()) {
                assertThat(w.leaseExpiresAt()).isAfter(w.watermark());
                assertThat(w.ingestId()).isNotBlank();
            }
            assertThat(latest.values().stream().map(IngestWatermark::ingestId).collect(Collectors.toSet())).hasSize(1);
        });
    }

    @Test
    void isReadyAndCountsPingsByOutcome() {
        given().get("/q/health/ready").then().statusCode(200).body(containsString("UP"));
        given().get("/ping/" + Broker.randomToken()).then().statusCode(404);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("vigil_pings_total{outcome=\"not_found\"}"));
    }
}
