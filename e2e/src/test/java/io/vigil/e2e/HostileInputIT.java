package io.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.contracts.Json;
import io.vigil.testkit.EmbeddedPostgresServer;
import io.vigil.testkit.FreePorts;
import io.vigil.testkit.SharedInfra;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile input from outside: at least 10,000 generated requests (random bytes, huge numbers, deep JSON, unicode
 * edge cases, path tricks, header injection, lying framing) across the ping URLs and every operation the admin API
 * and the notifier's internal API publish in their OpenAPI documents, sent byte-exact over bare sockets to the three
 * packaged services. Every one must get an answer below 500 whose body names no class, package or stack frame, no
 * injected header may come back, and every service must be live, ready and working at the end. The generator is
 * seeded ({@code -Dvigil.fuzz.seed=N} repeats a run; {@code -Dvigil.fuzz.requests=N} sets how many).
 */
class HostileInputIT {

    private static final String ADMIN_KEY = "e2e-fuzz-admin-" + UUID.randomUUID();
    private static final String INTERNAL_TOKEN = "e2e-fuzz-internal-" + UUID.randomUUID();
    private static final long SEED = Long.getLong("vigil.fuzz.seed", System.nanoTime());
    private static final int REQUESTS = Integer.getInteger("vigil.fuzz.requests", 10_000);
    private static final int TIMEOUT_MILLIS = 30_000;

    /** A class name, a package, a stack frame or a Java exception in an answer's body. */
    private static final Pattern LEAK = Pattern.compile(
            "(?i)(exception\\b|exception:|\\bat [\\w$]+(\\.[\\w$]+)+\\(|\\b(java|javax|jakarta|io\\.vigil|io\\.quarkus|io\\.vertx"
                    + "|io\\.smallrye|io\\.netty|org\\.hibernate|org\\.jboss|org\\.postgresql|org\\.apache|com\\.fasterxml)\\.[a-z]"
                    + "|\\.java:\\d+|caused by:)");

    private static final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    private static final Map<String, Integer> ports = new HashMap<>();
    private static String monitorId;
    private static String channelId;
    private static String token;
    private static String slug;
    private static String badgeUrl;

    @BeforeAll
    static void startVigil() throws Exception {
        for (String service : List.of("ingest-service", "evaluator-service", "notifier-service")) {
            ports.put(service, FreePorts.take());
        }
        EmbeddedPostgresServer postgres = SharedInfra.postgres();
        String database = "fuzz_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + postgres.port() + "/postgres",
                EmbeddedPostgresServer.USER, EmbeddedPostgresServer.PASSWORD);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        Map<String, String> env = StackEnv.of(SharedInfra.kafka().bootstrapServers(),
                "jdbc:postgresql://127.0.0.1:" + postgres.port() + "/" + database, ports.get("ingest-service"),
                ports.get("evaluator-service"), ports.get("notifier-service"), ADMIN_KEY, INTERNAL_TOKEN);
        env.put("VIGIL_SMTP_HOST", "127.0.0.1");
        env.put("VIGIL_SMTP_PORT", String.valueOf(SharedInfra.smtp().port()));
        for (String service : List.of("evaluator-service", "notifier-service", "ingest-service")) {
            services.put(service, ServiceProcess.start(service, ports.get(service), env));
        }

