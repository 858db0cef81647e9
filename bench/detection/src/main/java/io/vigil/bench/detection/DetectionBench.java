package io.vigil.bench.detection;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vigil.contracts.IngestWatermark;
import io.vigil.contracts.Json;
import io.vigil.contracts.MonitorFlipped;
import io.vigil.contracts.PingReceived;
import io.vigil.contracts.PingsRecord;
import io.vigil.contracts.PingType;
import io.vigil.contracts.Status;
import io.vigil.contracts.TokenHash;
import io.vigil.contracts.TopicLayout;
import io.vigil.contracts.Topics;
import io.vigil.testkit.EmbeddedKafka;
import io.vigil.testkit.EmbeddedPostgresServer;
import io.vigil.testkit.FreePorts;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * The detection benchmark: a packaged evaluator and a packaged notifier (each its own JVM) against an embedded
 * broker and PostgreSQL, with a stand-in ingest writing watermarks to every partition every 200 ms and a local
 * webhook receiver in this JVM.
 * <ol>
 *   <li>Apply rate: one success ping for each of N active monitors (interval 600 s, grace 10 s), received
 *       at times spread over the last 120 s, so their DOWN times spread over two minutes, starting about eight minutes after the pings; the rate is
 *       N over the time until every ping is applied.</li>
 *   <li>Detection latency: for every DOWN flip, the time from its {@code at} (due + grace) to the flip's
 *       record on {@code vigil.flips.v1} (the broker's append time) and to its {@code detectedAt}.</li>
 *   <li>Alert latency: one webhook channel (created through the admin API, {@code notifyOn: [DOWN]}) is attached
 *       to the first A of the active monitors (all by default, {@code BENCH_ALERT_MONITORS}); for every DOWN alert,
 *       the time from its {@code occurredAt} (the flip's {@code at}) to its arrival at the receiver, with the
 *       expected, received, lost and duplicate counts.</li>
 *   <li>Sweep cost: the sweep timer's mean pass while the active monitors were going down, then again
 *       with M idle monitors (due in a day) added to the table.</li>
 * </ol>
 * Usage: {@code bench/detection/run.sh [active] [idle] [apply-only]} from the repository root; {@code apply-only}
 * stops after the apply rate (and starts no notifier). Environment: {@code BENCH_ALERT_MONITORS} (monitors with
 * the webhook channel; 0 = no alert leg), {@code BENCH_ALERT_WAIT} (longest wait for the alerts after the last
 * DOWN flip, ISO duration, default PT30M), {@code BENCH_EVALUATOR_JVM_ARGS} / {@code BENCH_NOTIFIER_JVM_ARGS}
 * (extra JVM options, e.g. a JFR recording), {@code BENCH_EVERY} (the monitors' interval, default PT10M; shorter
 * only for quick debugging runs with few monitors: round 1 and 2 must finish before the first one is due).
 */
public final class DetectionBench {

    private static final int PARTITIONS = 8;
    private static final Duration EVERY = Duration.parse(System.getenv().getOrDefault("BENCH_EVERY", "PT10M"));
    private static final Duration GRACE = Duration.ofSeconds(10);
    private static final Duration SPREAD = Duration.ofSeconds(120);
    /** The notifier's storm threshold here: webhooks are never digested anyway, this only makes it explicit. */
    private static final int STORM_THRESHOLD = 1_000_000;
    /** The alert wait ends early when no alert arrived for this long. */
    private static final Duration ALERT_STALL = Duration.ofSeconds(60);

    /** A DOWN flip of a bench monitor as the tail saw it; epoch milliseconds. */
    private record Down(UUID monitor, long at, long recordAt, long detectedAt) {

        /** A flip as a webhook alert names it: the monitor and the flip's at. */
        String key() {
            return monitor + "@" + at;
        }
    }

    private DetectionBench() {
    }

    public static void main(String[] args) throws Exception {
        int active = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int idle = args.length > 1 ? Integer.parseInt(args[1]) : 900_000;
        boolean applyOnly = args.length > 2 && args[2].equals("apply-only");
        int alerting = applyOnly ? 0 : Math.min(active,
                Integer.parseInt(System.getenv().getOrDefault("BENCH_ALERT_MONITORS", String.valueOf(active))));
        Path root = Path.of(System.getProperty("vigil.root", ".")).toAbsolutePath().normalize();
        Path jar = root.resolve("evaluator-service/target-bench/quarkus-app/quarkus-run.jar");
        Path notifierJar = root.resolve("notifier-service/target-bench/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("build the evaluator first: " + jar);
        }
        if (alerting > 0 && !Files.exists(notifierJar)) {
            throw new IllegalStateException("build the notifier first: " + notifierJar);
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
        WebhookReceiver receiver = alerting > 0 ? WebhookReceiver.start() : null;

        int port = FreePorts.take();
        String adminKey = "bench-" + UUID.randomUUID();
        Map<String, String> env = new HashMap<>();
        env.put("VIGIL_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
        env.put("VIGIL_DB_URL", postgres.jdbcUrl());
        env.put("VIGIL_DB_USER", EmbeddedPostgresServer.USER);
        env.put("VIGIL_DB_PASSWORD", EmbeddedPostgresServer.PASSWORD);
        env.put("VIGIL_KAFKA_PARTITIONS", String.valueOf(PARTITIONS));
        env.put("VIGIL_ALLOW_PRIVATE_TARGETS", "true"); // the webhook receiver is on loopback
        byte[] sealingKey = new byte[32]; // seals channel settings on Kafka (evaluator and notifier)
        new java.security.SecureRandom().nextBytes(sealingKey);
        env.put("VIGIL_SECRETS_KEY", java.util.Base64.getEncoder().encodeToString(sealingKey));
        env.put("QUARKUS_LOG_LEVEL", "WARN");
        Map<String, String> evaluatorEnv = new HashMap<>(env);
        evaluatorEnv.put("VIGIL_EVALUATOR_PORT", String.valueOf(port));
        evaluatorEnv.put("VIGIL_ADMIN_KEY", adminKey);
        evaluatorEnv.put("QUARKUS_LOG_CATEGORY__IO_VIGIL_EVALUATOR_MESSAGING__LEVEL", "DEBUG");
        evaluatorEnv.put("QUARKUS_LOG_CATEGORY__IO_VIGIL_EVALUATOR_MESSAGING__MIN_LEVEL", "DEBUG");
        System.out.println("starting the evaluator ...");
        Process evaluator = startService(jar, evaluatorEnv, "BENCH_EVALUATOR_JVM_ARGS", out.resolve("evaluator.log"));
        Process notifier = null;
        int notifierPort = FreePorts.take();
        if (alerting > 0) {
            Map<String, String> notifierEnv = new HashMap<>(env);
            notifierEnv.put("VIGIL_NOTIFIER_PORT", String.valueOf(notifierPort));
            notifierEnv.put("VIGIL_SMTP_PORT", String.valueOf(FreePorts.take()));
            notifierEnv.put("VIGIL_NOTIFIER_RATE_WEBHOOK", "PT0S"); // no per-target spacing: one receiver takes every alert
            notifierEnv.put("VIGIL_NOTIFIER_STORM_THRESHOLD", String.valueOf(STORM_THRESHOLD));
            System.out.println("starting the notifier ...");
            notifier = startService(notifierJar, notifierEnv, "BENCH_NOTIFIER_JVM_ARGS", out.resolve("notifier.log"));
        }
        String metricsUrl = "http://127.0.0.1:" + port + "/q/metrics";
        try {
            awaitReady(metricsUrl, evaluator, "evaluator");
            UUID channel = null;
            if (notifier != null) {
                awaitReady("http://127.0.0.1:" + notifierPort + "/q/health/ready", notifier, "notifier");
                channel = createChannel("http://127.0.0.1:" + port, adminKey, receiver.url());
            }
            try (Connection db = DriverManager.getConnection(postgres.jdbcUrl(), EmbeddedPostgresServer.USER,
                    EmbeddedPostgresServer.PASSWORD)) {
                run(new Setup(active, idle, applyOnly, alerting, channel, receiver, notifier), db, producer,
                        kafka.bootstrapServers(), metricsUrl, out);
            }
        } finally {
            stop(notifier);
            stop(evaluator);
            if (receiver != null) {
                receiver.close();
            }
            producer.close(Duration.ofSeconds(2));
            kafka.close();
            postgres.close();
        }
    }

    /** What a run measures: the monitors, the alert leg's channel, receiver and notifier (null without one). */
    private record Setup(int active, int idle, boolean applyOnly, int alerting, UUID channel, WebhookReceiver receiver,
                         Process notifier) {
    }

    private static void run(Setup setup, Connection db, KafkaProducer<String, byte[]> producer, String bootstrap,
                            String metricsUrl, Path out) throws Exception {
        int active = setup.active();
        System.out.printf("inserting %,d active monitors (%,d with the webhook channel) ...%n", active, setup.alerting());
        List<UUID> ids = insertActive(db, active, setup.channel(), setup.alerting());
        Set<UUID> alerting = new HashSet<>(ids.subList(0, setup.alerting()));
        WebhookReceiver receiver = setup.receiver();

        List<Down> downs = Collections.synchronizedList(new ArrayList<>(active));
        Thread tail = new Thread(() -> tail(bootstrap, downs), "bench-tail");
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
        double ceiling = consumeCeiling(bootstrap, 2L * active);
        System.out.printf("baseline, same run: a plain consumer reads and parses %,.0f pings/s from the same topic;"
                + " steady apply rate = %.0f%% of it%n", ceiling, 100 * active / applySeconds / ceiling);
        if (setup.applyOnly()) {
            return;
        }
        Instant firstDue = receivedAt.stream().min(Instant::compareTo).orElse(now).plus(EVERY);
        if (Instant.now().isAfter(firstDue)) {
            System.out.printf("WARNING: the pings were applied only after the first monitor was due (%s):"
                    + " the detection figures include monitors that were late before their ping was applied%n", firstDue);
        }

        Instant lastDown = now.plus(EVERY).plus(GRACE);
        System.out.printf("waiting for %,d DOWN flips (the last is due at %s) ...%n", active, lastDown);
        // until every monitor is DOWN; past the last due time + 60 s only while DOWN flips keep coming (an evaluator
        // that is behind still counts: its lag is what the latency shows)
        long deadline = System.currentTimeMillis() + Duration.between(Instant.now(), lastDown).toMillis() + 60_000;
        long nextReport = 0;
        long seen = 0;
        long lastProgress = System.currentTimeMillis();
        long downCount;
        while ((downCount = downMonitors(downs)) < active
                && (System.currentTimeMillis() < deadline || System.currentTimeMillis() - lastProgress < 60_000)) {
            if (downCount > seen) {
                seen = downCount;
                lastProgress = System.currentTimeMillis();
            }
            nextReport = progress(nextReport, downs, receiver);
            Thread.sleep(500);
        }
        double[] sweepActive = sweepTimer(metricsUrl);

        String notifierLeft = "";
        String notifierSteps = "";
        long alertWaitSeconds = 0;
        if (receiver != null) {
            Duration cap = Duration.parse(System.getenv().getOrDefault("BENCH_ALERT_WAIT", "PT30M"));
            System.out.printf("waiting for %,d webhook alerts (at most %s, or until none arrived for %s) ...%n",
                    expectedAlerts(downs, alerting), cap, ALERT_STALL);
            long waitStarted = System.currentTimeMillis();
            long alertDeadline = waitStarted + cap.toMillis();
            while (receiver.distinctEvents() < expectedAlerts(downs, alerting) && System.currentTimeMillis() < alertDeadline
                    && System.currentTimeMillis() - Math.max(waitStarted, receiver.lastArrival()) < ALERT_STALL.toMillis()) {
                nextReport = progress(nextReport, downs, receiver);
                Thread.sleep(1000);
            }
            alertWaitSeconds = (System.currentTimeMillis() - waitStarted) / 1000;
            notifierLeft = count(db, "SELECT count(*) FROM notifier.delivery WHERE status IN ('PENDING', 'HELD')") + "";
            notifierSteps = notifierSteps(db);
            System.out.printf("stopped waiting after %d s: %,d alerts received, %s deliveries still open in the notifier;"
                    + " stopping the notifier ...%n", alertWaitSeconds, receiver.distinctEvents(), notifierLeft);
            stop(setup.notifier()); // before the idle sweep measurement; a JFR recording is written now
        }

        int idle = setup.idle();
        System.out.printf("inserting %,d idle monitors ...%n", idle);
        long insertStarted = System.nanoTime();
        try (Statement st = db.createStatement()) {
            st.execute("""
                    WITH idle AS (
                        INSERT INTO evaluator.monitor (id, name, slug, schedule_type, every_ms, grace_ms, token,
                            token_hash, badge_id, created_at, updated_at)
                        SELECT gen_random_uuid(), 'idle ' || g, 'idle-' || g, 'interval', 86400000, 3600000,
                            'idle-token-' || g, md5('idle-token-' || g), md5('idle-badge-' || g), now(), now()
                        FROM generate_series(1, %d) AS g
                        RETURNING id, substring(slug from 6)::int AS g)
                    INSERT INTO evaluator.monitor_state (id, kafka_partition, status, due_at, next_alert_at,
                        last_success_at)
                    SELECT id, g %% %d, 'UP', now() + interval '1 day',
                        now() + interval '1 day' + (g %% 3600) * interval '1 second', now()
                    FROM idle""".formatted(idle, PARTITIONS));
            st.execute("ANALYZE evaluator.monitor");
            st.execute("ANALYZE evaluator.monitor_state");
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
        synchronized (downs) {
            for (Down d : downs) {
                toRecord.add(d.recordAt() - d.at());
                toDetected.add(d.detectedAt() - d.at());
            }
        }
        Collections.sort(toRecord);
        Collections.sort(toDetected);
        StringBuilder table = new StringBuilder();
        table.append("# Detection benchmark\n\n");
        table.append(String.format(Locale.ROOT, "%,d active monitors (every %s, grace %s, DOWN times spread over %s),"
                        + " %d partitions, one evaluator, 2-core machine, broker and PostgreSQL embedded.%n",
                active, EVERY, GRACE, SPREAD, PARTITIONS));
        if (receiver != null) {
            table.append(String.format(Locale.ROOT, "Alert leg: one webhook channel (notifyOn DOWN) on %,d of the %,d"
                            + " active monitors, one notifier (webhook rate limit off: VIGIL_NOTIFIER_RATE_WEBHOOK=PT0S;"
                            + " storm threshold %,d, though webhooks are never digested; other settings default),"
                            + " a local webhook receiver answering 200 at once.%n", setup.alerting(), active,
                    STORM_THRESHOLD));
        }
        table.append("\n| measure | p50 | p99 | max | n |\n|---|---|---|---|---|\n");
        table.append(row("due+grace -> flip on vigil.flips.v1", toRecord));
        table.append(row("due+grace -> detectedAt (flip recorded)", toDetected));
        AlertStats alerts = receiver == null ? null : alertStats(downs, alerting, receiver);
        if (alerts != null) {
            table.append(row(String.format(Locale.ROOT, "due+grace -> alert received at the webhook (%,d monitors alert)",
                    setup.alerting()), alerts.toAlert()));
            table.append(row("flip on vigil.flips.v1 -> alert received (the notifier's share)", alerts.flipToAlert()));
            table.append(notifierSteps);
        }
        table.append("\n| measure | value |\n|---|---|\n");
        table.append(String.format(Locale.ROOT, "| ping apply rate, NEW monitors (each ping a flip + outbox record) | %.0f pings/s |%n",
                active / round1[0]));
        table.append(String.format(Locale.ROOT, "| ping apply rate, UP monitors (%,d pings, send to all applied) | %.0f pings/s |%n",
                active, active / applySeconds));
        table.append(String.format(Locale.ROOT, "| baseline: a plain consumer reading and parsing the same pings (no database) | %.0f pings/s"
                + " (steady apply rate = %.0f%% of it) |%n", ceiling, 100 * active / applySeconds / ceiling));
        table.append(String.format(Locale.ROOT, "| sweep pass, mean over the run (%,d stored, ~%.0f due/s) | %.2f ms (%d passes, max %.1f ms) |%n",
                active, active / (double) SPREAD.toSeconds(), mean(sweepActive), (long) sweepActive[0], sweepActive[2] * 1000));
        double[] idleDelta = {after[0] - before[0], after[1] - before[1], after[2]};
        table.append(String.format(Locale.ROOT, "| sweep pass with %,d stored, none due | %.2f ms (%d passes) |%n",
                stored, mean(idleDelta), (long) idleDelta[0]));
        if (alerts != null) {
            table.append(String.format(Locale.ROOT, "| webhook alerts expected (DOWN flips of monitors with the channel)"
                    + " / received (distinct eventIds) / not received by the end of the wait / duplicate requests (same eventId)"
                    + " | %,d / %,d / %,d / %,d |%n",
                    alerts.expected(), alerts.received(), alerts.lost(), alerts.duplicates()));
            table.append(String.format(Locale.ROOT, "| webhook requests that were not a DOWN alert of a bench monitor with"
                    + " the channel, or a second alert (another eventId) for one flip | %,d |%n", alerts.unexpected()));
            table.append(String.format(Locale.ROOT, "| DOWN flips on vigil.flips.v1 per second, first to last | %.0f /s |%n",
                    alerts.flipRate()));
            table.append(String.format(Locale.ROOT, "| notifier throughput: alerts received per second, first to last"
                    + " (busiest 10 s) | %.0f /s (%.0f /s) |%n", alerts.alertRate(), alerts.busiestRate()));
            table.append(String.format(Locale.ROOT, "| notifier deliveries still open when the bench stopped waiting"
                    + " (%d s after the flips were in) | %s |%n", alertWaitSeconds, notifierLeft));
        }
        table.append("\nThe sweep's claim query with ").append(String.format(Locale.ROOT, "%,d", stored))
                .append(" rows stored (EXPLAIN ANALYZE):\n\n```\n").append(plan).append("```\n");
        if (alerts != null) {
            table.append("\nDOWN flips on vigil.flips.v1 and webhook alerts received, per 10 s since the first DOWN flip:\n\n")
                    .append(alerts.timeline());
        }
        System.out.println();
        System.out.println(table);
        Files.writeString(out.resolve("RESULTS.md"), table.toString());
    }

    /**
     * Where the notifier's share goes, from its own tables (first attempts of the DOWN alerts): the flip's
     * {@code detectedAt} to the delivery's creation (relay, broker, the notifier's intake batch), creation to the
     * attempt's start (waiting to be claimed), and the attempt (the HTTP send); as table rows.
     */
    private static String notifierSteps(Connection db) throws Exception {
        String[][] steps = {
            {"detectedAt -> notifier's delivery created (relay, broker, intake)",
                "extract(epoch from d.created_at - (f.payload::json->>'detectedAt')::timestamptz) * 1000"},
            {"notifier's delivery created -> send started (waiting to be claimed)", "extract(epoch from a.at - d.created_at) * 1000"},
            {"send started -> answered (the notifier's attempt duration)", "a.duration_ms"}};
        StringBuilder rows = new StringBuilder();
        for (String[] step : steps) {
            try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("""
                    SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY v), percentile_disc(0.99) WITHIN GROUP (ORDER BY v),
                        max(v), count(*)
                    FROM (SELECT (%s)::float8 AS v FROM notifier.delivery d JOIN notifier.flip f ON f.id = d.flip_id
                        JOIN notifier.attempt a ON a.delivery_id = d.id AND a.at = d.first_attempt_at
                        WHERE d.kind = 'alert' AND d.flip_status = 'DOWN') x""".formatted(step[1]))) {
                rs.next();
                rows.append(rs.getLong(4) == 0 ? "| " + step[0] + " | - | - | - | 0 |\n"
                        : String.format(Locale.ROOT, "| %s | %.0f ms | %.0f ms | %.0f ms | %,d |%n", step[0], rs.getDouble(1),
                                rs.getDouble(2), rs.getDouble(3), rs.getLong(4)));
            }
        }
        return rows.toString();
    }

    /** Prints the DOWN flips and alerts so far every 10 s; answers the next report time. */
    private static long progress(long nextReport, List<Down> downs, WebhookReceiver receiver) {
        long now = System.currentTimeMillis();
        if (now < nextReport) {
            return nextReport;
        }
        if (receiver == null) {
            System.out.printf("%s  DOWN flips %,d%n", Instant.ofEpochMilli(now), downs.size());
        } else {
            System.out.printf("%s  DOWN flips %,d  alerts received %,d%n", Instant.ofEpochMilli(now), downs.size(),
                    receiver.distinctEvents());
        }
        return now + 10_000;
    }

    /** Bench monitors with a DOWN flip so far. */
    private static long downMonitors(List<Down> downs) {
        synchronized (downs) {
            return downs.stream().map(Down::monitor).distinct().count();
        }
    }

    /** The DOWN flips (monitor and at) of monitors with the channel: one webhook alert each. */
    private static long expectedAlerts(List<Down> downs, Set<UUID> alerting) {
        Set<String> flips = new HashSet<>();
        synchronized (downs) {
            for (Down d : downs) {
                if (alerting.contains(d.monitor())) {
                    flips.add(d.key());
                }
            }
        }
        return flips.size();
    }

    /** The alert leg's figures. */
    private record AlertStats(List<Long> toAlert, List<Long> flipToAlert, long expected, long received, long lost,
                              long duplicates, long unexpected, double flipRate, double alertRate, double busiestRate,
                              String timeline) {
    }

    private static AlertStats alertStats(List<Down> downs, Set<UUID> alerting, WebhookReceiver receiver) {
        Map<String, Down> down = new HashMap<>(); // first record of each DOWN flip
        long firstFlip = Long.MAX_VALUE;
        long lastFlip = Long.MIN_VALUE;
        synchronized (downs) {
            for (Down d : downs) {
                down.putIfAbsent(d.key(), d);
                firstFlip = Math.min(firstFlip, d.recordAt());
                lastFlip = Math.max(lastFlip, d.recordAt());
            }
        }
        Set<String> expected = new HashSet<>();
        for (Down d : down.values()) {
            if (alerting.contains(d.monitor())) {
                expected.add(d.key());
            }
        }
        List<WebhookReceiver.Arrival> arrivals = receiver.arrivals();
        Set<String> events = new HashSet<>();
        Set<String> alerted = new HashSet<>();
        List<Long> toAlert = new ArrayList<>();
        List<Long> flipToAlert = new ArrayList<>();
        List<Long> alertTimes = new ArrayList<>();
        long duplicates = 0;
        long unexpected = 0;
        for (WebhookReceiver.Arrival a : arrivals) {
            if (a.eventId() == null) {
                unexpected++;
                continue;
            }
            if (!events.add(a.eventId())) {
                duplicates++; // the same event delivered again
                continue;
            }
            String key = a.monitor() + "@" + a.occurredAt();
            if (!"alert".equals(a.type()) || !"DOWN".equals(a.status()) || !expected.contains(key) || !alerted.add(key)) {
                unexpected++; // not a DOWN alert of a bench flip with the channel, or a second alert for one flip
                continue;
            }
            toAlert.add(a.arrivedAt() - a.occurredAt());
            flipToAlert.add(a.arrivedAt() - down.get(key).recordAt());
            alertTimes.add(a.arrivedAt());
        }
        Collections.sort(toAlert);
        Collections.sort(flipToAlert);
        Collections.sort(alertTimes);
        double flipRate = down.size() < 2 ? 0 : (down.size() - 1) * 1000.0 / Math.max(1, lastFlip - firstFlip);
        double alertRate = alertTimes.size() < 2 ? 0
                : (alertTimes.size() - 1) * 1000.0 / Math.max(1, alertTimes.get(alertTimes.size() - 1) - alertTimes.get(0));
        // per 10 s bucket since the first DOWN flip: flips and alerts
        Map<Long, long[]> buckets = new java.util.TreeMap<>();
        long origin = firstFlip == Long.MAX_VALUE ? 0 : firstFlip;
        for (Down d : down.values()) {
            if (!expected.contains(d.key())) {
                continue;
            }
            buckets.computeIfAbsent((d.recordAt() - origin) / 10_000, k -> new long[2])[0]++;
        }
        for (long t : alertTimes) {
            buckets.computeIfAbsent((t - origin) / 10_000, k -> new long[2])[1]++;
        }
        long busiest = 0;
        StringBuilder timeline = new StringBuilder("| seconds | DOWN flips (monitors with the channel) | alerts received | alerts behind flips (cumulative) |\n|---|---|---|---|\n");
        long flipsSoFar = 0;
        long alertsSoFar = 0;
        for (Map.Entry<Long, long[]> e : buckets.entrySet()) {
            flipsSoFar += e.getValue()[0];
            alertsSoFar += e.getValue()[1];
            busiest = Math.max(busiest, e.getValue()[1]);
            timeline.append(String.format(Locale.ROOT, "| %d-%d | %,d | %,d | %,d |%n", e.getKey() * 10, e.getKey() * 10 + 10,
                    e.getValue()[0], e.getValue()[1], flipsSoFar - alertsSoFar));
        }
        return new AlertStats(toAlert, flipToAlert, expected.size(), alerted.size(), expected.size() - alerted.size(),
                duplicates, unexpected, flipRate, alertRate, busiest / 10.0, timeline.toString());
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
        // no producer.flush(): it sometimes blocked for 60 to 110 s after every ping had been applied (seen in
        // three runs; the evaluator's log showed the round done), which made the round's rate meaningless; the
        // database is the judge of when the round is done
        long applied;
        long nextReport = System.currentTimeMillis() + 10_000;
        do {
            Thread.sleep(200);
            applied = count(db, "SELECT count(*) FROM evaluator.monitor JOIN evaluator.monitor_state USING (id)"
                    + " WHERE ping_count >= " + round + " AND NOT system");
            if (System.currentTimeMillis() >= nextReport) {
                System.out.printf("%s  round %d: %,d applied%n", Instant.now(), round, applied);
                nextReport += 10_000;
            }
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

    /** Inserts n NEW monitors; the first {@code alerting} of them name the channel, as the admin API would store it. */
    private static List<UUID> insertActive(Connection db, int n, UUID channel, int alerting) throws Exception {
        List<UUID> ids = new ArrayList<>(n);
        java.sql.Array withChannel = db.createArrayOf("uuid", channel == null ? new Object[0] : new Object[] {channel});
        java.sql.Array none = db.createArrayOf("uuid", new Object[0]);
        db.setAutoCommit(false);
        try (PreparedStatement st = db.prepareStatement("""
                INSERT INTO evaluator.monitor (id, name, slug, schedule_type, every_ms, grace_ms, token, token_hash,
                    channel_ids, badge_id, created_at, updated_at)
                VALUES (?, ?, ?, 'interval', ?, ?, ?, ?, ?, replace(gen_random_uuid()::text, '-', ''), now(), now())""");
             PreparedStatement state = db.prepareStatement(
                     "INSERT INTO evaluator.monitor_state (id, kafka_partition, status) VALUES (?, ?, 'NEW')")) {
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
                st.setArray(8, i < alerting ? withChannel : none);
                st.addBatch();
                state.setObject(1, id);
                state.setInt(2, Utils.toPositive(Utils.murmur2(id.toString().getBytes(StandardCharsets.UTF_8))) % PARTITIONS);
                state.addBatch();
                if (i % 1000 == 999) {
                    st.executeBatch();
                    state.executeBatch();
                }
            }
            st.executeBatch();
            state.executeBatch();
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
                EXPLAIN ANALYZE SELECT * FROM evaluator.monitor JOIN evaluator.monitor_state USING (id)
                WHERE kafka_partition = 3 AND next_alert_at IS NOT NULL AND next_alert_at < ?
                ORDER BY next_alert_at LIMIT 500 FOR UPDATE OF monitor SKIP LOCKED""")) {
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

    private static void awaitReady(String url, Process service, String name) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            if (!service.isAlive()) {
                throw new IllegalStateException("the " + name + " exited; see bench/detection/target/" + name + ".log");
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // still starting
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the " + name + " did not start within 120 s");
    }

    /** Starts a packaged service as its own JVM, with extra JVM options from the environment variable named. */
    private static Process startService(Path jar, Map<String, String> env, String jvmArgsVariable, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        String jvmArgs = System.getenv().getOrDefault(jvmArgsVariable, ""); // e.g. a JFR recording
        if (!jvmArgs.isBlank()) {
            command.addAll(List.of(jvmArgs.trim().split("\\s+")));
        }
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        Process process = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        return process;
    }

    /** Stops a service (SIGTERM, so a JFR recording is written), forcibly after 60 s. */
    private static void stop(Process service) throws InterruptedException {
        if (service == null || !service.isAlive()) {
            return;
        }
        service.destroy();
        if (!service.waitFor(60, TimeUnit.SECONDS)) {
            service.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** Creates the webhook channel through the admin API (which publishes it on vigil.channels.v1); answers its id. */
    private static UUID createChannel(String adminUrl, String adminKey, String webhookUrl) throws Exception {
        String body = Json.mapper().writeValueAsString(Map.of("name", "bench-webhook", "type", "webhook",
                "config", Map.of("url", webhookUrl, "method", "POST"), "notifyOn", List.of("DOWN")));
        // HTTP/1.1: the JDK client's default h2c upgrade of a POST with a body gets a 500 from the admin API
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(adminUrl + "/api/v1/channels"))
                .header("Authorization", "Bearer " + adminKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("creating the webhook channel answered " + response.statusCode() + ": " + response.body());
        }
        return UUID.fromString(Json.mapper().readTree(response.body()).path("id").asText());
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

    /**
     * The apply rate's ceiling on this machine, measured in the same run: a plain consumer reading the pings
     * topic from the start and parsing every record as the evaluator does, with no database, until it has seen
     * {@code pings} pings.
     */
    private static double consumeCeiling(String bootstrap, long pings) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("enable.auto.commit", "false");
        props.put("max.poll.records", "1000"); // as the evaluator polls
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> tps = consumer.partitionsFor(Topics.PINGS, Duration.ofSeconds(10)).stream()
                    .map(i -> new TopicPartition(Topics.PINGS, i.partition())).toList();
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            long seen = 0;
            long started = System.nanoTime();
            while (seen < pings) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (Json.read(r.value(), PingsRecord.class) instanceof PingReceived) {
                        seen++;
                    }
                }
            }
            return seen / ((System.nanoTime() - started) / 1e9);
        }
    }

    private static void tail(String bootstrap, List<Down> downs) {
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
                        downs.add(new Down(flip.monitor().id(), flip.occurredAt().toEpochMilli(), r.timestamp(),
                                flip.detectedAt().toEpochMilli()));
                    }
                }
            }
        }
    }

    /**
     * The local webhook receiver: a JDK HTTP server on loopback that answers 200 at once and keeps, per
     * request, only what the measurement needs (event id, type, status, monitor id, occurredAt, arrival time),
     * not the request itself, so 100,000 alerts cost a few megabytes.
     */
    static final class WebhookReceiver implements AutoCloseable {

        /** One request: the webhook event's fields the bench uses and when it arrived (epoch ms). */
        record Arrival(String eventId, String type, String status, UUID monitor, long occurredAt, long arrivedAt) {
        }

        private final HttpServer server;
        private final java.util.concurrent.ExecutorService executor;
        private final List<Arrival> arrivals = Collections.synchronizedList(new ArrayList<>());
        private final Set<String> events = ConcurrentHashMap.newKeySet();
        private final AtomicLong lastArrival = new AtomicLong();

        private WebhookReceiver(HttpServer server, java.util.concurrent.ExecutorService executor) {
            this.server = server;
            this.executor = executor;
        }

        static WebhookReceiver start() throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
            java.util.concurrent.ExecutorService executor = Executors.newFixedThreadPool(4, runnable -> {
                Thread thread = new Thread(runnable, "bench-webhook");
                thread.setDaemon(true);
                return thread;
            });
            WebhookReceiver receiver = new WebhookReceiver(server, executor);
            server.createContext("/alerts", receiver::handle);
            server.setExecutor(executor);
            server.start();
            return receiver;
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/alerts";
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (exchange; InputStream in = exchange.getRequestBody()) {
                byte[] body = in.readAllBytes();
                long arrived = System.currentTimeMillis();
                Arrival arrival;
                try {
                    JsonNode event = Json.read(body, JsonNode.class);
                    String monitor = event.path("monitor").path("id").asText(null);
                    String occurredAt = event.path("occurredAt").asText(null);
                    arrival = new Arrival(event.path("eventId").asText(null), event.path("type").asText(null),
                            event.path("status").asText(null), monitor == null ? null : UUID.fromString(monitor),
                            occurredAt == null ? 0 : Instant.parse(occurredAt).toEpochMilli(), arrived);
                } catch (RuntimeException malformed) {
                    arrival = new Arrival(null, null, null, null, 0, arrived);
                }
                arrivals.add(arrival);
                if (arrival.eventId() != null) {
                    events.add(arrival.eventId());
                }
                lastArrival.set(arrived);
                exchange.sendResponseHeaders(200, -1);
            }
        }

        long distinctEvents() {
            return events.size();
        }

        long lastArrival() {
            return lastArrival.get();
        }

        List<Arrival> arrivals() {
            synchronized (arrivals) {
                return new ArrayList<>(arrivals);
            }
        }

        @Override
        public void close() {
            server.stop(0);
            executor.shutdownNow();
        }
    }
}
