package io.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.contracts.Json;
import io.vigil.contracts.Topics;
import io.vigil.testkit.EmbeddedPostgresServer;
import io.vigil.testkit.FreePorts;
import io.vigil.testkit.SharedInfra;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A crash in the middle of a batch, and a takeover, with real processes. The packaged ingest and two
 * packaged evaluators run as separate processes on one fresh database and the shared broker; the two
 * evaluators are started at the same moment on the empty database (each migrates it and ensures the
 * installation row and the admin key; the key's race itself is pinned down by the evaluator's
 * AdminKeyBootstrapTest). While client threads keep pinging a few hundred monitors spread over every
 * partition, one evaluator is killed with SIGKILL right after a last ping to some short-schedule monitors:
 * no shutdown, no clean leave of the consumer group, whatever batch it was applying cut. The survivor takes
 * its partitions over once the group's session timeout ({@code VIGIL_KAFKA_SESSION_TIMEOUT}, here the
 * broker's minimum of 6 s) has passed, and the killed instance is started again and takes partitions back,
 * all with pings still flowing. Read back through the admin API only, every monitor has applied exactly the
 * pings that ingest answered {@code 200} (none lost, none applied twice: {@code pingCount} and the newest
 * ping's {@code n}), is UP and has exactly one flip, NEW to UP; the short-schedule monitors (every 2 s,
 * grace 1 s), silent from just before the kill, each have exactly one LATE at their due time and one DOWN
 * at due time plus grace, whichever instance's sweep found them; and {@code vigil-pipeline} never went
 * DOWN, since the takeover is quicker than its stall threshold (30 s).
 *
 * <p>It fails when the evaluator stores a partition's offset apart from the pings it applied (a batch lost
 * at the kill), when a new owner does not resume at the stored offset (pings lost, or replayed and applied
 * twice; the ping history is kept at 5 so that its event-id check cannot hide a replay).
 */
class EvaluatorFailoverIT {

    private static final String ADMIN_KEY = "e2e-failover-" + UUID.randomUUID();
    private static final String GROUP = "vigil-evaluator";
    /** The broker's smallest allowed session timeout (group.min.session.timeout.ms). */
    private static final String SESSION_TIMEOUT = "6s";
    private static final int STEADY_MONITORS = 240;
    private static final int SHORT_MONITORS = 16;
    private static final int SENDERS = 3;

    private static final long STARTED = System.nanoTime();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private static final Map<String, String> env = new HashMap<>();
    private static final List<ServiceProcess> started = new ArrayList<>();
    private static ServiceProcess survivor;
    private static ServiceProcess victim;
    private static int victimPort;
    private static Admin kafka;

    /** A monitor under load: its ping URL, partition, and what ingest answered for it. */
    private record Watched(String id, String pingUrl, int partition, AtomicInteger ok, AtomicInteger uncertain) {
        Watched(String id, String pingUrl, int partition) {
            this(id, pingUrl, partition, new AtomicInteger(), new AtomicInteger());
        }
    }

    @BeforeAll
    static void startVigil() throws Exception {
        EmbeddedPostgresServer postgres = SharedInfra.postgres();
        String database = "failover_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + postgres.port() + "/postgres",
                EmbeddedPostgresServer.USER, EmbeddedPostgresServer.PASSWORD);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        kafka = SharedInfra.kafka().admin();
        int ingestPort = FreePorts.take();
        env.put("VIGIL_KAFKA_BOOTSTRAP", SharedInfra.kafka().bootstrapServers());
        env.put("VIGIL_DB_URL", "jdbc:postgresql://127.0.0.1:" + postgres.port() + "/" + database);
        env.put("VIGIL_DB_USER", EmbeddedPostgresServer.USER);
        env.put("VIGIL_DB_PASSWORD", EmbeddedPostgresServer.PASSWORD);
        env.put("VIGIL_ADMIN_KEY", ADMIN_KEY);
        env.put("VIGIL_PUBLIC_URL", "http://127.0.0.1:" + ingestPort);
        env.put("VIGIL_INGEST_PORT", String.valueOf(ingestPort));
        env.put("VIGIL_NOTIFIER_URL", "http://127.0.0.1:" + FreePorts.take());
        env.put("VIGIL_KAFKA_SESSION_TIMEOUT", SESSION_TIMEOUT);
        // A short history, so that a ping applied twice is not hidden by the event-id check of the ring.
        env.put("VIGIL_PING_HISTORY", "5");

