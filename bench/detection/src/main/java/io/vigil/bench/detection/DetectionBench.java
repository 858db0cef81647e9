package io.vigil.bench.detection;

import io.vigil.contracts.IngestWatermark;
import io.vigil.contracts.Json;
import io.vigil.contracts.MonitorFlipped;
import io.vigil.contracts.PingReceived;
import io.vigil.contracts.PingType;
import io.vigil.contracts.Status;
import io.vigil.contracts.TokenHash;
import io.vigil.contracts.TopicLayout;
import io.vigil.contracts.Topics;
import io.vigil.testkit.EmbeddedKafka;
import io.vigil.testkit.EmbeddedPostgresServer;
import io.vigil.testkit.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;

/**
 * The detection benchmark: a packaged evaluator (its own JVM, default settings) against an embedded broker
 * and PostgreSQL, with a stand-in ingest writing watermarks to every partition every 200 ms.
 * <ol>
 *   <li>Apply rate: one success ping for each of N active monitors (interval 600 s, grace 10 s), received
 *       at times spread over the last 120 s, so their DOWN times spread over two minutes, starting about eight minutes after the pings; the rate is
 *       N over the time until every ping is applied.</li>
 *   <li>Detection latency: for every DOWN flip, the time from its {@code at} (due + grace) to the flip's
 *       record on {@code vigil.flips.v1} (the broker's append time) and to its {@code detectedAt}.</li>
 *   <li>Sweep cost: the sweep timer's mean pass while the active monitors were going down, then again
 *       with M idle monitors (due in a day) added to the table.</li>
 * </ol>
 * Usage: {@code bench/detection/run.sh [active] [idle] [apply-only]} from the repository root; {@code apply-only}
 * stops after the apply rate.
 */
public final class DetectionBench {

    private static final int PARTITIONS = 8;
    private static final Duration EVERY = Duration.ofSeconds(600);
    private static final Duration GRACE = Duration.ofSeconds(10);
    private static final Duration SPREAD = Duration.ofSeconds(120);

    private DetectionBench() {
    }

