package io.vigil.bench.alerts;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vigil.contracts.ChannelChanged;
import io.vigil.contracts.ChannelType;
import io.vigil.contracts.Json;
import io.vigil.contracts.MonitorFlipped;
import io.vigil.contracts.SecretsKeyring;
import io.vigil.contracts.Status;
import io.vigil.contracts.Topics;
import io.vigil.testkit.EmbeddedKafka;
import io.vigil.testkit.EmbeddedPostgresServer;
import io.vigil.testkit.FreePorts;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The notifier delivery benchmark (issue 12): the packaged notifier as its own JVM against an embedded broker and
 * PostgreSQL, its webhook channels pointing at a local Vert.x receiver, fed flips straight on {@code vigil.flips.v1}.
 * Two scenarios, each from a fresh broker, a fresh notifier database and a fresh notifier JVM: 10,000 alerts over
 * 1,000 webhook channels (1,000 monitors, one channel each, 10 flips each alternating DOWN/UP, so every monitor and
 * channel pair gets its alerts in flip order) and 10,000 alerts over 10 channels (10,000 monitors, one DOWN flip
 * each). Per scenario: deliveries per second, latency from each flip's {@code detectedAt} (its publish time) to its
 * arrival (p50/p99/max), lost, duplicated and out-of-order counts, the notifier's peak heap; then the same bodies
 * posted by a plain Vert.x client and a plain JDK client to the same receiver with the same concurrency, the faster
 * being the baseline the notifier's rate is compared with.
 *
 * <p>Usage: {@code bench/alerts/run.sh [alerts]} from the repository root; settings in bench/alerts/README.md.
 */
public final class AlertsBench {

    /** Requests in flight of the receiver-ceiling run: well above the notifier's, to show the receiver is not the limit. */
    private static final int CEILING_CONCURRENCY = 128;

    private static final com.fasterxml.jackson.databind.ObjectMapper PLAIN_JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();
    private static final Pattern GC_PAUSE = Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");
    private static final Pattern HEAP_USED = Pattern.compile(
            "^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*}\\s+([0-9.eE+-]+)", Pattern.MULTILINE);

    /** One scenario: {@code monitors} monitors, {@code rounds} flips each, monitor m alerting channel m % channels. */
    private record Scenario(String label, int channels, int monitors, int rounds) {
        int alerts() {
            return monitors * rounds;
        }

        /** The alert with key k is round {@code k / monitors} of monitor {@code k % monitors}. */
        int channelOf(int key) {
            return (key % monitors) % channels;
        }
    }

    /** The settings of a run, from the environment (bench/alerts/README.md). */
    private record Settings(int concurrency, String logLevel, List<String> jvmArgs, boolean statements, boolean warmUp,
                            Duration stall, Duration maxWait, Path jar, Path out) {
    }

    /** One row of the table: a sender's figures in one scenario. */
    private record Row(String scenario, String sender, int concurrency, int expected, int delivered, int duplicated,
                       int outOfOrder, int unexpected, int connections, double seconds, long[] latenciesMicros,
                       String heap) {
        int lost() {
            return expected - delivered;
        }

        double rate() {
            return seconds <= 0 ? 0 : delivered / seconds;
        }
    }

    /** A scenario's rows (the notifier's first, then the baselines) and its notes. */
    private record Result(Scenario scenario, Row notifier, List<Row> baselines, Row ceiling, List<String> notes,
                          boolean complete) {
        Row baseline() {
            Row best = null;
            for (Row row : baselines) {
                if (best == null || row.rate() > best.rate()) {
                    best = row;
                }
            }
            return best;
        }
    }

    private AlertsBench() {
    }

    public static void main(String[] args) throws Exception {
        int alerts = args.length > 0 ? Integer.parseInt(args[0].replace("_", "").replace(",", "")) : 10_000;
        Path root = Path.of(System.getProperty("vigil.root", ".")).toAbsolutePath().normalize();
        Path out = root.resolve("bench/alerts/target");
        Files.createDirectories(out);
        Settings settings = settings(root, out);
        if (!Files.exists(settings.jar())) {
            throw new IllegalStateException("build the notifier first: " + settings.jar());
        }
        int rounds = Math.max(1, alerts / 1000);
        List<Scenario> scenarios = List.of(
                new Scenario("1,000 channels", 1000, 1000, rounds),
                new Scenario("10 channels", 10, 1000 * rounds, 1));

        System.out.println("starting PostgreSQL ...");
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.startTemporary("vigil", settings.statements()
                ? Map.of("shared_preload_libraries", "pg_stat_statements", "pg_stat_statements.track", "all")
                : Map.of());
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        WebhookReceiver receiver = WebhookReceiver.start(vertx);
        List<Result> results = new ArrayList<>();
        try {
            for (Scenario scenario : scenarios) {
                results.add(runScenario(scenario, settings, postgres, receiver));
            }
        } finally {
            receiver.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            postgres.close();
        }
        boolean clean = report(results, settings, alerts, out.resolve("RESULTS.md"));
        System.exit(clean ? 0 : 1);
    }

