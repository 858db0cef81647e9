package io.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.contracts.Json;
import io.vigil.testkit.EmbeddedKafka;
import io.vigil.testkit.EmbeddedPostgresServer;
import io.vigil.testkit.FreePorts;
import io.vigil.testkit.HttpReceiver;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Outages survived, not hidden, with the three packaged services running under load. The class has its
 * own PostgreSQL and broker (the testkit's, stopped and started again on the same port and data), a
 * webhook receiver, and one ingest, evaluator and notifier, shared by the scenarios; each scenario makes
 * its own monitors (its own tag) and first makes sure every service is up, so no scenario depends on
 * another. Health is sampled from outside ({@code /q/health/live}, {@code /q/health/ready}) twice a second
 * throughout, and each scenario prints its counts on a line starting with {@code OUTAGE}.
 *
 * <ul>
 *   <li>PostgreSQL away for 20 s while monitors are pinged: every consumer and loop recovers by itself,
 *       every ping answered 200 is applied exactly once, monitors that truly missed go DOWN at their own
 *       times (not at the recovery) and alert once; the evaluator's and the notifier's readiness reflect
 *       the lost database, and everything is live and ready again after.</li>
 *   <li>The broker away for 20 s: ingest answers 503 with Retry-After meanwhile, then 200 again; nothing
 *       answered 200 is lost, no flip is invented.</li>
 *   <li>The notifier killed with SIGKILL in the middle of a storm of 1,000 DOWN alerts and started again:
 *       every alert is delivered, only in-flight ones repeated (same eventId).</li>
 * </ul>
 */
class OutagesIT {

    private static final String ADMIN_KEY = "e2e-outages-" + UUID.randomUUID();
    private static final String INTERNAL_TOKEN = "e2e-internal-" + UUID.randomUUID();
    private static final Duration OUTAGE = Duration.ofSeconds(20);
    /** Sends in flight per notifier instance (VIGIL_NOTIFIER_DISPATCH_CONCURRENCY): the most a crash may repeat. */
    private static final int NOTIFIER_CONCURRENCY = 8;
    private static final long STARTED = System.nanoTime();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private static EmbeddedPostgresServer postgres;
    private static EmbeddedKafka kafka;
    private static HttpReceiver hooks;
    private static final Map<String, String> env = new HashMap<>();
    private static final Map<String, Integer> ports = new LinkedHashMap<>();
    private static final Map<String, ServiceProcess> services = new ConcurrentHashMap<>();
    private static final List<ServiceProcess> started = new CopyOnWriteArrayList<>();
    private static final AtomicInteger restarts = new AtomicInteger();
    /** Set while a scenario runs, cleared when it passed: a failed scenario may leave a service broken but live. */
    private static volatile boolean dirty;
    private static AdminApi admin;
    private static HealthSampler health;

    @BeforeAll
    static void startVigil() {
        postgres = EmbeddedPostgresServer.startTemporary("vigil");
        kafka = EmbeddedKafka.startTemporary();
        hooks = HttpReceiver.start();
        for (String service : List.of("evaluator-service", "notifier-service", "ingest-service")) {
            ports.put(service, FreePorts.take());
        }
        env.putAll(StackEnv.of(kafka.bootstrapServers(), postgres.jdbcUrl(), ports.get("ingest-service"),
                ports.get("evaluator-service"), ports.get("notifier-service"), ADMIN_KEY, INTERNAL_TOKEN));
        env.put("VIGIL_NOTIFIER_DISPATCH_CONCURRENCY", String.valueOf(NOTIFIER_CONCURRENCY));
        env.put("VIGIL_KAFKA_SESSION_TIMEOUT", "6s");
        List<ServiceProcess> launched = new ArrayList<>();
        ports.keySet().forEach(service -> launched.add(launch(service)));
        launched.forEach(ServiceProcess::awaitReady);
        admin = new AdminApi(services.get("evaluator-service").baseUrl(), ADMIN_KEY);
        health = new HealthSampler();
        phase("setup", "PostgreSQL, broker and the three services ready");
    }

    private static ServiceProcess launch(String service) {
        String instance = service.replace("-service", "") + "-" + started.size();
        ServiceProcess process = ServiceProcess.launch(service, "outages-" + instance, ports.get(service), env);
        services.put(service, process);
        started.add(process);
        return process;
    }

    @AfterAll
    static void stopVigil() {
        if (health != null) {
            health.close();
        }
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
        for (AutoCloseable closeable : new AutoCloseable[] {hooks, kafka, postgres}) {
            if (closeable != null) {
                try {
                    closeable.close();
                } catch (Exception ignored) {
                    // best effort; the JVM's exit stops the rest
                }
            }
        }
    }

    /**
     * Every scenario starts from a running Vigil: the infrastructure up, every service ready. After a
     * scenario that failed (which may have left a service broken while it still answers live), or when a
     * service is dead or not live, the services are started again, and said so, so that scenarios do not
     * depend on each other. A scenario that passed has itself shown that everything recovered.
     */
    @BeforeEach
    void everythingRunning() {
        postgres.restart();
        kafka.restart();
        List<ServiceProcess> relaunched = new ArrayList<>();
        for (String service : ports.keySet()) {
            ServiceProcess process = services.get(service);
            if (dirty || !process.isAlive() || process.statusOf("/q/health/live") != 200) {
                phase("setup", "%s: starting it again (%s)", service,
                        dirty ? "the previous scenario failed" : process.isAlive() ? "not live" : "dead");
                process.close();
                relaunched.add(launch(service));
                restarts.incrementAndGet();
            }
        }
        relaunched.forEach(ServiceProcess::awaitReady);
        ports.keySet().forEach(service -> services.get(service).awaitReady());
        dirty = true;
    }

    @Test
    void postgresAwayFor20sUnderLoad() throws Exception {
        String tag = tag("pg");
        String hookPath = "/" + tag;
        String channel = webhookChannel(tag, hookPath);
        List<Watched> steady = create(tag, "steady", 8, "PT10S", "PT5S", channel);
        List<Watched> silent = create(tag, "silent", 6, "PT4S", "PT3S", channel);
        try (Load load = new Load(steady)) {
            awaitStatus(steady, "UP", Duration.ofSeconds(30));
            for (Watched w : silent) {
                awaitAccepted(w);
            }
            await("silent monitors' ping applied").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                    .until(() -> admin.monitors(tag).stream().filter(m -> m.get("name").asText().contains("-silent-"))
                            .allMatch(m -> m.get("pingCount").asLong() == 1 && m.get("status").asText().equals("UP")));
            Map<String, Instant> lastPing = new HashMap<>();
            for (Watched w : silent) {
                lastPing.put(w.id(), Instant.parse(admin.get("/monitors/" + w.id()).get("lastPingAt").asText()));
            }

            Instant stopped = Instant.now();
            postgres.stop();
            phase("pg", "PostgreSQL stopped; %d pings answered 200 so far", load.ok());
            awaitFor(OUTAGE);
            postgres.restart();
            Instant back = Instant.now();
            phase("pg", "PostgreSQL back after %d ms; %d pings answered 200 so far", Duration.between(stopped, back).toMillis(), load.ok());
            HealthSampler.Window outage = health.window(stopped, back);

            awaitHealthy("after the PostgreSQL outage");
            // Pings keep flowing a while after the recovery, then the counts are settled.
            awaitFor(Duration.ofSeconds(5));
            load.stop();
            Counts counts = settle(tag, steady, load);

            // Monitors that truly missed: LATE at due, DOWN at due + grace, each its own, recorded after the recovery.
            int flipsExpected = 0;
            int flipsRecorded = 0;
            List<String> wrongFlips = new ArrayList<>();
            List<String> mistimed = new ArrayList<>();
            boolean silentDown = within("silent monitors DOWN", Duration.ofSeconds(30),
                    () -> silent.stream().allMatch(w -> admin.get("/monitors/" + w.id()).get("status").asText().equals("DOWN")));
            for (Watched w : silent) {
                Instant ping = lastPing.get(w.id());
                List<JsonNode> flips = admin.flips(w.id());
                flipsExpected += 3;
                flipsRecorded += flips.size();
                List<String> seen = flips.stream().map(f -> f.get("from").asText() + ">" + f.get("to").asText()).toList();
                if (!seen.equals(List.of("NEW>UP", "UP>LATE", "LATE>DOWN"))) {
                    wrongFlips.add(w.name() + " " + seen);
                    continue;
                }
                mistimed.addAll(mistimed(w, flips.get(1), ping.plusSeconds(4)));
                mistimed.addAll(mistimed(w, flips.get(2), ping.plusSeconds(7)));
            }
            for (Watched w : steady) {
                List<JsonNode> flips = admin.flips(w.id());
                flipsExpected += 1;
                flipsRecorded += flips.size();
                List<String> seen = flips.stream().map(f -> f.get("from").asText() + ">" + f.get("to").asText()).toList();
                if (!seen.equals(List.of("NEW>UP"))) {
                    wrongFlips.add(w.name() + " " + seen);
                }
            }

            // One DOWN alert per silent monitor.
            // (when they never went DOWN, no alert is coming: a short look for stray ones)
            within("one DOWN alert per silent monitor", Duration.ofSeconds(silentDown ? 30 : 3),
                    () -> downAlerts(hookPath).keySet().containsAll(ids(silent)));
            awaitFor(Duration.ofSeconds(2)); // a repeated alert would come within the receiver's answer time
            Alerts alerts = Alerts.of(hooks.requests(hookPath), ids(silent));
            phase("pg", "OUTAGE postgres: answered 200 %d / applied %d / lost %d (other answers %d); flips expected %d / recorded %d;"
                            + " alerts expected %d / delivered %d / duplicated %d; health during the outage: %s",
                    counts.answered, counts.applied, counts.lost, counts.unsure, flipsExpected, flipsRecorded,
                    silent.size(), alerts.delivered, alerts.duplicated, outage);

            assertThat(counts.lost).as("pings answered 200 and not applied").isZero();
            assertThat(counts.over).as("pings applied twice (pingCount above the pings ingest answered at all)").isZero();
            assertThat(wrongFlips).as("monitors whose flips are not the expected ones").isEmpty();
            assertThat(mistimed).as("flips not at their own times (due, due + grace)").isEmpty();
            assertThat(alerts.missing).as("silent monitors without their DOWN alert").isEmpty();
            assertThat(alerts.duplicated).as("DOWN alerts delivered twice").isZero();
            assertThat(alerts.extra).as("alerts other than the silent monitors' DOWN").isEmpty();
            // a check that did not answer within 2 s is no statement: readiness must say 503
            assertThat(outage.answered("evaluator-service", "ready", 503)).as("evaluator readiness 503 without its database").isTrue();
            assertThat(outage.answered("notifier-service", "ready", 503)).as("notifier readiness 503 without its database").isTrue();
            assertThat(outage.answered("ingest-service", "ready", 503)).as("ingest (no database) stays ready").isFalse();
        }
        dirty = false;
    }

    @Test
    void brokerAwayFor20sUnderLoad() throws Exception {
        String tag = tag("kafka");
        List<Watched> steady = create(tag, "steady", 8, "PT1M", "PT30S", null);
        try (Load load = new Load(steady)) {
            awaitStatus(steady, "UP", Duration.ofSeconds(30));
            Instant stopped = Instant.now();
            long okBefore = load.ok();
            kafka.stop();
            phase("kafka", "broker stopped; %d pings answered 200 so far", okBefore);
            awaitFor(OUTAGE);
            kafka.restart();
            Instant back = Instant.now();
            phase("kafka", "broker back after %d ms", Duration.between(stopped, back).toMillis());
            HealthSampler.Window outage = health.window(stopped, back);
            List<Answer> during = load.answers(stopped.plusSeconds(3), back); // past the pings in flight at the stop

            within("ingest answers 200 again", Duration.ofSeconds(60),
                    () -> load.answers(Instant.now().minusSeconds(2), Instant.now()).stream().anyMatch(a -> a.status == 200));
            Instant firstOkAgain = load.firstOkAfter(back);
            boolean healthy = within("every service live and ready after the broker outage", Duration.ofSeconds(60),
                    () -> ports.keySet().stream().allMatch(service -> services.get(service).statusOf("/q/health/live") == 200
                            && services.get(service).statusOf("/q/health/ready") == 200));
            awaitFor(Duration.ofSeconds(5));
            load.stop();
            Counts counts = settle(tag, steady, load);
            int flipsRecorded = 0;
            List<String> wrongFlips = new ArrayList<>();
            for (Watched w : steady) {
                List<JsonNode> flips = admin.flips(w.id());
                flipsRecorded += flips.size();
                List<String> seen = flips.stream().map(f -> f.get("from").asText() + ">" + f.get("to").asText()).toList();
                if (!seen.equals(List.of("NEW>UP"))) {
                    wrongFlips.add(w.name() + " " + seen);
                }
            }
            Map<Integer, Long> statuses = during.stream().collect(Collectors.groupingBy(a -> a.status, Collectors.counting()));
            long withoutRetryAfter = during.stream().filter(a -> a.status == 503 && a.retryAfter == null).count();
            phase("kafka", "OUTAGE kafka: answered 200 %d / applied %d / lost %d (other answers %d, applied of those %d);"
                            + " answers during the outage %s (503 without Retry-After: %d); 200 again %s ms after the restart;"
                            + " flips expected %d / recorded %d; health during the outage: %s",
                    counts.answered, counts.applied, counts.lost, counts.unsure, counts.appliedUnsure, statuses, withoutRetryAfter,
                    firstOkAgain == null ? "never" : Duration.between(back, firstOkAgain).toMillis(), steady.size(), flipsRecorded,
                    outage);

            assertThat(firstOkAgain).as("a ping answered 200 after the broker came back").isNotNull();
            assertThat(healthy).as("every service live and ready after the broker outage").isTrue();
            assertThat(during).as("pings sent while the broker was away").isNotEmpty();
            assertThat(statuses.keySet()).as("answers while the broker was away").containsOnly(503);
            assertThat(withoutRetryAfter).as("503s without Retry-After").isZero();
            assertThat(outage.answered("evaluator-service", "ready", 503)).as("evaluator readiness 503 without the broker").isTrue();
            assertThat(outage.answered("notifier-service", "ready", 503)).as("notifier readiness 503 without the broker").isTrue();
            assertThat(counts.lost).as("pings answered 200 and not applied").isZero();
            assertThat(counts.over).as("pings applied beyond those ingest answered at all").isZero();
            assertThat(wrongFlips).as("monitors with flips besides NEW>UP").isEmpty();
        }
        dirty = false;
    }

    @Test
    void notifierKilledInTheMiddleOfAStormOf1000Alerts() throws Exception {
        String tag = tag("storm");
        // Webhooks are rate-limited per URL (one message per 50 ms): ten URLs of 100 monitors each make a
        // storm of several seconds, long enough to kill the notifier in its middle.
        int targets = 10;
        int perTarget = 100;
        List<String> channels = new ArrayList<>();
        for (int t = 0; t < targets; t++) {
            channels.add(webhookChannel(tag + "-" + t, "/" + tag + "/" + t));
        }
        List<Callable<Watched>> creates = new ArrayList<>();
        for (int i = 0; i < targets * perTarget; i++) {
            String channel = channels.get(i % targets);
            String name = tag + "-m-" + i;
            creates.add(() -> createOne(tag, name, "PT3S", "PT2S", channel));
        }
        List<Watched> monitors = inParallel(creates, 4);
        phase("storm", "created %d monitors on %d webhook URLs", monitors.size(), targets);
        // One ping each (accepted once the registry has reached ingest); 5 s later they are all DOWN.
        List<Callable<Boolean>> pings = new ArrayList<>();
        for (Watched w : monitors) {
            pings.add(() -> {
                awaitAccepted(w);
                return true;
            });
        }
        inParallel(pings, 8);
        phase("storm", "pinged every monitor once");

        AtomicInteger seen = new AtomicInteger();
        await("the storm under way").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    seen.set(stormRequests(tag).size());
                    return seen.get() >= 150;
                });
        ServiceProcess notifier = services.get("notifier-service");
        notifier.kill();
        int atKill = stormRequests(tag).size();
        phase("storm", "notifier killed with SIGKILL after %d alerts received", atKill);
        assertThat(atKill).as("alerts received at the kill: the storm is in its middle").isLessThan(monitors.size() * 8 / 10);
        Instant killed = Instant.now();
        ServiceProcess restarted = launch("notifier-service");
        restarted.awaitReady();
        phase("storm", "notifier back, ready %d ms after the kill", Duration.between(killed, Instant.now()).toMillis());

        Set<String> ids = ids(monitors);
        within("every DOWN alert delivered", Duration.ofSeconds(120), () -> {
            Map<String, Set<String>> down = new HashMap<>();
            for (HttpReceiver.Request request : stormRequests(tag)) {
                Event event = Event.of(request);
                if (event.status.equals("DOWN")) {
                    down.computeIfAbsent(event.monitorId, k -> ConcurrentHashMap.newKeySet()).add(event.eventId);
                }
            }
            return down.keySet().containsAll(ids);
        });
        awaitQuiet(() -> stormRequests(tag).size(), Duration.ofSeconds(3));
        Alerts alerts = Alerts.of(stormRequests(tag), ids);
        long flipsDown = monitors.stream().filter(w -> admin.get("/monitors/" + w.id()).get("status").asText().equals("DOWN")).count();
        phase("storm", "OUTAGE notifier-kill: alerts expected %d / delivered %d / duplicated %d (received at the kill %d);"
                        + " monitors DOWN %d; eventIds per monitor above one: %d",
                ids.size(), alerts.delivered, alerts.duplicated, atKill, flipsDown, alerts.monitorsWithSeveralEvents);

        assertThat(alerts.missing).as("monitors without their DOWN alert").isEmpty();
        assertThat(alerts.monitorsWithSeveralEvents).as("monitors with more than one DOWN eventId").isZero();
        assertThat(alerts.duplicated).as("alerts repeated after the crash (at most the sends in flight)")
                .isLessThanOrEqualTo(NOTIFIER_CONCURRENCY);
        assertThat(alerts.extra).as("alerts other than the monitors' DOWN").isEmpty();
        dirty = false;
    }

    // ---- scenario helpers

    private static String tag(String scenario) {
        return scenario + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String webhookChannel(String name, String path) {
        return admin.post("/channels", Map.of("name", "hook-" + name, "type", "webhook",
                "config", Map.of("url", hooks.url(path), "method", "POST"))).get("id").asText();
    }

    /** A monitor under load: its ping URL and what ingest answered for it. */
    private record Watched(String id, String name, String pingUrl, AtomicInteger ok, AtomicInteger unsure) {
    }

    private static List<Watched> create(String tag, String kind, int count, String every, String grace, String channel)
            throws Exception {
        List<Callable<Watched>> creates = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = tag + "-" + kind + "-" + i;
            creates.add(() -> createOne(tag, name, every, grace, channel));
        }
        return inParallel(creates, 4);
    }

    private static Watched createOne(String tag, String name, String every, String grace, String channel) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("tags", List.of(tag));
        body.put("schedule", Map.of("type", "interval", "every", every));
        body.put("grace", grace);
        body.put("channels", channel == null ? List.of() : List.of(channel));
        JsonNode created = admin.post("/monitors", body);
        return new Watched(created.get("id").asText(), name, created.get("pingUrl").asText(), new AtomicInteger(), new AtomicInteger());
    }

    /** Pings until ingest answers 200 (404 while the registry has not reached it yet), counting it. */
    private static void awaitAccepted(Watched w) {
        await("ping accepted").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            Answer answer = ping(w);
            if (answer.status == 200) {
                w.ok().incrementAndGet();
            } else if (answer.status != 404) {
                w.unsure().incrementAndGet();
            }
            return answer.status == 200;
        });
    }

    private static void awaitStatus(List<Watched> monitors, String status, Duration within) {
        await("monitors " + status).atMost(within).pollInterval(Duration.ofMillis(500))
                .until(() -> monitors.stream().allMatch(w -> admin.get("/monitors/" + w.id()).get("status").asText().equals(status)));
    }

    /** Every service live and ready again (by itself: nothing is restarted here). */
    private static void awaitHealthy(String when) {
        Instant from = Instant.now();
        for (String service : ports.keySet()) {
            ServiceProcess process = services.get(service);
            await(service + " live and ready " + when).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .failFast(service + " exited; see " + process.logFile(), () -> !process.isAlive())
                    .until(() -> process.statusOf("/q/health/live") == 200 && process.statusOf("/q/health/ready") == 200);
        }
        phase("health", "every service live and ready %s (%d ms)", when, Duration.between(from, Instant.now()).toMillis());
    }

    /** The flip, when its {@code at} is not within a second of {@code expected}. */
    private static List<String> mistimed(Watched w, JsonNode flip, Instant expected) {
        Instant at = Instant.parse(flip.get("at").asText());
        return Duration.between(expected, at).abs().compareTo(Duration.ofSeconds(1)) <= 0 ? List.of()
                : List.of(String.format("%s's %s>%s at %s, expected at %s", w.name(), flip.get("from").asText(),
                        flip.get("to").asText(), at, expected));
    }

    /** Waits up to {@code time} for {@code condition}: whether it came, so that the counts are printed either way. */
    private static boolean within(String alias, Duration time, Callable<Boolean> condition) {
        try {
            await(alias).atMost(time).pollInterval(Duration.ofMillis(500)).until(condition);
            return true;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            phase("wait", "%s: not within %d s", alias, time.toSeconds());
            return false;
        }
    }

    /** Answered 200 / applied / lost, once every answered ping had time to be applied. */
    private record Counts(long answered, long applied, long lost, long over, long unsure, long appliedUnsure) {
    }

    private static Counts settle(String tag, List<Watched> monitors, Load load) {
        Map<String, Watched> byId = monitors.stream().collect(Collectors.toMap(Watched::id, Function.identity()));
        Map<String, Long> applied = new HashMap<>();
        // Nothing changing for 5 s (and, when pings are missing, for 10 s): the counts then say what was lost or doubled.
        awaitQuiet(() -> {
            applied.clear();
            for (JsonNode m : admin.monitors(tag)) {
                if (byId.containsKey(m.get("id").asText())) {
                    applied.put(m.get("id").asText(), m.get("pingCount").asLong());
                }
            }
            return applied.values().stream().mapToLong(Long::longValue).sum();
        }, Duration.ofSeconds(5));
        long answered = 0;
        long appliedTotal = 0;
        long lost = 0;
        long over = 0;
        long unsure = 0;
        long appliedUnsure = 0;
        for (Watched w : monitors) {
            long count = applied.getOrDefault(w.id(), 0L);
            answered += w.ok().get();
            unsure += w.unsure().get();
            appliedTotal += count;
            lost += Math.max(0, w.ok().get() - count);
            over += Math.max(0, count - w.ok().get() - w.unsure().get());
            appliedUnsure += Math.max(0, Math.min(count - w.ok().get(), w.unsure().get()));
        }
        return new Counts(answered, appliedTotal, lost, over, unsure, appliedUnsure);
    }

    /** Waits until {@code value} stays the same for {@code quiet}, at most 2 minutes. */
    private static void awaitQuiet(Callable<? extends Number> value, Duration quiet) {
        long[] last = {Long.MIN_VALUE};
        long[] since = {System.nanoTime()};
        await("quiet").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).until(() -> {
            long now = value.call().longValue();
            if (now != last[0]) {
                last[0] = now;
                since[0] = System.nanoTime();
            }
            return System.nanoTime() - since[0] >= quiet.toNanos();
        });
    }

    /** Lets {@code time} pass while the load and the health sampler run. */
    private static void awaitFor(Duration time) {
        Instant until = Instant.now().plus(time);
        await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200)).atMost(time.plusSeconds(5))
                .until(() -> !Instant.now().isBefore(until));
    }

    private static Set<String> ids(List<Watched> monitors) {
        return monitors.stream().map(Watched::id).collect(Collectors.toSet());
    }

    private static List<HttpReceiver.Request> stormRequests(String tag) {
        return hooks.requests().stream().filter(request -> request.path().startsWith("/" + tag + "/")).toList();
    }

    /** The DOWN alerts to {@code path}: their eventIds, by monitor. */
    private static Map<String, Set<String>> downAlerts(String path) {
        Map<String, Set<String>> out = new HashMap<>();
        for (HttpReceiver.Request request : hooks.requests(path)) {
            Event event = Event.of(request);
            if (event.status.equals("DOWN")) {
                out.computeIfAbsent(event.monitorId, k -> new java.util.HashSet<>()).add(event.eventId);
            }
        }
        return out;
    }

    /** One webhook request as an alert. */
    private record Event(String type, String eventId, String monitorId, String status) {
        static Event of(HttpReceiver.Request request) {
            JsonNode body = Json.read(request.body(), JsonNode.class);
            return new Event(body.path("type").asText(), body.path("eventId").asText(), body.path("monitor").path("id").asText(),
                    body.path("status").asText());
        }
    }

    /** Delivered (distinct eventIds), duplicated (requests beyond them), what is missing or unexpected. */
    private record Alerts(int delivered, int duplicated, Set<String> missing, List<String> extra, int monitorsWithSeveralEvents) {
        static Alerts of(List<HttpReceiver.Request> requests, Set<String> downExpected) {
            Map<String, Set<String>> eventsByMonitor = new HashMap<>();
            Set<String> eventIds = new java.util.HashSet<>();
            List<String> extra = new ArrayList<>();
            int down = 0;
            for (HttpReceiver.Request request : requests) {
                Event event = Event.of(request);
                if (!event.type.equals("alert") || !event.status.equals("DOWN") || !downExpected.contains(event.monitorId)) {
                    extra.add(event.toString());
                    continue;
                }
                down++;
                eventIds.add(event.eventId);
                eventsByMonitor.computeIfAbsent(event.monitorId, k -> new java.util.HashSet<>()).add(event.eventId);
            }
            Set<String> missing = new java.util.HashSet<>(downExpected);
            missing.removeAll(eventsByMonitor.keySet());
            int several = (int) eventsByMonitor.values().stream().filter(events -> events.size() > 1).count();
            return new Alerts(eventIds.size(), down - eventIds.size(), missing, extra, several);
        }
    }

    private static <T> List<T> inParallel(List<Callable<T>> tasks, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<T> out = new ArrayList<>();
            for (Future<T> result : pool.invokeAll(tasks)) {
                out.add(result.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void phase(String scenario, String format, Object... args) {
        System.out.printf("OutagesIT %6.1f s [%s]: %s%n", (System.nanoTime() - STARTED) / 1e9, scenario, String.format(format, args));
    }

    // ---- pings

    /** One answer of ingest: when, its status (-1: none), its Retry-After header. */
    private record Answer(Instant at, int status, String retryAfter) {
    }

    private static Answer ping(Watched w) {
        Instant at = Instant.now();
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(w.pingUrl())).timeout(Duration.ofSeconds(10)).build();
            HttpResponse<Void> response = HTTP.send(request, HttpResponse.BodyHandlers.discarding());
            return new Answer(at, response.statusCode(), response.headers().firstValue("Retry-After").orElse(null));
        } catch (IOException e) {
            return new Answer(at, -1, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(at, -1, null);
        }
    }

    /**
     * Each monitor pinged twice a second, each by its own task on a fixed rate, every answer counted
     * (200: must be applied; anything else but 404: may or may not have been stored) and kept.
     */
    private static final class Load implements AutoCloseable {
        private final ScheduledExecutorService pool;
        private final List<Answer> answers = new CopyOnWriteArrayList<>();
        private final AtomicInteger ok = new AtomicInteger();

        Load(List<Watched> monitors) {
            pool = Executors.newScheduledThreadPool(monitors.size());
            for (Watched w : monitors) {
                pool.scheduleAtFixedRate(() -> {
                    Answer answer = ping(w);
                    answers.add(answer);
                    if (answer.status == 200) {
                        w.ok().incrementAndGet();
                        ok.incrementAndGet();
                    } else if (answer.status != 404) {
                        w.unsure().incrementAndGet();
                    }
                }, 0, 500, TimeUnit.MILLISECONDS);
            }
        }

        int ok() {
            return ok.get();
        }

        List<Answer> answers(Instant from, Instant to) {
            return answers.stream().filter(a -> !a.at.isBefore(from) && a.at.isBefore(to)).toList();
        }

        Instant firstOkAfter(Instant from) {
            return answers.stream().filter(a -> a.status == 200 && !a.at.isBefore(from)).map(Answer::at).min(Instant::compareTo)
                    .orElse(null);
        }

        void stop() {
            pool.shutdown();
            try {
                if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("pings still running 30 s after the load stopped");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            pool.shutdownNow();
        }
    }

    // ---- health from outside

    /**
     * Polls every service's liveness and readiness twice a second, each on its own thread (a check that
     * does not answer within 2 s, recorded as -1, delays no other), keeping each answer.
     */
    private static final class HealthSampler implements AutoCloseable {
        private record Sample(Instant at, String service, String check, int status) {
        }

        private final ScheduledExecutorService pool = Executors.newScheduledThreadPool(6);
        private final List<Sample> samples = new CopyOnWriteArrayList<>();

        HealthSampler() {
            for (String service : ports.keySet()) {
                String base = "http://127.0.0.1:" + ports.get(service);
                for (String check : List.of("live", "ready")) {
                    pool.scheduleWithFixedDelay(() -> samples.add(new Sample(Instant.now(), service, check,
                            ServiceProcess.get(base + "/q/health/" + check, Duration.ofSeconds(2)))), 0, 500, TimeUnit.MILLISECONDS);
                }
            }
        }

        /** The samples taken between {@code from} and {@code to}. */
        Window window(Instant from, Instant to) {
            return new Window(samples.stream().filter(s -> !s.at.isBefore(from) && s.at.isBefore(to)).toList());
        }

        /** Samples of one period: per service and check, how many answered 200, 503 and nothing. */
        record Window(List<Sample> samples) {
            boolean sawDown(String service, String check) {
                return samples.stream().anyMatch(s -> s.service.equals(service) && s.check.equals(check) && s.status != 200);
            }

            boolean answered(String service, String check, int status) {
                return samples.stream().anyMatch(s -> s.service.equals(service) && s.check.equals(check) && s.status == status);
            }

            @Override
            public String toString() {
                Map<String, Map<Integer, Long>> byCheck = new java.util.TreeMap<>();
                for (Sample s : samples) {
                    byCheck.computeIfAbsent(s.service.replace("-service", "") + " " + s.check, k -> new java.util.TreeMap<>())
                            .merge(s.status, 1L, Long::sum);
                }
                return byCheck.toString();
            }
        }

        @Override
        public void close() {
            pool.shutdownNow();
        }
    }
}