    public static void main(String[] args) throws Exception {
        int active = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int idle = args.length > 1 ? Integer.parseInt(args[1]) : 900_000;
        boolean applyOnly = args.length > 2 && args[2].equals("apply-only");
        Path root = Path.of(System.getProperty("vigil.root", ".")).toAbsolutePath().normalize();
        Path jar = root.resolve("evaluator-service/target-bench/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("build the evaluator first: " + jar);
        }
        Path out = root.resolve("bench/detection/target");
        Files.createDirectories(out);

        System.out.println("starting Kafka and PostgreSQL ...");
        EmbeddedKafka kafka = EmbeddedKafka.startTemporary();
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.startTemporary("vigil");
        try (var admin = kafka.admin()) {
            TopicLayout.ensure(admin, PARTITIONS, (short) 1);
        }
        KafkaProducer<String, byte[]> producer = producer(kafka.bootstrapServers());
        Thread marks = new Thread(() -> watermarks(producer), "bench-watermarks");
        marks.setDaemon(true);
        marks.start();

        int port = FreePorts.take();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        String jvmArgs = System.getenv().getOrDefault("BENCH_EVALUATOR_JVM_ARGS", ""); // e.g. a JFR recording
        if (!jvmArgs.isBlank()) {
            command.addAll(List.of(jvmArgs.trim().split("\\s+")));
        }
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.put("VIGIL_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
        env.put("VIGIL_DB_URL", postgres.jdbcUrl());
        env.put("VIGIL_DB_USER", EmbeddedPostgresServer.USER);
        env.put("VIGIL_DB_PASSWORD", EmbeddedPostgresServer.PASSWORD);
        env.put("VIGIL_EVALUATOR_PORT", String.valueOf(port));
        env.put("VIGIL_ADMIN_KEY", "bench-" + UUID.randomUUID());
        env.put("VIGIL_KAFKA_PARTITIONS", String.valueOf(PARTITIONS));
        env.put("QUARKUS_LOG_LEVEL", "WARN");
        env.put("QUARKUS_LOG_CATEGORY__IO_VIGIL_EVALUATOR_MESSAGING__LEVEL", "DEBUG");
        env.put("QUARKUS_LOG_CATEGORY__IO_VIGIL_EVALUATOR_MESSAGING__MIN_LEVEL", "DEBUG");
        builder.redirectErrorStream(true).redirectOutput(out.resolve("evaluator.log").toFile());
        System.out.println("starting the evaluator ...");
        Process evaluator = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(evaluator::destroyForcibly));
        String metricsUrl = "http://127.0.0.1:" + port + "/q/metrics";
        try {
            awaitReady(metricsUrl, evaluator);
            try (Connection db = DriverManager.getConnection(postgres.jdbcUrl(), EmbeddedPostgresServer.USER,
                    EmbeddedPostgresServer.PASSWORD)) {
                run(active, idle, applyOnly, db, producer, kafka.bootstrapServers(), metricsUrl, out);
            }
        } finally {
            evaluator.destroy();
            if (!evaluator.waitFor(20, TimeUnit.SECONDS)) {
                evaluator.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            producer.close(Duration.ofSeconds(2));
            kafka.close();
            postgres.close();
        }
    }

    private static void run(int active, int idle, boolean applyOnly, Connection db, KafkaProducer<String, byte[]> producer, String bootstrap,
                            String metricsUrl, Path out) throws Exception {
        System.out.printf("inserting %,d active monitors ...%n", active);
        List<UUID> ids = insertActive(db, active);

        List<long[]> latencies = new CopyOnWriteArrayList<>(); // {to record, to detectedAt} in ms
        Thread tail = new Thread(() -> tail(bootstrap, latencies), "bench-tail");
        tail.setDaemon(true);
        tail.start();

        Random random = new Random(42);
        Instant now = Instant.now();
        List<Instant> receivedAt = new ArrayList<>(active);
        for (int i = 0; i < active; i++) {
            receivedAt.add(now.minusMillis((long) (random.nextDouble() * SPREAD.toMillis())));
        }
        // round 1: every monitor NEW -> UP (a flip each); round 2: a ping to monitors already UP (no flip),
        // received 1 ms after the first, which is what steady operation looks like
        double[] round1 = sendRound(ids, receivedAt, 0, producer, db, 1);
        System.out.printf("round 1 (NEW -> UP, a flip each): %,d pings applied in %.1f s: %.0f pings/s%n", active,
                round1[0], active / round1[0]);
        double[] round2 = sendRound(ids, receivedAt, 1, producer, db, 2);
        System.out.printf("round 2 (UP monitors, no flip): %,d pings applied in %.1f s: %.0f pings/s%n", active,
                round2[0], active / round2[0]);
        double applySeconds = round2[0];
        if (applyOnly) {
            return;
        }

        Instant lastDown = now.plus(EVERY).plus(GRACE);
        System.out.printf("waiting for %,d DOWN flips (the last is due at %s) ...%n", active, lastDown);
        long deadline = System.currentTimeMillis() + Duration.between(Instant.now(), lastDown).toMillis() + 60_000;
        while (latencies.size() < active && System.currentTimeMillis() < deadline) {
            Thread.sleep(500);
        }
        double[] sweepActive = sweepTimer(metricsUrl);

        System.out.printf("inserting %,d idle monitors ...%n", idle);
        long insertStarted = System.nanoTime();
        try (Statement st = db.createStatement()) {
            st.execute("""
                    INSERT INTO evaluator.monitor (id, name, slug, schedule_type, every_ms, grace_ms, token, token_hash,
                        status, due_at, next_alert_at, last_success_at, kafka_partition, created_at, updated_at)
                    SELECT gen_random_uuid(), 'idle ' || g, 'idle-' || g, 'interval', 86400000, 3600000,
                        'idle-token-' || g, md5('idle-token-' || g), 'UP', now() + interval '1 day',
                        now() + interval '1 day' + (g %% 3600) * interval '1 second', now(), g %% %d, now(), now()
                    FROM generate_series(1, %d) AS g""".formatted(PARTITIONS, idle));
            st.execute("ANALYZE evaluator.monitor");
        }
        System.out.printf("inserted in %.1f s; measuring idle sweep passes for 20 s ...%n",
                (System.nanoTime() - insertStarted) / 1e9);
        double[] before = sweepTimer(metricsUrl);
        Thread.sleep(20_000);
        double[] after = sweepTimer(metricsUrl);
        long stored = count(db, "SELECT count(*) FROM evaluator.monitor");
        String plan = explain(db);

        List<Long> toRecord = new ArrayList<>();
        List<Long> toDetected = new ArrayList<>();
        for (long[] l : latencies) {
            toRecord.add(l[0]);
            toDetected.add(l[1]);
        }
        Collections.sort(toRecord);
        Collections.sort(toDetected);
        StringBuilder table = new StringBuilder();
        table.append("# Detection benchmark\n\n");
        table.append(String.format(Locale.ROOT, "%,d active monitors (every %s, grace %s, DOWN times spread over %s),"
                        + " %d partitions, one evaluator, 2-core machine, broker and PostgreSQL embedded.%n%n",
                active, EVERY, GRACE, SPREAD, PARTITIONS));
        table.append("| measure | p50 | p99 | max | n |\n|---|---|---|---|---|\n");
        table.append(row("due+grace -> flip on vigil.flips.v1", toRecord));
        table.append(row("due+grace -> detectedAt (flip recorded)", toDetected));
        table.append("\n| measure | value |\n|---|---|\n");
        table.append(String.format(Locale.ROOT, "| ping apply rate, NEW monitors (each ping a flip + outbox record) | %.0f pings/s |%n",
                active / round1[0]));
        table.append(String.format(Locale.ROOT, "| ping apply rate, UP monitors (%,d pings, send to all applied) | %.0f pings/s |%n",
                active, active / applySeconds));
        table.append(String.format(Locale.ROOT, "| sweep pass, mean over the run (%,d stored, ~%.0f due/s) | %.2f ms (%d passes, max %.1f ms) |%n",
                active, active / (double) SPREAD.toSeconds(), mean(sweepActive), (long) sweepActive[0], sweepActive[2] * 1000));
        double[] idleDelta = {after[0] - before[0], after[1] - before[1], after[2]};
        table.append(String.format(Locale.ROOT, "| sweep pass with %,d stored, none due | %.2f ms (%d passes) |%n",
                stored, mean(idleDelta), (long) idleDelta[0]));
        table.append("\nThe sweep's claim query with ").append(String.format(Locale.ROOT, "%,d", stored))
                .append(" rows stored (EXPLAIN ANALYZE):\n\n```\n").append(plan).append("```\n");
        System.out.println();
        System.out.println(table);
        Files.writeString(out.resolve("RESULTS.md"), table.toString());
    }

    /** Sends one ping per monitor and waits until all are applied; answers {seconds}. */
    private static double[] sendRound(List<UUID> ids, List<Instant> receivedAt, long plusMillis,
                                      KafkaProducer<String, byte[]> producer, Connection db, int round) throws Exception {
        System.out.printf("round %d: sending %,d pings ...%n", round, ids.size());
        long started = System.nanoTime();
        for (int i = 0; i < ids.size(); i++) {
            UUID id = ids.get(i);
            PingReceived ping = new PingReceived(PingReceived.SCHEMA, UUID.randomUUID(), id, PingType.SUCCESS, null, null,
                    receivedAt.get(i).plusMillis(plusMillis), "GET", "http", "127.0.0.1", "bench", null, null, 0);
            producer.send(new ProducerRecord<>(Topics.PINGS, id.toString(), Json.write(ping)));
        }
        producer.flush();
        long applied;
        do {
            Thread.sleep(200);
            applied = count(db, "SELECT count(*) FROM evaluator.monitor WHERE ping_count >= " + round + " AND NOT system");
        } while (applied < ids.size());
        return new double[] {(System.nanoTime() - started) / 1e9};
    }

    private static String row(String label, List<Long> sorted) {
        if (sorted.isEmpty()) {
            return "| " + label + " | - | - | - | 0 |\n";
        }
        return String.format(Locale.ROOT, "| %s | %d ms | %d ms | %d ms | %,d |%n", label, pct(sorted, 0.50),
                pct(sorted, 0.99), sorted.get(sorted.size() - 1), sorted.size());
    }

    private static long pct(List<Long> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    private static double mean(double[] timer) {
        return timer[0] == 0 ? 0 : timer[1] / timer[0] * 1000;
    }

    private static List<UUID> insertActive(Connection db, int n) throws Exception {
        List<UUID> ids = new ArrayList<>(n);
        db.setAutoCommit(false);
        try (PreparedStatement st = db.prepareStatement("""
                INSERT INTO evaluator.monitor (id, name, slug, schedule_type, every_ms, grace_ms, token, token_hash,
                    status, kafka_partition, created_at, updated_at)
                VALUES (?, ?, ?, 'interval', ?, ?, ?, ?, 'NEW', ?, now(), now())""")) {
            for (int i = 0; i < n; i++) {
                UUID id = UUID.randomUUID();
                ids.add(id);
                String token = "bench-" + id;
                st.setObject(1, id);
                st.setString(2, "bench " + i);
                st.setString(3, "bench-" + i);
                st.setLong(4, EVERY.toMillis());
                st.setLong(5, GRACE.toMillis());
                st.setString(6, token);
                st.setString(7, TokenHash.of(token));
                st.setInt(8, Utils.toPositive(Utils.murmur2(id.toString().getBytes(StandardCharsets.UTF_8))) % PARTITIONS);
                st.addBatch();
                if (i % 1000 == 999) {
                    st.executeBatch();
                }
            }
            st.executeBatch();
        }
        db.commit();
        db.setAutoCommit(true);
        return ids;
    }

    private static long count(Connection db, String sql) throws Exception {
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String explain(Connection db) throws Exception {
        StringBuilder plan = new StringBuilder();
        db.setAutoCommit(false);
        try (PreparedStatement st = db.prepareStatement("""
                EXPLAIN ANALYZE SELECT * FROM evaluator.monitor
                WHERE kafka_partition = 3 AND next_alert_at IS NOT NULL AND next_alert_at < ?
                ORDER BY next_alert_at LIMIT 500 FOR UPDATE SKIP LOCKED""")) {
            st.setTimestamp(1, Timestamp.from(Instant.now()));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
        } finally {
            db.rollback();
            db.setAutoCommit(true);
        }
        return plan.toString();
    }

    /** {count, sum seconds, max seconds} of the evaluator's sweep timer. */
    private static double[] sweepTimer(String metricsUrl) throws Exception {
        String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(metricsUrl)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return new double[] {metric(text, "vigil_sweep_duration_seconds_count"),
            metric(text, "vigil_sweep_duration_seconds_sum"), metric(text, "vigil_sweep_duration_seconds_max")};
    }

    private static double metric(String text, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(2)) : 0;
    }

    private static void awaitReady(String metricsUrl, Process evaluator) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            if (!evaluator.isAlive()) {
                throw new IllegalStateException("the evaluator exited; see bench/detection/target/evaluator.log");
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(metricsUrl)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // still starting
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the evaluator did not start within 120 s");
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("acks", "all");
        props.put("linger.ms", 5);
        props.put("batch.size", 262_144);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    /** The stand-in ingest: a watermark to every partition every 200 ms. */
    private static void watermarks(KafkaProducer<String, byte[]> producer) {
        while (true) {
            Instant now = Instant.now();
            IngestWatermark mark = new IngestWatermark(IngestWatermark.SCHEMA, "bench-ingest", now, now.plusSeconds(5));
            try {
                for (int p = 0; p < PARTITIONS; p++) {
                    producer.send(new ProducerRecord<>(Topics.PINGS, p, "watermark", Json.write(mark)));
                }
            } catch (IllegalStateException closed) {
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void tail(String bootstrap, List<long[]> latencies) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("enable.auto.commit", "false");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> tps = consumer.partitionsFor(Topics.FLIPS, Duration.ofSeconds(10)).stream()
                    .map(i -> new TopicPartition(Topics.FLIPS, i.partition())).toList();
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            while (true) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    MonitorFlipped flip = Json.read(r.value(), MonitorFlipped.class);
                    if (flip.status() == Status.DOWN && flip.monitor().slug().startsWith("bench-")) {
                        long at = flip.occurredAt().toEpochMilli();
                        latencies.add(new long[] {r.timestamp() - at, flip.detectedAt().toEpochMilli() - at});
                    }
                }
            }
        }
    }
}