    private static Settings settings(Path root, Path out) {
        Map<String, String> env = System.getenv();
        String jvmArgs = env.getOrDefault("ALERTS_NOTIFIER_JVM_ARGS", "").trim();
        return new Settings(
                Integer.parseInt(env.getOrDefault("ALERTS_CONCURRENCY", "64")),
                env.getOrDefault("ALERTS_NOTIFIER_LOG_LEVEL", "WARN"),
                jvmArgs.isEmpty() ? List.of() : List.of(jvmArgs.split("\\s+")),
                !env.getOrDefault("ALERTS_PG_STATEMENTS", "").isEmpty(),
                !"0".equals(env.getOrDefault("ALERTS_WARM_UP", "1")),
                Duration.parse(env.getOrDefault("ALERTS_STALL", "PT120S")),
                Duration.parse(env.getOrDefault("ALERTS_MAX_WAIT", "PT5M")),
                Path.of(env.getOrDefault("ALERTS_NOTIFIER_JAR",
                        root.resolve("notifier-service/target/quarkus-app/quarkus-run.jar").toString())).toAbsolutePath(),
                out);
    }

    private static Result runScenario(Scenario scenario, Settings settings, EmbeddedPostgresServer postgres,
                                      WebhookReceiver receiver) throws Exception {
        String slug = scenario.channels() + "-channels";
        System.out.printf("%n== %,d alerts over %s ==%n", scenario.alerts(), scenario.label());
        String database = "alerts_" + scenario.channels() + "_" + System.nanoTime();
        String jdbcUrl = createDatabase(postgres, database);
        System.out.println("starting a fresh Kafka broker ...");
        EmbeddedKafka kafka = EmbeddedKafka.startTemporary();
        byte[] sealingKey = new byte[32];
        new SecureRandom().nextBytes(sealingKey);
        String secretsKey = Base64.getEncoder().encodeToString(sealingKey);
        SecretsKeyring keys = SecretsKeyring.of(secretsKey, null);

        int port = FreePorts.take();
        Path gcLog = settings.out().resolve("notifier-" + slug + "-gc.log");
        Files.deleteIfExists(gcLog);
        List<String> command = new ArrayList<>(List.of(javaBin(), "-Xlog:gc:file=" + gcLog));
        settings.jvmArgs().forEach(arg -> command.add(arg.replace("{scenario}", slug)));
        command.addAll(List.of("-jar", settings.jar().toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.put("VIGIL_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
        env.put("VIGIL_SECRETS_KEY", secretsKey);
        env.put("VIGIL_INTERNAL_TOKEN", "alerts-bench-" + UUID.randomUUID());
        env.put("VIGIL_DB_URL", jdbcUrl);
        env.put("VIGIL_DB_USER", EmbeddedPostgresServer.USER);
        env.put("VIGIL_DB_PASSWORD", EmbeddedPostgresServer.PASSWORD);
        env.put("VIGIL_NOTIFIER_PORT", String.valueOf(port));
        env.put("VIGIL_ALLOW_PRIVATE_TARGETS", "true"); // the receiver is on loopback
        env.put("VIGIL_SMTP_PORT", String.valueOf(FreePorts.take()));
        env.put("VIGIL_NOTIFIER_RATE_WEBHOOK", "PT0S"); // raw throughput: no per-URL spacing (default 50 ms)
        // connections to the one receiver: the concurrency the baselines get (the notifier claims and queues more,
        // its default VIGIL_NOTIFIER_DISPATCH_CONCURRENCY, so that a connection never waits for a claim)
        env.put("VIGIL_NOTIFIER_DISPATCH_CONNECTIONS_PER_HOST", String.valueOf(settings.concurrency()));
        env.put("QUARKUS_LOG_LEVEL", settings.logLevel());
        Path log = settings.out().resolve("notifier-" + slug + ".log");
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        System.out.println("starting the notifier (log: " + settings.out().relativize(log) + ") ...");
        Process notifier = builder.start();
        Thread killer = new Thread(notifier::destroyForcibly, "alerts-bench-notifier-kill");
        Runtime.getRuntime().addShutdownHook(killer);

        List<String> notes = new ArrayList<>();
        WebhookReceiver.Phase phase;
        long publishStart;
        long publishEnd;
        long[] detectedAt = new long[scenario.alerts()];
        List<MonitorFlipped> flips = new ArrayList<>(scenario.alerts());
        String heapAtEnd;
        boolean complete;
        String loadAtPublish;
        String loadAtEnd;
        try {
            awaitReady(port, notifier);
            try (KafkaProducer<String, byte[]> producer = producer(kafka.bootstrapServers());
                 Connection db = DriverManager.getConnection(jdbcUrl, EmbeddedPostgresServer.USER,
                         EmbeddedPostgresServer.PASSWORD)) {
                UUID[] channels = publishChannels(scenario, keys, receiver, producer);
                awaitChannels(db, scenario.channels(), notes);

                int[] expectedChannel = new int[scenario.alerts()];
                for (int key = 0; key < expectedChannel.length; key++) {
                    expectedChannel[key] = scenario.channelOf(key);
                }
                if (settings.warmUp()) {
                    warmUp(scenario, channels, producer, db, settings, notes);
                }
                phase = new WebhookReceiver.Phase("notifier", expectedChannel, scenario.monitors());
                receiver.countInto(phase);
                UUID[] monitors = new UUID[scenario.monitors()];
                Arrays.setAll(monitors, i -> UUID.randomUUID());
                System.out.printf("publishing %,d flips on %s ...%n", scenario.alerts(), Topics.FLIPS);
                if (settings.statements()) {
                    resetStatements(db);
                }
                loadAtPublish = loadAverage();
                CpuTimes cpuAtPublish = CpuTimes.now(notifier);
                publishStart = WebhookReceiver.micros(Instant.now());
                for (int key = 0; key < scenario.alerts(); key++) {
                    Instant now = Instant.now();
                    detectedAt[key] = WebhookReceiver.micros(now);
                    MonitorFlipped flip = flip(scenario, key, monitors, channels, now);
                    flips.add(flip);
                    producer.send(new ProducerRecord<>(Topics.FLIPS, flip.monitor().id().toString(), Json.write(flip)));
                }
                producer.flush();
                publishEnd = WebhookReceiver.micros(Instant.now());
                System.out.printf("published in %d ms; waiting for the deliveries ...%n", (publishEnd - publishStart) / 1000);
                complete = awaitDeliveries(phase, notifier, settings, notes);
                loadAtEnd = loadAverage();
                CpuTimes cpuAtEnd = CpuTimes.now(notifier);
                notes.add(cpuAtEnd.since(cpuAtPublish, phase.distinct.get()));
                notes.add("the notifier's CPU by thread (Linux thread names, 15 characters; C1/C2 are the JIT compilers): "
                        + cpuAtEnd.threadsSince(cpuAtPublish));
                receiver.countInto(null);
                heapAtEnd = heapUsedNow(port);
                notes.add(databaseSummary(db, publishStart, phase));
                if (settings.statements()) {
                    Path statements = settings.out().resolve("statements-" + slug + ".txt");
                    writeStatements(db, statements);
                    notes.add("the database's statements by total time: " + settings.out().relativize(statements));
                }
            }
        } finally {
            receiver.countInto(null);
            stop(notifier);
            Runtime.getRuntime().removeShutdownHook(killer);
            kafka.close();
        }
        String heap = heap(gcLog, heapAtEnd, notes);
        Row notifierRow = row(scenario, "notifier", settings.concurrency(), phase, publishStart, detectedAt, heap);
        notes.add(0, String.format(Locale.ROOT, "flips published in %d ms; first delivery %d ms after the first publish",
                (publishEnd - publishStart) / 1000, firstArrival(phase) < 0 ? -1 : (firstArrival(phase) - publishStart) / 1000));

        List<PlainClient.Post> posts = baselinePosts(phase, flips, receiver);
        int missing = (int) posts.stream().filter(post -> post.eventId().startsWith("00000000")).count();
        if (missing > 0) {
            notes.add(missing + " of the baseline's bodies were rendered by the bench (the notifier never delivered them)");
        }
        List<Row> baselines = new ArrayList<>();
        Row ceiling;
        try (PlainClient vertxClient = PlainClient.vertx(receiver.vertx(), receiver.port(), settings.concurrency());
             PlainClient jdkClient = PlainClient.jdk(receiver.port());
             PlainClient wide = PlainClient.vertx(receiver.vertx(), receiver.port(), CEILING_CONCURRENCY)) {
            for (PlainClient client : List.of(vertxClient, jdkClient)) {
                baselines.add(baseline(client, client.name, settings.concurrency(), scenario, posts, settings, receiver));
            }
            ceiling = baseline(wide, "receiver ceiling: Vert.x client", CEILING_CONCURRENCY, scenario, posts, settings,
                    receiver);
        }
        notes.add("load average (1 min, the whole machine; 2 cores): " + loadAtPublish + " when the flips were published, "
                + loadAtEnd + " when the notifier's wait ended, " + loadAverage() + " after the baselines");
        return new Result(scenario, notifierRow, baselines, ceiling, notes, complete);
    }

    /** Waits until every alert arrived, the notifier stops making progress for the stall time, or the maximum wait. */
    private static boolean awaitDeliveries(WebhookReceiver.Phase phase, Process notifier, Settings settings,
                                           List<String> notes) throws InterruptedException {
        long start = System.nanoTime();
        long lastProgress = start;
        long lastPrint = start;
        int lastCount = 0;
        int printedCount = 0;
        while (phase.distinct.get() < phase.expected()) {
            Thread.sleep(50);
            long now = System.nanoTime();
            int count = phase.requests.get();
            if (count != lastCount) {
                lastCount = count;
                lastProgress = now;
            }
            if (now - lastPrint >= TimeUnit.SECONDS.toNanos(5)) {
                System.out.printf("  %,d / %,d delivered (%,.0f/s over the last 5 s)%n", phase.distinct.get(),
                        phase.expected(), (phase.distinct.get() - printedCount) / ((now - lastPrint) / 1e9));
                printedCount = phase.distinct.get();
                lastPrint = now;
            }
            if (!notifier.isAlive()) {
                notes.add("the notifier exited before every alert arrived (see its log)");
                return false;
            }
            if (now - lastProgress > settings.stall().toNanos()) {
                notes.add("stopped waiting: no request arrived for " + settings.stall().toSeconds() + " s");
                return false;
            }
            if (now - start > settings.maxWait().toNanos()) {
                notes.add("stopped waiting after " + settings.maxWait().toSeconds() + " s (ALERTS_MAX_WAIT)");
                return false;
            }
        }
        // a repeat right behind the last delivery would still be counted (one after a lease expiry would not: 40 s)
        Thread.sleep(2000);
        return true;
    }

    private static Row baseline(PlainClient client, String sender, int concurrency, Scenario scenario,
                                List<PlainClient.Post> posts, Settings settings, WebhookReceiver receiver) throws Exception {
        List<PlainClient.Post> warmUp = new ArrayList<>();
        // every body once to another path: a cold client is much slower on its first pass than on a later one
        for (int i = 0; i < posts.size(); i++) {
            warmUp.add(new PlainClient.Post("/warm-up", posts.get(i).body(), posts.get(i).eventId()));
        }
        receiver.countInto(null);
        client.run(warmUp, concurrency, Duration.ofMinutes(2));
        int[] expectedChannel = new int[scenario.alerts()];
        for (int key = 0; key < expectedChannel.length; key++) {
            expectedChannel[key] = scenario.channelOf(key);
        }
        WebhookReceiver.Phase phase = new WebhookReceiver.Phase(sender, expectedChannel, scenario.monitors());
        receiver.countInto(phase);
        long start = WebhookReceiver.micros(Instant.now());
        PlainClient.Outcome outcome = client.run(posts, concurrency, settings.maxWait());
        receiver.countInto(null);
        System.out.printf("%s, %d in flight: %,d answered 2xx, %,d failed, %.2f s%n", sender, concurrency, outcome.ok(),
                outcome.failed(),
                (phase.lastArrivalMicros.get() - start) / 1e6);
        long[] fromStart = new long[scenario.alerts()];
        Arrays.fill(fromStart, start);
        return row(scenario, sender, concurrency, phase, start, fromStart, "-");
    }

    private static Row row(Scenario scenario, String sender, int concurrency, WebhookReceiver.Phase phase, long start,
                           long[] readyAt, String heap) {
        int delivered = phase.distinct.get();
        long[] latencies = new long[delivered];
        int n = 0;
        long last = start;
        for (int key = 0; key < phase.expected(); key++) {
            if (phase.arrivals.get(key) > 0) {
                long at = phase.firstArrivalMicros.get(key);
                latencies[n++] = at - readyAt[key];
                last = Math.max(last, at);
            }
        }
        Arrays.sort(latencies, 0, n);
        return new Row(scenario.label(), sender, concurrency, phase.expected(), delivered, phase.duplicated(),
                phase.outOfOrder.get(), phase.unexpected.get(), phase.connections.size(), (last - start) / 1e6,
                Arrays.copyOf(latencies, n), heap);
    }

    private static long firstArrival(WebhookReceiver.Phase phase) {
        long first = -1;
        for (int key = 0; key < phase.expected(); key++) {
            if (phase.arrivals.get(key) > 0) {
                long at = phase.firstArrivalMicros.get(key);
                first = first < 0 ? at : Math.min(first, at);
            }
        }
        return first;
    }

    /** The baseline's requests: for every alert the body the notifier delivered (or the bench's rendering of it). */
    private static List<PlainClient.Post> baselinePosts(WebhookReceiver.Phase phase, List<MonitorFlipped> flips,
                                                        WebhookReceiver receiver) {
        List<PlainClient.Post> posts = new ArrayList<>(flips.size());
        for (int key = 0; key < flips.size(); key++) {
            byte[] body = phase.firstBody.get(key);
            String eventId;
            if (body == null) {
                eventId = new UUID(0, key).toString();
                body = render(flips.get(key), eventId);
            } else {
                String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
                int at = text.indexOf("\"eventId\":\"");
                eventId = at < 0 ? new UUID(0, key).toString() : text.substring(at + 11, at + 47);
            }
            posts.add(new PlainClient.Post("/hook/" + phase.expectedChannel[key], body, eventId));
        }
        return posts;
    }

    /** A webhook event in the notifier's layout (API.md section 4), for an alert the notifier did not deliver. */
    private static byte[] render(MonitorFlipped flip, String eventId) {
        Map<String, Object> monitor = new LinkedHashMap<>();
        monitor.put("id", flip.monitor().id().toString());
        monitor.put("name", flip.monitor().name());
        monitor.put("slug", flip.monitor().slug());
        monitor.put("tags", flip.monitor().tags());
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", 1);
        event.put("type", "alert");
        event.put("eventId", eventId);
        event.put("monitor", monitor);
        event.put("previousStatus", flip.previousStatus().name());
        event.put("status", flip.status().name());
        event.put("reason", flip.reason());
        event.put("reasonText", flip.reasonText());
        event.put("occurredAt", flip.occurredAt().toString());
        event.put("lastPingAt", flip.lastPingAt().toString());
        event.put("downtime", flip.downtime() == null ? null : flip.downtime().toString());
        event.put("link", flip.link());
        event.put("lastPingBody", flip.lastPingBody());
        try {
            return PLAIN_JSON.writeValueAsBytes(event); // nulls written out, as the notifier's events have them
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MonitorFlipped flip(Scenario scenario, int key, UUID[] monitors, UUID[] channels, Instant now) {
        int m = key % scenario.monitors();
        int round = key / scenario.monitors();
        boolean down = round % 2 == 0;
        UUID monitor = monitors[m];
        String name = String.format(Locale.ROOT, "alerts-m%05d", m);
        return new MonitorFlipped(MonitorFlipped.SCHEMA, UUID.randomUUID(), round + 1L,
                new MonitorFlipped.MonitorRef(monitor, name, name, List.of("bench")),
                down ? Status.UP : Status.DOWN, down ? Status.DOWN : Status.UP,
                down ? "missed" : "ok", down ? "missed check-in: due " + now.minusSeconds(60) + ", grace 1m" : "ping received",
                now, now, now.minusSeconds(120), down ? null : Duration.ofMinutes(1),
                "http://127.0.0.1:8081/api/v1/monitors/" + monitor, WebhookReceiver.KEY_PREFIX + key,
                List.of(channels[scenario.channelOf(key)]));
    }

    private static UUID[] publishChannels(Scenario scenario, SecretsKeyring keys, WebhookReceiver receiver,
                                          KafkaProducer<String, byte[]> producer) {
        UUID[] channels = new UUID[scenario.channels()];
        for (int c = 0; c < channels.length; c++) {
            channels[c] = UUID.randomUUID();
            ChannelChanged channel = new ChannelChanged(channels[c], "alerts-webhook-" + c, ChannelType.WEBHOOK,
                    Map.of("url", receiver.url(c), "method", "POST"), List.of(Status.DOWN, Status.UP), null, 1)
                    .sealedWith(keys);
            producer.send(new ProducerRecord<>(Topics.CHANNELS, channels[c].toString(), Json.write(channel)));
        }
        producer.flush();
        System.out.printf("published %,d webhook channels (sealed) on %s%n", channels.length, Topics.CHANNELS);
        return channels;
    }

    /**
     * Warms the notifier up the way the baselines are: the scenario's alerts once, for other monitors on the same
     * channels, answered by the receiver and not counted, until the notifier has settled every one of them (so none is
     * in flight when counting starts). A notifier that has run for a while is JIT-compiled; a fresh JVM spends half its
     * CPU in the compiler during a 10,000-alert burst. The warm-up's own rate is noted: the cold figure.
     */
    private static void warmUp(Scenario scenario, UUID[] channels, KafkaProducer<String, byte[]> producer, Connection db,
                               Settings settings, List<String> notes) throws InterruptedException, SQLException {
        UUID[] monitors = new UUID[scenario.monitors()];
        Arrays.setAll(monitors, i -> UUID.randomUUID());
        System.out.printf("warming up with %,d flips for other monitors (not counted) ...%n", scenario.alerts());
        long start = System.nanoTime();
        for (int key = 0; key < scenario.alerts(); key++) {
            MonitorFlipped flip = flip(scenario, key, monitors, channels, Instant.now());
            producer.send(new ProducerRecord<>(Topics.FLIPS, flip.monitor().id().toString(), Json.write(flip)));
        }
        producer.flush();
        long deadline = start + settings.maxWait().toNanos();
        long settled = 0;
        while (System.nanoTime() < deadline) {
            try (Statement statement = db.createStatement();
                 ResultSet rows = statement.executeQuery("select count(*) from notifier.delivery"
                         + " where status in ('SENT', 'FAILED')")) {
                rows.next();
                settled = rows.getLong(1);
            }
            if (settled >= scenario.alerts()) {
                double seconds = (System.nanoTime() - start) / 1e9;
                notes.add(String.format(Locale.ROOT, "warm-up (a fresh notifier JVM, the same alerts for other monitors,"
                        + " not counted): %,d settled in %.1f s, %,.0f/s", settled, seconds, settled / seconds));
                return;
            }
            Thread.sleep(200);
        }
        notes.add(String.format(Locale.ROOT, "warm-up: only %,d of %,d alerts settled within %s; the run starts anyway",
                settled, scenario.alerts(), settings.maxWait()));
    }

    /** Waits until the notifier's channel view holds every channel (its table), at most 60 s. */
    private static void awaitChannels(Connection db, int expected, List<String> notes) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long count = -1;
        while (System.nanoTime() < deadline) {
            try (Statement statement = db.createStatement();
                 ResultSet rows = statement.executeQuery("select count(*) from notifier.channel where not deleted")) {
                rows.next();
                count = rows.getLong(1);
                if (count >= expected) {
                    return;
                }
            } catch (SQLException e) {
                notes.add("could not count the notifier's channels (" + e.getMessage() + "); flips may wait for them");
                return;
            }
            Thread.sleep(100);
        }
        notes.add("the notifier held " + count + " of " + expected + " channels after 60 s; flips may wait for them");
    }

    /** What the notifier's tables say after the run (a failure to read them, e.g. another schema, is only noted). */
    private static String databaseSummary(Connection db, long publishStartMicros, WebhookReceiver.Phase phase) {
        StringBuilder text = new StringBuilder("notifier tables after the run (its own rows, not the warm-up's): ");
        try (Statement statement = db.createStatement()) {
            String since = "to_timestamp(" + publishStartMicros / 1e6 + ")";
            try (ResultSet rows = statement.executeQuery("select status, count(*) from notifier.delivery where created_at >= "
                    + since + " group by status order by status")) {
                List<String> parts = new ArrayList<>();
                while (rows.next()) {
                    parts.add(rows.getString(1) + " " + rows.getLong(2));
                }
                text.append("deliveries ").append(parts.isEmpty() ? "none" : String.join(", ", parts));
            }
            try (ResultSet rows = statement.executeQuery("select max(created_at) from notifier.delivery")) {
                if (rows.next() && rows.getTimestamp(1) != null) {
                    long last = WebhookReceiver.micros(rows.getTimestamp(1).toInstant());
                    text.append(String.format(Locale.ROOT, "; the last delivery row was created %.1f s after the first publish",
                            (last - publishStartMicros) / 1e6));
                    text.append(intakeSplit(phase, last));
                }
            }
            try (ResultSet rows = statement.executeQuery("select count(*), count(*) filter (where outcome <> 'delivered'),"
                    + " percentile_cont(0.5) within group (order by duration_ms) from notifier.attempt where at >= " + since)) {
                if (rows.next()) {
                    text.append(String.format(Locale.ROOT, "; attempts %d (not delivered: %d), median attempt %.0f ms",
                            rows.getLong(1), rows.getLong(2), rows.getDouble(3)));
                }
            }
        } catch (SQLException e) {
            text.append("not readable (").append(e.getMessage()).append(")");
        }
        return text.toString();
    }

    /**
     * How the deliveries split around the end of the intake (the last delivery row created): arrivals until then, and
     * the rate of the rest, which the dispatcher sent with the intake done.
     */
    private static String intakeSplit(WebhookReceiver.Phase phase, long intakeDoneMicros) {
        int before = 0;
        long lastAfter = intakeDoneMicros;
        int after = 0;
        for (int key = 0; key < phase.expected(); key++) {
            if (phase.arrivals.get(key) > 0) {
                long at = phase.firstArrivalMicros.get(key);
                if (at <= intakeDoneMicros) {
                    before++;
                } else {
                    after++;
                    lastAfter = Math.max(lastAfter, at);
                }
            }
        }
        double seconds = (lastAfter - intakeDoneMicros) / 1e6;
        return String.format(Locale.ROOT, " (%,d alerts had arrived by then; the other %,d arrived in %.1f s after it: %s)",
                before, after, seconds, after == 0 || seconds <= 0 ? "-" : String.format(Locale.ROOT, "%,.0f/s", after / seconds));
    }

    /**
     * The notifier's peak heap: the largest heap-used-before-collection of every GC pause in its GC log
     * ({@code -Xlog:gc}, exact at each collection, and the heap is largest right before one) or the heap used at the
     * end (from {@code /q/metrics}, in case the peak came after the last collection), whichever is larger.
     */
    private static String heap(Path gcLog, String heapAtEnd, List<String> notes) throws IOException {
        long maxBefore = 0;
        long maxAfter = 0;
        long capacity = 0;
        int pauses = 0;
        if (Files.exists(gcLog)) {
            for (String line : Files.readAllLines(gcLog)) {
                Matcher matcher = GC_PAUSE.matcher(line);
                if (matcher.find()) {
                    pauses++;
                    maxBefore = Math.max(maxBefore, bytes(matcher.group(1), matcher.group(2)));
                    maxAfter = Math.max(maxAfter, bytes(matcher.group(3), matcher.group(4)));
                    capacity = Math.max(capacity, bytes(matcher.group(5), matcher.group(6)));
                }
            }
        }
        long atEnd = heapAtEnd == null ? 0 : (long) Double.parseDouble(heapAtEnd);
        long peak = Math.max(maxBefore, atEnd);
        notes.add(String.format(Locale.ROOT, "notifier heap: peak used %d MiB (largest before-GC of %d pauses in the GC"
                        + " log, or %s at the end from /q/metrics); largest after a GC %d MiB; largest heap size %d MiB",
                peak >> 20, pauses, heapAtEnd == null ? "n/a" : (atEnd >> 20) + " MiB", maxAfter >> 20, capacity >> 20));
        return peak == 0 ? "n/a" : (peak >> 20) + " MiB";
    }

    private static long bytes(String number, String unit) {
        long value = Long.parseLong(number);
        return switch (unit) {
            case "K" -> value << 10;
            case "M" -> value << 20;
            default -> value << 30;
        };
    }

    /** The heap used now (bytes, summed over the heap pools of {@code jvm_memory_used_bytes}), or null. */
    private static String heapUsedNow(int port) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/q/metrics")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher matcher = HEAP_USED.matcher(response.body());
            double total = 0;
            boolean any = false;
            while (matcher.find()) {
                total += Double.parseDouble(matcher.group(1));
                any = true;
            }
            return any ? String.valueOf((long) total) : null;
        } catch (IOException | InterruptedException | RuntimeException e) {
            return null;
        }
    }

    private static boolean report(List<Result> results, Settings settings, int alerts, Path file) throws IOException {
        StringBuilder text = new StringBuilder("# Notifier delivery benchmark\n\n");
        text.append(String.format(Locale.ROOT, "Packaged notifier `%s` as its own JVM (JVM options: %s), fed flips straight"
                        + " on `vigil.flips.v1`; webhook channels at a local Vert.x receiver answering 200 at once;"
                        + " `VIGIL_NOTIFIER_DISPATCH_CONNECTIONS_PER_HOST=%d`, webhook rate limit off (`VIGIL_NOTIFIER_RATE_WEBHOOK=PT0S`),"
                        + " log level %s; embedded Kafka (fresh per scenario) and PostgreSQL (a fresh database per"
                        + " scenario); the baselines post the same bodies to the same receiver with the same concurrency"
                        + " after the notifier has stopped.%n%n",
                settings.jar().getFileName(), settings.jvmArgs().isEmpty() ? "defaults" : String.join(" ", settings.jvmArgs()),
                settings.concurrency(), settings.logLevel()));
        text.append("| scenario | sender | in flight | expected | delivered | lost | duplicated | out of order | unexpected"
                + " | deliveries/s | of baseline | p50 | p99 | max | connections | peak heap |\n");
        text.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        boolean clean = true;
        for (Result result : results) {
            Row baseline = result.baseline();
            List<Row> rows = new ArrayList<>();
            rows.add(result.notifier());
            rows.addAll(result.baselines());
            rows.add(result.ceiling());
            for (Row row : rows) {
                String share = row == baseline ? "= baseline" : row == result.ceiling() ? "(not a baseline)"
                        : baseline == null || baseline.rate() == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * row.rate() / baseline.rate());
                text.append(String.format(Locale.ROOT, "| %s | %s | %d | %,d | %,d | %,d | %,d | %,d | %,d | %,.0f | %s | %s | %s | %s | %d | %s |%n",
                        row.scenario(), row.sender(), row.concurrency(), row.expected(), row.delivered(), row.lost(),
                        row.duplicated(), row.outOfOrder(), row.unexpected(), row.rate(), share,
                        millis(percentile(row.latenciesMicros(), 0.50)), millis(percentile(row.latenciesMicros(), 0.99)),
                        millis(row.latenciesMicros().length == 0 ? -1 : row.latenciesMicros()[row.latenciesMicros().length - 1]),
                        row.connections(), row.heap()));
            }
            Row n = result.notifier();
            clean &= result.complete() && n.lost() == 0 && n.duplicated() == 0 && n.outOfOrder() == 0 && n.unexpected() == 0;
        }
        text.append("\nLatency: the notifier's from each flip's `detectedAt` (set to its publish time) to its first"
                + " arrival; a baseline's from the start of its run (every body ready then) to the arrival."
                + " Deliveries/s: alerts delivered / (last first-arrival - first publish), or - start of the baseline run."
                + " The receiver-ceiling row posts the same bodies with " + CEILING_CONCURRENCY + " in flight: what the"
                + " receiver takes, so that a baseline or the notifier far below it is not limited by the receiver.\n\n");
        text.append("Targets (issue 12, judged on the notifier rows):\n\n");
        for (Result result : results) {
            Row n = result.notifier();
            Row b = result.baseline();
            double share = b == null || b.rate() == 0 ? 0 : 100 * n.rate() / b.rate();
            text.append(String.format(Locale.ROOT, "- %s: %,.0f deliveries/s, target >= 5,000: %s; %.1f%% of the baseline (%s,"
                            + " %,.0f/s), target >= 50%%: %s%n", result.scenario().label(), n.rate(),
                    n.rate() >= 5000 ? "met" : "NOT met", share, b == null ? "-" : b.sender(), b == null ? 0 : b.rate(),
                    share >= 50 ? "met" : "NOT met"));
        }
        for (Result result : results) {
            text.append("\n").append(result.scenario().label()).append(String.format(Locale.ROOT,
                    " (%,d monitors x %d flips, monitor m alerts channel m %% %d):%n%n", result.scenario().monitors(),
                    result.scenario().rounds(), result.scenario().channels()));
            for (String note : result.notes()) {
                text.append("- ").append(note).append("\n");
            }
        }
        text.append("\nMachine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores; run ")
                .append(Instant.now()).append(" with `bench/alerts/run.sh");
        if (alerts != 10_000) {
            text.append(" ").append(alerts);
        }
        text.append("`.\n");
        Files.writeString(file, text);
        System.out.println();
        System.out.println(text);
        return clean;
    }

    private static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return -1;
        }
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static String millis(long micros) {
        return micros < 0 ? "-" : String.format(Locale.ROOT, "%,d ms", Math.round(micros / 1000.0));
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", bootstrap);
        config.put("acks", "all");
        config.put("linger.ms", 5);
        config.put("key.serializer", StringSerializer.class.getName());
        config.put("value.serializer", ByteArraySerializer.class.getName());
        return new KafkaProducer<>(config);
    }

