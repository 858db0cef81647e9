package io.vigil.evaluator.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * At least 10,000 generated hostile requests (random bytes, huge numbers, deep JSON, unicode edge cases, path
 * tricks, header injection, valid bodies with one field made hostile) across every admin endpoint: no answer
 * is a 5xx, none carries a class name or a stack frame, and the service is healthy at the end. Seeded, so a
 * failure can be replayed; whatever a request happens to create is deleted again.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = NotifierStandIn.class, restrictToAnnotatedClass = false)
class HostileInputFuzzTest {

    private static final int REQUESTS = 10_000;
    private static final long SEED = 0x5EC_11L;
    private static final Pattern INTERNALS = Pattern.compile(
            "(?i)\\b(java|javax|jakarta|io|org|com|sun)\\.[a-z0-9_]+\\.[\\w.$]*|\\bat [\\w.$]+\\(|exception|caused by|"
                    + "jackson|hibernate|resteasy|vertx|quarkus|\\.java:");
    private static final List<String> HOSTILE = List.of("", " ", "\u0000", "\r\nX-Injected: 1", "\n", "\t", "\u202e", "\ufeff",
            "\ud800", "\udfff", "\uffff", "\u2028", "😀".repeat(300), "A".repeat(70_000), "../../etc/passwd", "%00", "%2e%2e%2f",
            "${jndi:ldap://x}", "'; DROP TABLE monitor; --", "<script>alert(1)</script>", "null", "true", "-0", "1e999999",
            "99999999999999999999999999999999", "-9223372036854775809", "NaN", "P99999999999999999999D", "PT-1S", "every -5 minutes",
            "0 0 31 2 *", "* * * * * * *", "Etc/GMT+99", "file:///etc/passwd", "http://169.254.169.254/", "http://[::1]/",
            "https://user:pw@203.0.113.7:99999/x", "****", "https://203.0.113.7/****");
    private static final List<String> HOSTILE_JSON = List.of("null", "true", "1e999999", "-1", "99999999999999999999999999",
            "[]", "{}", "[[[[[[[[[[]]]]]]]]]]", "\"\\ud800\"", "\"\\u0000\"", "0.0000000000000000000000000001", "{\"$ref\":\"#\"}");

    @TestHTTPResource("/")
    URI base;

    private final Random random = new Random(SEED);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<Integer, Integer> statuses = new TreeMap<>();

    @Test
    void hostileInputsNeverCauseA5xxOrLeakInternals() throws Exception {
        String monitor = Admin.createMonitor(Map.of("tags", List.of("fuzz"))).getString("id");
        String channel = Admin.createEmailChannel();
        List<String> paths = List.of("/api/v1/monitors", "/api/v1/monitors/" + monitor, "/api/v1/monitors/" + monitor + "/pause",
                "/api/v1/monitors/" + monitor + "/resume", "/api/v1/monitors/" + monitor + "/rotate-badge",
                "/api/v1/monitors/" + monitor + "/pings", "/api/v1/monitors/" + monitor + "/pings/1/body",
                "/api/v1/monitors/" + monitor + "/flips", "/api/v1/monitors/" + monitor + "/notifications",
                "/api/v1/channels", "/api/v1/channels/" + channel, "/api/v1/api-keys", "/api/v1/metrics", "/api/v1/dead-letters",
                "/badge/x.svg", "/badge/tag/x.json");
        for (int i = 0; i < REQUESTS; i++) {
            send(i, paths);
        }
        System.out.printf("HostileInputFuzzTest: %d requests, statuses %s%n", REQUESTS, statuses);
        assertThat(statuses.keySet()).as("statuses %s", statuses).allMatch(status -> status < 500);
        assertThat(statuses.getOrDefault(-1, 0)).as("connections closed without an answer, of %s", statuses).isLessThan(REQUESTS / 20);
        assertThat(statuses.values().stream().mapToInt(Integer::intValue).sum()).isGreaterThanOrEqualTo(REQUESTS);
        assertThat(get("/q/health/ready")).isEqualTo(200);
        assertThat(get("/q/health/live")).isEqualTo(200);
        // the API still serves (the fixtures themselves may have been deleted by a valid DELETE)
        Admin.full().get("/api/v1/monitors?limit=1").then().statusCode(200);
    }