        track(ServiceProcess.start("ingest-service", ingestPort, env));
        // Both evaluators bootstrap the empty database at the same moment.
        int survivorPort = FreePorts.take();
        victimPort = FreePorts.take();
        survivor = track(launchEvaluator("evaluator-a", survivorPort));
        victim = track(launchEvaluator("evaluator-b", victimPort));
        survivor.awaitReady();
        victim.awaitReady();
        phase("ingest and two evaluators ready");
    }

    private static ServiceProcess launchEvaluator(String instance, int port) {
        Map<String, String> own = new HashMap<>(env);
        own.put("VIGIL_EVALUATOR_PORT", String.valueOf(port));
        own.put("VIGIL_ADMIN_URL", "http://127.0.0.1:" + port);
        return ServiceProcess.launch("evaluator-service", instance, port, own);
    }

    private static ServiceProcess track(ServiceProcess process) {
        started.add(process);
        return process;
    }

    @AfterAll
    static void stopVigil() {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void killedEvaluatorsPartitionsAreTakenOverWithNoPingLostOrAppliedTwice() throws Exception {
        int partitions = kafka.describeTopics(List.of(Topics.PINGS)).allTopicNames().get(10, TimeUnit.SECONDS)
                .get(Topics.PINGS).partitions().size();
        String tag = "failover-" + UUID.randomUUID().toString().substring(0, 8);
        List<Callable<Watched>> steadyCreates = new ArrayList<>();
        for (int i = 0; i < STEADY_MONITORS; i++) {
            ServiceProcess via = i % 2 == 0 ? survivor : victim;
            String name = "steady-" + i;
            steadyCreates.add(() -> create(via, tag, name, "PT1H", null, partitions));
        }
        List<Watched> steady = inParallel(steadyCreates);
        List<Callable<Watched>> silentCreates = new ArrayList<>();
        for (int i = 0; i < SHORT_MONITORS; i++) {
            ServiceProcess via = i % 2 == 0 ? survivor : victim;
            String name = "silent-" + i;
            silentCreates.add(() -> create(via, tag, name, "PT2S", "PT1S", partitions));
        }
        List<Watched> silent = inParallel(silentCreates);
        phase("created %d monitors", steady.size() + silent.size());
        assertThat(steady).extracting(Watched::partition).containsAll(range(partitions));

        await("both evaluators apply partitions").atMost(Duration.ofSeconds(30))
                .until(() -> assignments().size() == 2 && assignments().values().stream().noneMatch(Set::isEmpty));

        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        Load load = new Load();
        List<Future<?>> running = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            List<Watched> share = new ArrayList<>();
            for (int i = s; i < steady.size(); i += SENDERS) {
                share.add(steady.get(i));
            }
            running.add(senders.submit(() -> load.send(share)));
        }
        try {
            await("every steady monitor UP").atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> assertThat(statuses(survivor, tag, "steady-")).as("steady monitors' statuses")
                            .allSatisfy((id, status) -> assertThat(status).isEqualTo("UP")));
            phase("every steady monitor UP");
            Map<String, Set<Integer>> before = assignments();
            assertThat(before).hasSize(2);

            // The silent monitors' last ping, then the crash: their deadlines pass while nobody applies the
            // victim's partitions.
            for (Watched w : silent) {
                await("silent monitor's ping accepted").atMost(Duration.ofSeconds(10)).until(() -> {
                    int status = ping(w);
                    assertThat(status).as("answer to a silent monitor's ping").isIn(200, 404); // 404: not yet known
                    return status == 200;
                });
            }
            long pingsAtKill = load.answered.get();
            victim.kill();
            Instant killedAt = Instant.now();

            await("the survivor holds every partition").atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        Map<String, Set<Integer>> now = assignments();
                        return now.size() == 1 && now.values().iterator().next().size() == partitions;
                    });
            Duration takeover = Duration.between(killedAt, Instant.now());
            String survivorMember = assignments().keySet().iterator().next();
            Set<Integer> orphaned = new HashSet<>();
            before.forEach((member, owned) -> {
                if (!member.equals(survivorMember)) {
                    orphaned.addAll(owned);
                }
            });
            assertThat(orphaned).isNotEmpty();
            phase("killed the instance of partitions %s after %d answered pings; the survivor took them over %d ms later",
                    orphaned, pingsAtKill, takeover.toMillis());

            // The survivor applies the orphaned partitions' pings, and finds the silent monitors DOWN.
            awaitProgress(steady.stream().filter(w -> orphaned.contains(w.partition())).toList(), "the survivor");
            // (a silent monitor still NEW never had its ping applied)
            await("every silent monitor DOWN").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> assertThat(statuses(survivor, tag, "silent-")).as("silent monitors' statuses")
                            .allSatisfy((id, status) -> assertThat(status).isEqualTo("DOWN")));
            phase("the survivor applies the orphaned partitions; every silent monitor DOWN");

            // The killed instance comes back and takes partitions back, pings still flowing.
            victim = track(launchEvaluator("evaluator-b-restarted", victimPort));
            victim.awaitReady();
            phase("the killed instance is back");
            await("the restarted instance applies partitions again").atMost(Duration.ofSeconds(40))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> assignments().size() == 2 && assignments().values().stream().noneMatch(Set::isEmpty));
            Set<Integer> returned = new HashSet<>();
            assignments().forEach((member, owned) -> {
                if (!member.equals(survivorMember)) {
                    returned.addAll(owned);
                }
            });
            awaitProgress(steady.stream().filter(w -> returned.contains(w.partition())).toList(), "the restarted instance");
            phase("the restarted instance applies partitions %s", returned);
        } finally {
            load.stop();
            senders.shutdown();
            assertThat(senders.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        for (Future<?> sender : running) {
            sender.get(); // a sender that failed fails the test
        }
        phase("stopped sending: %d pings answered 200, %d answered otherwise or not at all", load.answered.get(),
                load.unsure.get());

        // Quiet: every answered ping applied and nothing changing any more (or, when pings were lost, nothing
        // changing for 5 s: the assertions below then say which).
        AtomicLong lastTotal = new AtomicLong(-1);
        AtomicInteger unchanged = new AtomicInteger();
        await("every answered ping applied, nothing more").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    Map<String, Long> counts = pingCounts(survivor, tag, "steady-");
                    long total = counts.values().stream().mapToLong(Long::longValue).sum();
                    boolean caughtUp = steady.stream().allMatch(w -> counts.get(w.id()) >= w.ok().get());
                    if (total != lastTotal.getAndSet(total)) {
                        unchanged.set(-1);
                    }
                    int quietPolls = unchanged.incrementAndGet();
                    return caughtUp && quietPolls >= 1 || quietPolls >= 5;
                });
        phase("the evaluators are quiet");

        ServiceProcess reader = victim;
        List<JsonNode> items = monitors(reader, tag);
        assertThat(items).hasSize(STEADY_MONITORS + SHORT_MONITORS);
        List<Callable<Seen>> reads = new ArrayList<>();
        for (JsonNode item : items) {
            reads.add(() -> seen(reader, item));
        }
        Map<String, Seen> seen = new HashMap<>();
        inParallel(reads).forEach(s -> seen.put(s.id(), s));
        phase("read back every monitor");
        for (Watched w : steady) {
            Seen s = seen.get(w.id());
            assertThat(s.status()).as("status of %s", s.name()).isEqualTo("UP");
            assertThat(s.pingCount()).as("pings applied for %s (answered 200: %d, unsure: %d)", s.name(), w.ok().get(),
                    w.uncertain().get()).isBetween((long) w.ok().get(), (long) w.ok().get() + w.uncertain().get());
            assertThat(s.newestPing()).as("newest ping number of %s", s.name()).isEqualTo(s.pingCount());
            assertThat(s.flips()).as("flips of %s", s.name()).containsExactly("NEW>UP ok");
        }
        for (Watched w : silent) {
            Seen s = seen.get(w.id());
            assertThat(s.status()).as("status of %s", s.name()).isEqualTo("DOWN");
            assertThat(s.pingCount()).as("pings applied for %s", s.name()).isEqualTo(1);
            assertThat(s.flips()).as("flips of %s on partition %d", s.name(), w.partition())
                    .containsExactly("LATE>DOWN missed", "UP>LATE missed", "NEW>UP ok");
            // at: due + grace, the due time, the ping's time, whichever instance's sweep found them
            assertThat(s.flipTimes()).as("flip times of %s", s.name())
                    .containsExactly(s.lastPingAt().plusSeconds(3), s.lastPingAt().plusSeconds(2), s.lastPingAt());
        }

        JsonNode pipeline = monitors(reader, null).stream().filter(m -> m.get("slug").asText().equals("vigil-pipeline"))
                .findFirst().orElseThrow();
        assertThat(flips(reader, pipeline.get("id").asText())).as("vigil-pipeline's flips")
                .noneMatch(f -> f.get("to").asText().equals("DOWN"));
    }

    /** A monitor as the admin API shows it at the end: status, counts and its flips, newest first. */
    private record Seen(String id, String name, String status, long pingCount, long newestPing, Instant lastPingAt,
                        List<String> flips, List<Instant> flipTimes) {
    }

    private static Seen seen(ServiceProcess evaluator, JsonNode item) {
        String id = item.get("id").asText();
        long newest = get(evaluator, "/monitors/" + id + "/pings?limit=1").get("items").get(0).get("n").asLong();
        List<JsonNode> flips = flips(evaluator, id);
        return new Seen(id, item.get("name").asText(), item.get("status").asText(), item.get("pingCount").asLong(), newest,
                Instant.parse(item.get("lastPingAt").asText()),
                flips.stream().map(f -> f.get("from").asText() + ">" + f.get("to").asText() + " " + f.get("reason").asText()).toList(),
                flips.stream().map(f -> Instant.parse(f.get("at").asText())).toList());
    }

    /** Runs {@code calls} on a few threads; the results in order, or the first failure. */
    private static <T> List<T> inParallel(List<Callable<T>> calls) throws InterruptedException, ExecutionException {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<T> out = new ArrayList<>();
            for (Future<T> result : pool.invokeAll(calls)) {
                out.add(result.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** A line in the test's output per phase, with the seconds since the class was loaded. */
    private static void phase(String format, Object... args) {
        System.out.printf("EvaluatorFailoverIT %5.1f s: %s%n", (System.nanoTime() - STARTED) / 1e9, String.format(format, args));
    }

    /** Sends success pings round the monitors until stopped, counting every answer per monitor. */
    private static final class Load {
        private volatile boolean sending = true;
        final AtomicLong answered = new AtomicLong();
        final AtomicLong unsure = new AtomicLong();

        void send(List<Watched> monitors) {
            while (sending) {
                for (Watched w : monitors) {
                    if (!sending) {
                        return;
                    }
                    int status = ping(w);
                    if (status == 200) {
                        w.ok().incrementAndGet();
                        answered.incrementAndGet();
                    } else if (status != 404) {
                        // a 503, a timeout or a cut connection: the ping may or may not have been stored
                        w.uncertain().incrementAndGet();
                        unsure.incrementAndGet();
                    }
                }
            }
        }

        void stop() {
            sending = false;
        }
    }

    /** One success ping: the answer's status, or -1 when there was none. */
    private static int ping(Watched w) {
        return ServiceProcess.get(w.pingUrl(), Duration.ofSeconds(10));
    }

    /** Waits until every one of {@code monitors} has applied pings beyond what it had now. */
    private static void awaitProgress(List<Watched> monitors, String who) {
        assertThat(monitors).as("monitors on %s's partitions", who).isNotEmpty();
        Map<String, Long> then = pingCounts(survivor, null, null);
        await(who + " applies its partitions' pings").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    Map<String, Long> now = pingCounts(survivor, null, null);
                    return monitors.stream().allMatch(w -> now.get(w.id()) > then.get(w.id()));
                });
    }

    /** Each member of the evaluators' group (by client id) and the partitions of the pings topic it holds. */
    private static Map<String, Set<Integer>> assignments() throws InterruptedException, ExecutionException, TimeoutException {
        ConsumerGroupDescription group = kafka.describeConsumerGroups(List.of(GROUP)).describedGroups().get(GROUP)
                .get(10, TimeUnit.SECONDS);
        Map<String, Set<Integer>> out = new HashMap<>();
        for (MemberDescription member : group.members()) {
            Set<Integer> owned = new HashSet<>();
            for (TopicPartition tp : member.assignment().topicPartitions()) {
                if (tp.topic().equals(Topics.PINGS)) {
                    owned.add(tp.partition());
                }
            }
            out.put(member.clientId(), owned);
        }
        return out;
    }

    private static Watched create(ServiceProcess evaluator, String tag, String name, String every, String grace, int partitions) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", tag + "-" + name);
        body.put("tags", List.of(tag));
        body.put("schedule", Map.of("type", "interval", "every", every));
        if (grace != null) {
            body.put("grace", grace);
        }
        JsonNode created = call(evaluator, "POST", "/monitors", body, 201);
        String id = created.get("id").asText();
        int partition = Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % partitions;
        return new Watched(id, created.get("pingUrl").asText(), partition);
    }

    /** One admin API request with the admin key: the answer's JSON, after checking its status. */
    private static JsonNode call(ServiceProcess evaluator, String method, String path, Object body, int expected) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(evaluator.baseUrl() + "/api/v1" + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + ADMIN_KEY);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(Json.write(body)));
        }
        try {
            HttpResponse<byte[]> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).as("%s %s: %s", method, path, new String(response.body(), StandardCharsets.UTF_8))
                    .isEqualTo(expected);
            return Json.mapper().readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode get(ServiceProcess evaluator, String path) {
        return call(evaluator, "GET", path, null, 200);
    }

    /** The monitors of {@code tag} (every monitor when null), in one page. */
    private static List<JsonNode> monitors(ServiceProcess evaluator, String tag) {
        JsonNode page = get(evaluator, "/monitors?limit=500" + (tag == null ? "" : "&tag=" + tag));
        assertThat(page.get("nextCursor").isNull()).as("one page").isTrue();
        List<JsonNode> out = new ArrayList<>();
        page.get("items").forEach(out::add);
        return out;
    }

    /** The status of each monitor whose name starts with {@code tag-prefix}. */
    private static Map<String, String> statuses(ServiceProcess evaluator, String tag, String prefix) {
        Map<String, String> out = new HashMap<>();
        for (JsonNode item : monitors(evaluator, tag)) {
            if (item.get("name").asText().startsWith(tag + "-" + prefix)) {
                out.put(item.get("id").asText(), item.get("status").asText());
            }
        }
        return out;
    }

    /** The ping count of every monitor (of {@code tag} and name prefix, when given). */
    private static Map<String, Long> pingCounts(ServiceProcess evaluator, String tag, String prefix) {
        Map<String, Long> out = new HashMap<>();
        for (JsonNode item : monitors(evaluator, tag)) {
            if (prefix == null || item.get("name").asText().startsWith(tag + "-" + prefix)) {
                out.put(item.get("id").asText(), item.get("pingCount").asLong());
            }
        }
        return out;
    }

    /** A monitor's flips, newest first. */
    private static List<JsonNode> flips(ServiceProcess evaluator, String id) {
        JsonNode page = get(evaluator, "/monitors/" + id + "/flips?limit=500");
        List<JsonNode> out = new ArrayList<>();
        page.get("items").forEach(out::add);
        return out;
    }

    private static Set<Integer> range(int n) {
        Set<Integer> out = new HashSet<>();
        for (int i = 0; i < n; i++) {
            out.add(i);
        }
        return out;
    }
}