    /** Empties pg_stat_statements, so what it holds afterwards is the scenario's (ALERTS_PG_STATEMENTS). */
    private static void resetStatements(Connection db) throws SQLException {
        try (Statement statement = db.createStatement()) {
            statement.execute("create extension if not exists pg_stat_statements");
            statement.execute("select pg_stat_statements_reset()");
        }
    }

    /** The 25 statements that took the most time in this database since the reset, with their calls and rows. */
    private static void writeStatements(Connection db, Path file) throws SQLException, IOException {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%10s %10s %9s %11s  %s", "total ms", "calls", "mean ms", "rows", "statement"));
        try (Statement statement = db.createStatement();
             ResultSet rows = statement.executeQuery("select s.total_exec_time, s.calls, s.mean_exec_time, s.rows,"
                     + " regexp_replace(s.query, '\\s+', ' ', 'g') from pg_stat_statements s join pg_database d"
                     + " on d.oid = s.dbid where d.datname = current_database() order by s.total_exec_time desc limit 25")) {
            while (rows.next()) {
                String query = rows.getString(5);
                lines.add(String.format(Locale.ROOT, "%10.0f %10d %9.3f %11d  %s", rows.getDouble(1), rows.getLong(2),
                        rows.getDouble(3), rows.getLong(4), query.length() > 400 ? query.substring(0, 400) + " ..." : query));
            }
        }
        Files.write(file, lines);
    }