    private void send(int i, List<String> paths) throws Exception {
        String method = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS").get(random.nextInt(7));
        String path = paths.get(random.nextInt(paths.size()));
        int kind = random.nextInt(8);
        if (kind == 0) {
            path = pathTrick(path);
        } else if (kind == 1) {
            path = path + "?" + List.of("limit", "cursor", "since", "tag", "status").get(random.nextInt(5)) + "="
                    + URLEncoder.encode(hostile(), StandardCharsets.UTF_8);
        }
        if (method.equals("DELETE") && path.startsWith("/api/v1/") && !path.contains("?")) {
            path = path.replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "00000000-0000-0000-0000-00000000000" + (i % 10));
        }
        byte[] body = switch (random.nextInt(6)) {
            case 0 -> randomBytes();
            case 1 -> deepJson();
            case 2 -> mutatedMonitor().getBytes(StandardCharsets.UTF_8);
            case 3 -> mutatedChannel().getBytes(StandardCharsets.UTF_8);
            case 4 -> ("{\"name\":" + quoted(hostile()) + ",\"access\":" + quoted(hostile()) + "}").getBytes(StandardCharsets.UTF_8);
            default -> HOSTILE_JSON.get(random.nextInt(HOSTILE_JSON.size())).getBytes(StandardCharsets.UTF_8);
        };
        URI uri;
        try {
            uri = URI.create(base.toString().replaceAll("/$", "") + path);
        } catch (IllegalArgumentException e) {
            uri = URI.create(base.toString().replaceAll("/$", "") + "/api/v1/monitors/%25%00");
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .method(method, method.equals("GET") || method.equals("HEAD") || method.equals("DELETE")
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        String auth = switch (random.nextInt(10)) {
            case 0 -> "Bearer " + hostileHeader();
            case 1 -> "Basic " + hostileHeader();
            case 2 -> null;
            default -> "Bearer " + Admin.ADMIN_KEY;
        };
        if (auth != null) {
            request.header("Authorization", auth);
        }
        String contentType = List.of("application/json", "application/merge-patch+json", "text/plain",
                "application/json; charset=utf-16", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded",
                "application/json; charset=UTF-8").get(random.nextInt(7));
        request.header("Content-Type", contentType);
        if (random.nextInt(5) == 0) {
            request.header("X-Api-Key", hostileHeader());
            request.header("Accept", List.of("*/*", "text/html", "application/xml", "image/png", hostileHeader()).get(random.nextInt(5)));
        }
        HttpResponse<String> answer;
        try {
            answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            // a body refused before it is read (413, 415) closes the connection, which a client still sending may
            // see as a reset: no answer, but no 5xx either; counted as -1, reported and bounded below
            statuses.merge(-1, 1, Integer::sum);
            return;
        }
        statuses.merge(answer.statusCode(), 1, Integer::sum);
        String text = answer.body() == null ? "" : answer.body();
        assertThat(answer.statusCode()).as("%s %s -> %s", method, path, text).isLessThan(500);
        if (answer.statusCode() >= 400) {
            assertThat(INTERNALS.matcher(text).find()).as("%s %s -> %s", method, path, text).isFalse();
        }
        // whatever a valid request created is deleted again, so other tests' lists stay short
        answer.headers().firstValue("Location").filter(location -> answer.statusCode() == 201).ifPresent(location ->
                Admin.full().delete(URI.create(location).getPath()));
    }

    private String hostile() {
        return switch (random.nextInt(4)) {
            case 0 -> randomUnicode(1 + random.nextInt(40));
            case 1 -> Long.toString(random.nextLong()) + "9".repeat(random.nextInt(30));
            default -> HOSTILE.get(random.nextInt(HOSTILE.size()));
        };
    }

    private String hostileHeader() {
        // header values must be visible ASCII for the client; hostility goes into length and content
        StringBuilder value = new StringBuilder();
        int length = random.nextInt(4) == 0 ? 9_000 : 1 + random.nextInt(60);
        for (int i = 0; i < length; i++) {
            value.append((char) (0x21 + random.nextInt(0x5e)));
        }
        return value.toString();
    }

    private String pathTrick(String path) {
        return switch (random.nextInt(8)) {
            case 0 -> path + "/..%2F..%2Fq%2Fhealth";
            case 1 -> path.replace("/api/v1/", "/api/v1/./");
            case 2 -> path + "%00";
            case 3 -> path + ";jsessionid=x";
            case 4 -> path.toUpperCase();
            case 5 -> path + "/" + URLEncoder.encode(randomUnicode(10), StandardCharsets.UTF_8);
            case 6 -> "/badge/" + URLEncoder.encode(hostile(), StandardCharsets.UTF_8) + ".svg";
            default -> path + "/%ff%fe%c0%af";
        };
    }

    private byte[] randomBytes() {
        byte[] bytes = new byte[random.nextInt(4) == 0 ? 300_000 : random.nextInt(2_000)];
        random.nextBytes(bytes);
        return bytes;
    }

    private byte[] deepJson() {
        int depth = List.of(10, 500, 1_001, 5_000, 50_000).get(random.nextInt(5));
        boolean arrays = random.nextBoolean();
        StringBuilder json = new StringBuilder(arrays ? "" : "{\"name\":\"x\",\"schedule\":");
        json.append((arrays ? "[" : "{\"a\":").repeat(depth)).append("1").append((arrays ? "]" : "}").repeat(depth));
        if (!arrays) {
            json.append("}");
        }
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    private String mutatedMonitor() {
        Map<String, String> fields = new TreeMap<>(Map.of("name", quoted("fuzz-" + random.nextInt(1_000_000)),
                "schedule", "{\"type\":\"interval\",\"every\":\"PT5M\"}", "tags", "[\"fuzz\"]", "grace", "\"PT1M\""));
        String field = List.of("name", "slug", "description", "tags", "schedule", "grace", "maxRuntime", "channels", "token", "id",
                "pingUrl", "x").get(random.nextInt(12));
        String value = switch (random.nextInt(5)) {
            case 0 -> HOSTILE_JSON.get(random.nextInt(HOSTILE_JSON.size()));
            case 1 -> "{\"type\":\"cron\",\"expression\":" + quoted(hostile()) + ",\"timezone\":" + quoted(hostile()) + "}";
            case 2 -> "{\"type\":\"interval\",\"every\":" + quoted(hostile()) + "}";
            case 3 -> "[" + quoted(hostile()) + "," + quoted(hostile()) + "]";
            default -> quoted(hostile());
        };
        fields.put(field, value);
        return object(fields);
    }

    private String mutatedChannel() {
        String type = List.of("email", "slack", "teams", "webhook", "x").get(random.nextInt(5));
        Map<String, String> config = new TreeMap<>();
        switch (type) {
            case "email" -> config.put("to", "[" + quoted(hostile()) + "]");
            case "slack", "teams" -> config.put("webhookUrl", quoted(random.nextBoolean() ? hostile() : "https://203.0.113.7/x"));
            default -> {
                config.put("url", quoted(random.nextBoolean() ? hostile() : "https://203.0.113.7/x"));
                config.put("headers", "{" + quoted(hostile()) + ":" + quoted(hostile()) + "}");
                config.put("secret", random.nextBoolean() ? quoted(hostile()) : "null");
                config.put("method", quoted(hostile()));
            }
        }
        Map<String, String> fields = new TreeMap<>(Map.of("name", quoted(random.nextBoolean() ? hostile() : "fuzz"),
                "type", quoted(type), "config", object(config)));
        fields.put(List.of("notifyOn", "remindEvery", "id", "colour").get(random.nextInt(4)),
                random.nextBoolean() ? HOSTILE_JSON.get(random.nextInt(HOSTILE_JSON.size())) : quoted(hostile()));
        return object(fields);
    }

    private String randomUnicode(int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int range = random.nextInt(5);
            int codePoint = switch (range) {
                case 0 -> random.nextInt(0x20);
                case 1 -> 0x80 + random.nextInt(0x20);
                case 2 -> 0xd800 + random.nextInt(0x800);
                case 3 -> 0x1f600 + random.nextInt(0x50);
                default -> 0x300 + random.nextInt(0x70);
            };
            text.appendCodePoint(codePoint);
        }
        return text.toString();
    }

    private static String quoted(String text) {
        StringBuilder json = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                default -> {
                    if (c < 0x20 || Character.isSurrogate(c)) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"').toString();
    }

    private static String object(Map<String, String> fields) {
        List<String> members = new ArrayList<>();
        fields.forEach((name, value) -> members.add(quoted(name) + ":" + value));
        return "{" + String.join(",", members) + "}";
    }

    private int get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "") + path)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
