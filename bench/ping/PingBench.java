import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vigil.contracts.Json;
import io.vigil.contracts.MonitorRegistered;
import io.vigil.contracts.TokenHash;
import io.vigil.contracts.Topics;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The ping benchmark's load generator and helpers (run as a single-file program by run.sh, with the
 * ingest service's libraries on the class path):
 * <pre>
 *   freeport                                         print a free loopback port
 *   setup  TOKENS_FILE N INGEST_URL KAFKA [ADMIN_URL ADMIN_KEY]
 *                                                    create N monitors (admin API, else registry topic)
 *   load   NAME BASE_URL TOKENS_FILE|ok CONNECTIONS SECONDS [RATE]
 *                                                    closed loop (or open loop at RATE/s), prints a RESULT line
 *   lag    EVALUATOR_URL                             print the evaluator's vigil_consumer_lag
 *   big    BASE_URL TOKENS_FILE SENDERS SECONDS MIN_MIB MAX_MIB [INTERVAL_MS]
 *                                                    SENDERS threads each POSTing bodies of MIN..MAX MiB
 *                                                    to ping URLs in a loop (one every INTERVAL_MS at
 *                                                    most; 0: back to back), prints a RESULT line
 * </pre>
 * Latency is measured from the time a request was due (open loop) or sent (closed loop) to the
 * end of its answer; only 200 answers count as durable pings.
 */