    /** A fresh database on the server, so each scenario's notifier starts from an empty schema. */
    private static String createDatabase(EmbeddedPostgresServer postgres, String name) throws SQLException {
        String base = "jdbc:postgresql://127.0.0.1:" + postgres.port() + "/";
        try (Connection connection = DriverManager.getConnection(base + "postgres", EmbeddedPostgresServer.USER,
                EmbeddedPostgresServer.PASSWORD); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE \"" + name + "\"");
        }
        return base + name;
    }

    private static void awaitReady(int port, Process notifier) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (Instant.now().isBefore(deadline)) {
            if (!notifier.isAlive()) {
                throw new IllegalStateException("the notifier exited; see its log in bench/alerts/target");
            }
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/q/health/ready")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the notifier did not become ready within 120 s");
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** The 1-minute load average of the machine (other work on it shows here), or "n/a". */
    /**
     * CPU time used so far by the notifier JVM, by PostgreSQL (every process named postgres) and by this JVM (the
     * broker, the receiver, the bench), from /proc: where the run's CPU went.
     */
    private record CpuTimes(double notifier, double postgres, double bench, Map<String, Double> notifierThreads) {

        static CpuTimes now(Process notifier) {
            return new CpuTimes(seconds(notifier.pid()), postgresSeconds(), seconds(ProcessHandle.current().pid()),
                    threadSeconds(notifier.pid()));
        }

        /** The notifier's threads' CPU seconds by name, numbers dropped (its 8 senders are one line). */
        private static Map<String, Double> threadSeconds(long pid) {
            Map<String, Double> threads = new HashMap<>();
            try (var tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
                for (Path task : tasks.toList()) {
                    try {
                        String name = Files.readString(task.resolve("comm")).trim().replaceAll("[0-9]+", "N");
                        String stat = Files.readString(task.resolve("stat"));
                        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        threads.merge(name, (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0, Double::sum);
                    } catch (IOException | RuntimeException gone) {
                        // the thread ended meanwhile
                    }
                }
            } catch (IOException e) {
                return Map.of();
            }
            return threads;
        }

        /** The notifier's threads that used the most CPU between {@code start} and now (threads that ended are missed). */
        String threadsSince(CpuTimes start) {
            return notifierThreads.entrySet().stream()
                    .map(e -> Map.entry(e.getKey(), e.getValue() - start.notifierThreads.getOrDefault(e.getKey(), 0.0)))
                    .filter(e -> e.getValue() >= 0.05)
                    .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                    .limit(10)
                    .map(e -> String.format(Locale.ROOT, "%s %.1f s", e.getKey(), e.getValue()))
                    .collect(Collectors.joining(", "));
        }

        String since(CpuTimes start, int delivered) {
            double n = notifier - start.notifier;
            double p = postgres - start.postgres;
            double b = bench - start.bench;
            double per = delivered == 0 ? 0 : 1000.0 / delivered;
            return String.format(Locale.ROOT, "CPU from the first publish to the end of the wait: notifier %.1f s, PostgreSQL"
                    + " %.1f s, broker + receiver + bench %.1f s (per delivered alert: %.2f, %.2f and %.2f ms)",
                    n, p, b, n * per, p * per, b * per);
        }

        private static double postgresSeconds() {
            double total = 0;
            try (var processes = Files.list(Path.of("/proc"))) {
                for (Path dir : processes.filter(d -> d.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                    try {
                        if (Files.readString(dir.resolve("comm")).trim().equals("postgres")) {
                            total += seconds(Long.parseLong(dir.getFileName().toString()));
                        }
                    } catch (IOException | RuntimeException gone) {
                        // the process ended meanwhile
                    }
                }
            } catch (IOException e) {
                return Double.NaN;
            }
            return total;
        }

        /** utime + stime of a process, in seconds (clock ticks of 100 Hz, as on Linux/x86). */
        private static double seconds(long pid) {
            try {
                String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
            } catch (IOException | RuntimeException e) {
                return Double.NaN;
            }
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    private static String javaBin() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }
}