        AdminApi admin = new AdminApi(services.get("evaluator-service").baseUrl(), ADMIN_KEY);
        channelId = admin.call("POST", "/channels", Map.of("name", "fuzz-webhook", "type", "webhook",
                "config", Map.of("url", "http://127.0.0.1:9/fuzz")), 201).get("id").asText();
        JsonNode monitor = admin.call("POST", "/monitors", Map.of("name", "fuzz target", "tags", List.of("fuzz"),
                "schedule", Map.of("type", "interval", "every", "PT1H"), "grace", "PT5M",
                "channels", List.of(channelId)), 201);
        monitorId = monitor.get("id").asText();
        slug = monitor.get("slug").asText();
        String pingUrl = monitor.get("pingUrl").asText();
        token = pingUrl.substring(pingUrl.lastIndexOf('/') + 1);
        JsonNode badge = monitor.get("badgeUrl");
        badgeUrl = badge == null || badge.isNull() ? "/badge/none/" + slug + ".svg" : pathOf(badge.asText());
    }

    @AfterAll
    static void stopVigil() {
        services.values().forEach(ServiceProcess::close);
    }

    @Test
    void tenThousandHostileRequestsGetClearAnswersAndHarmNothing() throws Exception {
        List<Target> targets = new ArrayList<>();
        targets.addAll(pingTargets());
        targets.addAll(openApiTargets("evaluator-service"));
        targets.addAll(openApiTargets("notifier-service"));
        assertThat(targets).as("operations found").hasSizeGreaterThan(30);

        Random seeds = new Random(SEED);
        List<Long> requestSeeds = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            requestSeeds.add(seeds.nextLong());
        }
        Map<String, AtomicInteger> byStatus = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> byKind = new ConcurrentHashMap<>();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (long requestSeed : requestSeeds) {
                work.add(pool.submit(() -> {
                    Random random = new Random(requestSeed);
                    Target target = targets.get(random.nextInt(targets.size()));
                    Hostile request = Hostile.generate(random, target);
                    RawHttp.Answer answer = RawHttp.exchange(ports.get(target.service), request.bytes, TIMEOUT_MILLIS);
                    byStatus.computeIfAbsent(target.service.replace("-service", "") + " " + answer.status(),
                            k -> new AtomicInteger()).incrementAndGet();
                    byKind.computeIfAbsent(request.kind, k -> new AtomicInteger()).incrementAndGet();
                    String problem = judge(answer, request.kind.startsWith("framing"));
                    if (problem != null) {
                        failures.add(problem + " <- " + request.describe() + " (seed " + requestSeed + ")");
                    }
                }));
            }
            for (Future<?> future : work) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.printf("HostileInputIT: seed %d, %d requests; answers %s; kinds %s; %d failed%n", SEED, REQUESTS,
                new java.util.TreeMap<>(byStatus), new java.util.TreeMap<>(byKind), failures.size());
        failures.stream().limit(40).forEach(failure -> System.out.println("  " + failure));

        assertThat(failures).as("answers that were 5xx, missing, leaking internals or reflecting injected headers (seed %d)", SEED)
                .isEmpty();
        for (ServiceProcess service : services.values()) {
            assertThat(service.statusOf("/q/health/live")).as("%s live after the fuzz", service.name()).isEqualTo(200);
            assertThat(service.statusOf("/q/health/ready")).as("%s ready after the fuzz", service.name()).isEqualTo(200);
        }
        // and still doing its job (the fuzz may have deleted or re-keyed the seeded monitor): a new monitor takes a ping
        AdminApi admin = new AdminApi(services.get("evaluator-service").baseUrl(), ADMIN_KEY);
        JsonNode fresh = admin.call("POST", "/monitors", Map.of("name", "after the fuzz",
                "schedule", Map.of("type", "interval", "every", "PT1H"), "grace", "PT5M"), 201);
        String freshUrl = fresh.get("pingUrl").asText();
        byte[] ping = ("GET " + pathOf(freshUrl) + " HTTP/1.1\r\nHost: vigil\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        await("a ping to a monitor created after the fuzz").atMost(Duration.ofSeconds(30))
                .until(() -> RawHttp.exchange(ports.get("ingest-service"), ping, TIMEOUT_MILLIS).status() == 200);
        await("that monitor UP").atMost(Duration.ofSeconds(30))
                .until(() -> "UP".equals(admin.call("GET", "/monitors/" + fresh.get("id").asText(), null, 200).get("status").asText()));
    }

    /**
     * Why {@code answer} is wrong, or null when it is a clear answer. A request whose framing cannot be read to its
     * end may also be answered by closing the connection; a timeout is never an answer.
     */
    private static String judge(RawHttp.Answer answer, boolean mayClose) {
        if (answer.status() < 0 && !(mayClose && answer.head().equals("closed without an answer"))) {
            return "no answer (" + answer.head().strip() + ")";
        }
        if (answer.status() >= 500) {
            return "status " + answer.status() + " " + abbreviate(answer.bodyText());
        }
        String lowerHead = answer.head().toLowerCase(java.util.Locale.ROOT);
        if (lowerHead.contains("\nx-injected") || lowerHead.contains("\nset-cookie: injected")) {
            return "injected header reflected: " + abbreviate(answer.head());
        }
        if (LEAK.matcher(answer.bodyText()).find()) {
            return "internals in the answer " + answer.status() + ": " + abbreviate(answer.bodyText());
        }
        return null;
    }

    private static String abbreviate(String text) {
        String flat = text.replace("\r", "\\r").replace("\n", "\\n");
        return flat.length() > 300 ? flat.substring(0, 300) + "…" : flat;
    }

    // ---- what is attacked

    /** One operation: a service, a method and a path template with {@code {name}} parameters. */
    record Target(String service, String method, String template, boolean json) {
    }

    private static List<Target> pingTargets() {
        List<Target> targets = new ArrayList<>();
        for (String method : List.of("GET", "POST", "HEAD", "OPTIONS")) {
            for (String template : List.of("/ping/{token}", "/ping/{token}/start", "/ping/{token}/fail", "/ping/{token}/log",
                    "/ping/{token}/{exit}", "/{token}", "/{token}/{signal}", "/api/heartbeat/{slug}:{token}",
                    "/ext/heartbeat/{slug}:{token}", "/ext/heartbeat/{slug}/{token}", "/api/push/{token}")) {
                targets.add(new Target("ingest-service", method, template, false));
            }
        }
        targets.add(new Target("evaluator-service", "GET", "/badge/{key}/{file}", false));
        targets.add(new Target("evaluator-service", "GET", "/badge/{key}/tag/{file}", false));
        return targets;
    }

    /** Every operation in a service's OpenAPI document. */
    private static List<Target> openApiTargets(String service) throws Exception {
        RawHttp.Answer answer = RawHttp.exchange(ports.get(service), ("GET /q/openapi?format=json HTTP/1.1\r\nHost: vigil\r\n"
                + "Accept: application/json\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), TIMEOUT_MILLIS);
        assertThat(answer.status()).as("%s OpenAPI document", service).isEqualTo(200);
        JsonNode paths = Json.mapper().readTree(answer.body()).get("paths");
        List<Target> targets = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : paths.properties()) {
            for (Iterator<String> methods = path.getValue().fieldNames(); methods.hasNext(); ) {
                String method = methods.next();
                if (List.of("get", "post", "put", "patch", "delete", "head", "options").contains(method)) {
                    targets.add(new Target(service, method.toUpperCase(java.util.Locale.ROOT), path.getKey(),
                            path.getValue().get(method).has("requestBody")));
                }
            }
        }
        return targets;
    }

    private static String pathOf(String url) {
        int scheme = url.indexOf("://");
        return scheme < 0 ? url : url.substring(url.indexOf('/', scheme + 3));
    }

    // ---- the generator

    /** One generated request, its bytes and what kind of attack it is. */
    private static final class Hostile {
        final String kind;
        final byte[] bytes;
        private final String line;

        private Hostile(String kind, byte[] bytes, String line) {
            this.kind = kind;
            this.bytes = bytes;
            this.line = line;
        }

        String describe() {
            return kind + " " + abbreviate(line);
        }

        private static final String[] SEGMENTS = {"..", "%2e%2e", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "..%2f..%2f", "%00", "%",
            "%zz", "%ff%fe", "%ED%A0%80", "%F0%9F%92%A9", "%E2%80%AE", "%EF%BB%BF", "null", "undefined", "-1", "0",
            "99999999999999999999999999999999", "1e400", "NaN", "' OR 1=1--", "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
            "$(id)", "%24%7Bjndi%3Aldap%3A%2F%2Fx%7D", "{id}", "*", "~", ";", ";jsessionid=x", "a;b=c", "%5C..%5C",
            "00000000-0000-0000-0000-000000000000", "ZZZZZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZZZZZZZZZ", "%20", "+", "%0d%0aX-Injected:%201",
            "CON", "a.svg", "a.json", ".svg", "x.svg.json", "%2F", "0x10", "0777", "256", "-0", "1.5", "\u0661"};

        private static final String[] VALUES = {"null", "true", "-1", "0", "1e400", "-1e400", "123456789012345678901234567890",
            "1.7976931348623157E309", "\"\"", "\"\\u0000\"", "\"\\ud800\"", "\"\\udfff\\ud800\"", "\"\\u202e\\u200b\\ufeff\"",
            "\"x\\r\\nBcc: a@evil.example\"", "\"\\u0085\\u2028\"", "[]", "{}", "[null]", "{\"\":{}}", "\"PT-1S\"", "\"P9999999999D\"",
            "\"PT0S\"", "\"-P1D\"", "\"* * * * * * *\"", "\"0 0 30 2 *\"", "\"../../etc\"", "\"javascript:alert(1)\"",
            "\"http://169.254.169.254/latest/meta-data\"", "\"http://[::1]:22/\"", "\"file:///etc/passwd\"", "\"gopher://x\"",
            "\"%s%s%s%n\"", "\"${jndi:ldap://x}\"", "9223372036854775808", "-9223372036854775809", "\"" + "x".repeat(70_000) + "\""};

        private static final String[] BODY_FIELDS = {"name", "slug", "description", "tags", "schedule", "grace", "maxRuntime",
            "channels", "type", "config", "url", "webhookUrl", "to", "headers", "secret", "access", "every", "expression",
            "timezone", "token", "status", "paused", "limit", "cursor"};

        static Hostile generate(Random random, Target target) {
            int choice = random.nextInt(10);
            String kind;
            String method = target.method();
            String path = fill(random, target.template(), choice == 0);
            String query = random.nextInt(4) == 0 ? "?" + hostileQuery(random) : "";
            List<String> headers = new ArrayList<>();
            headers.add("Host: 127.0.0.1");
            if (target.service().equals("evaluator-service") || random.nextInt(5) == 0) {
                headers.add(authorization(random));
            }
            byte[] body = null;
            switch (choice) {
                case 0 -> kind = "path";
                case 1 -> {
                    kind = "random-bytes";
                    body = new byte[random.nextInt(4096)];
                    random.nextBytes(body);
                    headers.add("Content-Type: " + pick(random, "application/json", "application/octet-stream", "text/plain",
                            "application/json; charset=utf-7", "multipart/form-data; boundary=", "application/xml"));
                }
                case 2 -> {
                    kind = "deep-json";
                    int depth = 1 + random.nextInt(random.nextBoolean() ? 100 : 50_000);
                    body = (random.nextBoolean() ? "[".repeat(depth) + "]".repeat(depth)
                            : "{\"a\":".repeat(depth) + "1" + "}".repeat(depth)).getBytes(StandardCharsets.UTF_8);
                    headers.add("Content-Type: application/json");
                }
                case 3, 4 -> {
                    kind = "mutated-json";
                    body = mutatedJson(random).getBytes(StandardCharsets.UTF_8);
                    headers.add("Content-Type: application/json");
                }
                case 5 -> {
                    kind = "broken-utf8";
                    body = brokenUtf8(random);
                    headers.add("Content-Type: application/json; charset=utf-8");
                }
                case 6 -> {
                    kind = "header-injection";
                    headers.add(pick(random, "X-Forwarded-For: 1.2.3.4\r\nX-Injected: 1", "User-Agent: a\rX-Injected: 1",
                            "X-Forwarded-For: " + "9".repeat(random.nextInt(3000)), "X-Forwarded-For: ::ffff:127.0.0.1, [::1], garbage",
                            "Forwarded: for=\"[::1\";proto=gopher", "X-Forwarded-Proto: javascript",
                            "Cookie: " + "a=".repeat(2000), "Accept: */*;q=" + "9".repeat(400), "Origin: null",
                            "Accept-Language: \u00ff\u00fe", "X-Real-IP: 999.999.999.999", "If-None-Match: " + "\"x\",".repeat(500)));
                }
                case 7 -> {
                    // framing that cannot be read to its end: a server may answer 400 or close the connection
                    // (RFC 9112 6.3), but it must not answer 5xx or hang
                    String[][] framings = {
                        {"Content-Length: -1", "{}"}, {"Content-Length: 99999999999999999999", "{}"},
                        {"Content-Length: 5\r\nContent-Length: 6", "{\"a\":1}"}, {"Content-Length: abc", "{}"},
                        {"Transfer-Encoding: chunked", "zz\r\nabc\r\n0\r\n\r\n"},
                        {"Transfer-Encoding: chunked", "ffffffffffffffff\r\nx\r\n"},
                        {"Transfer-Encoding: chunked", "2\r\n{}\r\n0\r\n\r\n"},
                        {"Transfer-Encoding: gzip, chunked", "2\r\n{}\r\n0\r\n\r\n"},
                        {"Transfer-Encoding: chunked\r\nContent-Length: 3", "2\r\n{}\r\n0\r\n\r\n"},
                        {"Transfer-Encoding: identity", "{}"}};
                    String[] framing = framings[random.nextInt(framings.length)];
                    headers.add(framing[0]);
                    return assemble("framing " + framing[0].replace("\r\n", " + "), method, path + query, headers,
                            framing[1].getBytes(StandardCharsets.ISO_8859_1), false);
                }
                case 8 -> {
                    kind = "method";
                    method = pick(random, "TRACE", "CONNECT", "PROPFIND", "FOO", "get", "DELETE", "PATCH", "PUT", "BREW");
                    body = mutatedJson(random).getBytes(StandardCharsets.UTF_8);
                    headers.add("Content-Type: application/json");
                }
                default -> {
                    kind = "huge";
                    int size = random.nextInt(50) == 0 ? 11 * 1024 * 1024 : 200_000;
                    body = new byte[size];
                    java.util.Arrays.fill(body, (byte) '1');
                    headers.add("Content-Type: " + (target.json() ? "application/json" : "text/plain"));
                }
            }
            return assemble(kind, method, path + query, headers, body, true);
        }

        private static Hostile assemble(String kind, String method, String target, List<String> headers, byte[] body,
                boolean withLength) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            String line = method + " " + target + " HTTP/1.1";
            StringBuilder head = new StringBuilder(line).append("\r\n");
            for (String header : headers) {
                head.append(header).append("\r\n");
            }
            if (body != null && withLength) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("Connection: close\r\n\r\n");
            out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
            if (body != null) {
                out.writeBytes(body);
            }
            return new Hostile(kind, out.toByteArray(), line);
        }

        private static String fill(Random random, String template, boolean hostile) {
            StringBuilder path = new StringBuilder();
            int at = 0;
            while (true) {
                int open = template.indexOf('{', at);
                if (open < 0) {
                    path.append(template.substring(at));
                    break;
                }
                int close = template.indexOf('}', open);
                path.append(template, at, open);
                String name = template.substring(open + 1, close);
                path.append(hostile || random.nextInt(3) == 0 ? segment(random) : realValue(random, name));
                at = close + 1;
            }
            if (hostile && random.nextInt(4) == 0) {
                path.append(pick(random, "/..", "/%2e%2e/%2e%2e/q/health", "//", "/x".repeat(200), "?", "#frag", "/.;/"));
            }
            return path.toString();
        }

        private static String realValue(Random random, String name) {
            return switch (name) {
                case "token" -> token;
                case "slug" -> slug;
                case "id" -> random.nextBoolean() ? monitorId : random.nextBoolean() ? channelId : UUID.randomUUID().toString();
                case "exit" -> String.valueOf(random.nextInt(300) - 20);
                case "signal" -> pick(random, "start", "fail", "log", "0", "1", "255", "256");
                case "n" -> String.valueOf(random.nextInt(100) - 5);
                case "file" -> slug + pick(random, ".svg", ".json", ".shields", ".png", "");
                case "key" -> badgeKey();
                default -> "x";
            };
        }

        private static String badgeKey() {
            String[] parts = badgeUrl.split("/");
            return parts.length > 2 ? parts[2] : "none";
        }

        private static String segment(Random random) {
            return switch (random.nextInt(4)) {
                case 0 -> "x".repeat(random.nextInt(9000));
                case 1 -> URLEncoder.encode(randomUnicode(random, 1 + random.nextInt(40)), StandardCharsets.UTF_8);
                default -> SEGMENTS[random.nextInt(SEGMENTS.length)];
            };
        }

        private static String hostileQuery(Random random) {
            List<String> params = new ArrayList<>();
            for (int i = 0; i <= random.nextInt(4); i++) {
                params.add(pick(random, "limit", "cursor", "status", "tag", "rid", "before", "after", "n", "status", "msg",
                        "ping", "format") + "=" + segment(random));
            }
            return String.join("&", params);
        }

        private static String authorization(Random random) {
            return switch (random.nextInt(6)) {
                case 0 -> "Authorization: Bearer " + randomAscii(random, random.nextInt(200));
                case 1 -> "Authorization: Basic " + "=".repeat(random.nextInt(50));
                case 2 -> "X-Api-Key: " + "k".repeat(random.nextInt(10_000));
                default -> "Authorization: Bearer " + ADMIN_KEY;
            };
        }

        private static String mutatedJson(Random random) {
            StringBuilder json = new StringBuilder("{");
            int fields = 1 + random.nextInt(6);
            for (int i = 0; i < fields; i++) {
                if (i > 0) {
                    json.append(',');
                }
                String field = random.nextInt(8) == 0 ? randomUnicode(random, 5) : BODY_FIELDS[random.nextInt(BODY_FIELDS.length)];
                json.append('"').append(field.replace("\\", "\\\\").replace("\"", "\\\"")).append("\":");
                json.append(random.nextInt(3) == 0 ? nested(random) : VALUES[random.nextInt(VALUES.length)]);
            }
            json.append('}');
            if (random.nextInt(10) == 0) {
                json.append(pick(random, "garbage", "}", ",", "\u0000", "{\"a\":1}"));
            }
            return json.toString();
        }

        private static String nested(Random random) {
            return switch (random.nextInt(4)) {
                case 0 -> "{\"type\":" + pick(random, "\"interval\"", "\"cron\"", "\"webhook\"", "\"slack\"", "\"email\"", "7")
                        + ",\"every\":" + VALUES[random.nextInt(VALUES.length)] + ",\"expression\":"
                        + VALUES[random.nextInt(VALUES.length)] + "}";
                case 1 -> "{\"url\":" + VALUES[random.nextInt(VALUES.length)] + ",\"headers\":{\"X-A\":"
                        + VALUES[random.nextInt(VALUES.length)] + "},\"to\":[" + VALUES[random.nextInt(VALUES.length)] + "]}";
                case 2 -> "[" + VALUES[random.nextInt(VALUES.length)] + "," + VALUES[random.nextInt(VALUES.length)] + "]";
                default -> "\"" + randomUnicode(random, random.nextInt(300)).replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
            };
        }

        private static byte[] brokenUtf8(Random random) {
            byte[][] bad = {{(byte) 0xC0, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xFF},
                {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xE2, (byte) 0x82}, {0}};
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes("{\"name\":\"".getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 1 + random.nextInt(5); i++) {
                out.writeBytes(bad[random.nextInt(bad.length)]);
            }
            out.writeBytes("\",\"schedule\":{\"type\":\"interval\",\"every\":\"PT1H\"}}".getBytes(StandardCharsets.UTF_8));
            return out.toByteArray();
        }

        private static String randomUnicode(Random random, int length) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < length; i++) {
                int kind = random.nextInt(6);
                int codePoint = switch (kind) {
                    case 0 -> random.nextInt(0x20);                       // C0 controls
                    case 1 -> 0x80 + random.nextInt(0x20);                // C1 controls
                    case 2 -> 0x1F300 + random.nextInt(0x300);            // emoji
                    case 3 -> pickInt(random, 0x202E, 0x200B, 0xFEFF, 0x2028, 0xFFFD, 0x0301, 0x10FFFF);
                    default -> 0x20 + random.nextInt(0x5F);              // printable ASCII
                };
                text.appendCodePoint(codePoint);
            }
            return text.toString();
        }

        private static String randomAscii(Random random, int length) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < length; i++) {
                text.append((char) (0x21 + random.nextInt(0x5E)));
            }
            return text.toString();
        }

        private static String pick(Random random, String... options) {
            return options[random.nextInt(options.length)];
        }

        private static int pickInt(Random random, int... options) {
            return options[random.nextInt(options.length)];
        }
    }
}