public class PingBench {

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "freeport" -> {
                try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                    System.out.println(socket.getLocalPort());
                }
            }
            case "setup" -> setup(Path.of(args[1]), Integer.parseInt(args[2]), args[3], args[4],
                    args.length > 6 ? args[5] : null, args.length > 6 ? args[6] : null);
            case "load" -> load(args[1], URI.create(args[2]), args[3], Integer.parseInt(args[4]), Integer.parseInt(args[5]),
                    args.length > 6 ? Integer.parseInt(args[6]) : 0);
            case "lag" -> System.out.println(lag(args[1]));
            case "big" -> big(URI.create(args[1]), Path.of(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]), Integer.parseInt(args[6]), args.length > 7 ? Integer.parseInt(args[7]) : 0);
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }

    // ---- setup -------------------------------------------------------------------------------

    static void setup(Path tokensFile, int count, String ingestUrl, String kafka, String adminUrl, String adminKey) throws Exception {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            tokens.add("bench_" + UUID.randomUUID().toString().replace("-", ""));
        }
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        if (adminUrl != null && !adminApiAnswers(http, adminUrl, adminKey)) {
            System.err.println("the evaluator at " + adminUrl + " has no monitors API: registering on the topic instead");
            adminUrl = null;
        }
        if (adminUrl != null) {
            String run = Long.toString(System.currentTimeMillis(), 36);
            for (int i = 0; i < count; i++) {
                String body = "{\"name\":\"bench-" + run + "-" + i + "\",\"schedule\":{\"type\":\"interval\",\"every\":\"PT1H\"},"
                        + "\"grace\":\"PT1H\",\"token\":\"" + tokens.get(i) + "\"}";
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(adminUrl + "/api/v1/monitors"))
                        .header("Authorization", "Bearer " + adminKey).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 201) {
                    throw new IllegalStateException("creating a monitor answered " + response.statusCode() + ": " + response.body());
                }
            }
            System.err.println("created " + count + " monitors through the admin API");
        } else {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
                for (String token : tokens) {
                    UUID id = UUID.randomUUID();
                    producer.send(new ProducerRecord<>(Topics.MONITORS, id.toString(),
                            Json.write(new MonitorRegistered(id, "bench-" + id, TokenHash.of(token), 1))));
                }
                producer.flush();
            }
            System.err.println("registered " + count + " monitors straight on " + Topics.MONITORS);
        }
        Files.write(tokensFile, tokens);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (String token : List.of(tokens.get(0), tokens.get(tokens.size() - 1))) {
            while (http.send(HttpRequest.newBuilder(URI.create(ingestUrl + "/ping/" + token + "/log")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("ingest did not accept the bench tokens within 60 s");
                }
                Thread.sleep(100);
            }
        }
    }

    static boolean adminApiAnswers(java.net.http.HttpClient http, String adminUrl, String adminKey) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(adminUrl + "/api/v1/monitors?limit=1"))
                .header("Authorization", "Bearer " + adminKey).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    }

    // ---- load --------------------------------------------------------------------------------

    /** Latencies in microseconds, up to 10 s; only touched on the generator's one event loop. */
    static final class Histogram {
        final int[] counts = new int[10_000_001];
        long total;
        long max;

        void record(long micros) {
            long m = Math.min(micros, counts.length - 1);
            counts[(int) m]++;
            total++;
            max = Math.max(max, micros);
        }

        double percentileMillis(double p) {
            long rank = (long) Math.ceil(p / 100.0 * total);
            long seen = 0;
            for (int i = 0; i < counts.length; i++) {
                seen += counts[i];
                if (seen >= rank && rank > 0) {
                    return i / 1000.0;
                }
            }
            return 0;
        }
    }

    static void load(String name, URI base, String target, int connections, int seconds, int rate) throws Exception {
        List<String> paths = new ArrayList<>();
        if (target.equals("ok")) {
            paths.add("/bench/ok");
        } else {
            for (String token : Files.readAllLines(Path.of(target))) {
                if (!token.isBlank()) {
                    paths.add("/ping/" + token.trim());
                }
            }
        }
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(false));
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(base.getHost()).setDefaultPort(base.getPort())
                .setKeepAlive(true).setPipelining(false).setConnectTimeout(5000), new PoolOptions().setHttp1MaxSize(connections));
        // Unmeasured: open the connections and warm this JVM up with the same requests.
        new Phase(vertx, client, paths, connections, 3, 0).run();
        Phase phase = new Phase(vertx, client, paths, connections, seconds, rate);
        phase.run();
        client.close().toCompletionStage().toCompletableFuture().get();
        vertx.close().toCompletionStage().toCompletableFuture().get();
        System.out.printf("RESULT %s ok=%d non200=%d errors=%d ok_per_s=%.0f p50_ms=%.2f p99_ms=%.2f p999_ms=%.2f max_ms=%.1f%s%n",
                name, phase.ok, phase.failed, phase.errors, phase.ok / (double) seconds, phase.histogram.percentileMillis(50),
                phase.histogram.percentileMillis(99), phase.histogram.percentileMillis(99.9), phase.histogram.max / 1000.0,
                phase.firstError == null ? "" : " first_error=" + phase.firstError);
    }

    /** One timed run: closed loop over {@code connections} (rate 0) or open loop at {@code rate} requests/s. */
    static final class Phase {
        final Vertx vertx;
        final HttpClient client;
        final List<String> paths;
        final int connections;
        final long durationNanos;
        final int rate;
        final Histogram histogram = new Histogram();
        final CountDownLatch done = new CountDownLatch(1);
        long ok;
        long failed;
        long errors;
        String firstError;
        long startedAt;
        long inFlight;
        boolean finished;
        int next = ThreadLocalRandom.current().nextInt(1 << 20);

        Phase(Vertx vertx, HttpClient client, List<String> paths, int connections, int seconds, int rate) {
            this.vertx = vertx;
            this.client = client;
            this.paths = paths;
            this.connections = connections;
            this.durationNanos = Duration.ofSeconds(seconds).toNanos();
            this.rate = rate;
        }

        void run() throws InterruptedException {
            Context context = vertx.getOrCreateContext();
            context.runOnContext(v -> start());
            done.await();
        }

        private void start() {
            startedAt = System.nanoTime();
            if (rate <= 0) {
                for (int i = 0; i < connections; i++) {
                    fire(System.nanoTime(), true);
                }
                return;
            }
            long[] sent = new long[1];
            vertx.setPeriodic(1, id -> {
                long now = System.nanoTime();
                long elapsed = now - startedAt;
                if (elapsed > durationNanos) {
                    vertx.cancelTimer(id);
                    finishIfIdle(now);
                    return;
                }
                long due = elapsed * rate / 1_000_000_000L;
                for (; sent[0] < due; sent[0]++) {
                    // Its due time: the latency includes any wait for a free connection (no coordinated omission).
                    fire(startedAt + sent[0] * 1_000_000_000L / rate, false);
                }
            });
        }

        private void fire(long dueNanos, boolean again) {
            String path = paths.get(Math.floorMod(next++, paths.size()));
            inFlight++;
            client.request(HttpMethod.GET, path)
                    .compose(req -> req.send().compose(resp -> resp.body().map(body -> resp.statusCode())))
                    .onComplete(result -> {
                        inFlight--;
                        long now = System.nanoTime();
                        boolean inWindow = now - startedAt <= durationNanos;
                        if (inWindow) {
                            histogram.record((now - dueNanos) / 1000);
                            if (result.succeeded() && result.result() == 200) {
                                ok++;
                            } else if (result.succeeded()) {
                                failed++;
                            } else {
                                errors++;
                                if (firstError == null) {
                                    firstError = String.valueOf(result.cause());
                                }
                            }
                        }
                        if (again && inWindow) {
                            fire(System.nanoTime(), true);
                        } else if (!inWindow) {
                            finishIfIdle(now);
                        }
                    });
        }

        private void finishIfIdle(long now) {
            if (inFlight == 0 && !finished && now - startedAt > durationNanos) {
                finished = true;
                done.countDown();
            }
        }
    }

    // ---- big bodies --------------------------------------------------------------------------

    /**
     * Large uploads next to the small-ping runs: each sender POSTs one body after another (a random
     * size between the bounds, random bytes) to a random ping URL, for {@code seconds}; with an
     * interval, a sender starts a body at most every {@code intervalMs}.
     */
    static void big(URI base, Path tokensFile, int senders, int seconds, int minMib, int maxMib, int intervalMs) throws Exception {
        List<String> tokens = Files.readAllLines(tokensFile).stream().map(String::trim).filter(t -> !t.isEmpty()).toList();
        byte[] body = new byte[maxMib << 20];
        ThreadLocalRandom.current().nextBytes(body);
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        java.util.concurrent.atomic.AtomicLong ok = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong other = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong errors = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong bytes = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicReference<String> firstProblem = new java.util.concurrent.atomic.AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < senders; i++) {
            Thread thread = new Thread(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                long nextStart = System.nanoTime();
                while (System.nanoTime() < deadline) {
                    long wait = nextStart - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                        continue;
                    }
                    nextStart += intervalMs * 1_000_000L;
                    int size = random.nextInt(minMib << 20, (maxMib << 20) + 1);
                    URI uri = base.resolve("/ping/" + tokens.get(random.nextInt(tokens.size())));
                    try {
                        HttpResponse<Void> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body, 0, size)).build(), HttpResponse.BodyHandlers.discarding());
                        if (response.statusCode() == 200) {
                            ok.incrementAndGet();
                            bytes.addAndGet(size);
                        } else {
                            other.incrementAndGet();
                            firstProblem.compareAndSet(null, "status " + response.statusCode());
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                        firstProblem.compareAndSet(null, e.toString());
                    }
                }
            }, "big-sender-" + i);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        System.out.printf("RESULT big senders=%d ok=%d non200=%d errors=%d mib_per_s=%.1f bodies_per_s=%.1f interval_ms=%d%s%n", senders, ok.get(), other.get(),
                errors.get(), bytes.get() / 1048576.0 / elapsed, ok.get() / elapsed, intervalMs,
                firstProblem.get() == null ? "" : " first_problem=" + firstProblem.get().replace(' ', '_'));
    }

    // ---- lag ---------------------------------------------------------------------------------

    static String lag(String evaluatorUrl) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        String metrics = http.send(HttpRequest.newBuilder(URI.create(evaluatorUrl + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        double sum = 0;
        boolean found = false;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("vigil_consumer_lag")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                found = true;
            }
        }
        return found ? String.format("%.0f", sum) : "n/a";
    }
}
