package io.vigil.bench.storm;

import io.vigil.contracts.ChannelChanged;
import io.vigil.contracts.ChannelType;
import io.vigil.contracts.Json;
import io.vigil.contracts.MonitorFlipped;
import io.vigil.contracts.Status;
import io.vigil.contracts.Topics;
import io.vigil.testkit.EmbeddedKafka;
import io.vigil.testkit.EmbeddedPostgresServer;
import io.vigil.testkit.FreePorts;
import io.vigil.testkit.HttpReceiver;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The alert-storm benchmark: a packaged notifier (its own JVM, default settings) against a real
 * broker and PostgreSQL, ten local HTTP targets as channels (4 Slack, 3 Teams, 3 webhooks), then
 * 10,000 DOWN flips published at once, spread round-robin over the channels. Reports the time until
 * every alert was delivered on its own or named in a digest, the HTTP requests each target got, and
 * the smallest gap between two requests to one target against its rate limit.
 *
 * <p>Usage: {@code bench/storm/run.sh [flips]} from the repository root.
 */
public final class StormBench {

    private static final Pattern NAME = Pattern.compile("bench-m\\d{5}");

    private record Target(String label, ChannelType type, Duration limit, HttpReceiver receiver, UUID channelId,
                          Set<String> expected) {
    }

    private StormBench() {
    }

    public static void main(String[] args) throws Exception {
        int flips = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Path root = Path.of(System.getProperty("vigil.root", ".")).toAbsolutePath().normalize();
        Path jar = root.resolve("notifier-service/target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("build the notifier first: " + jar);
        }
        Path out = root.resolve("bench/storm/target");
        Files.createDirectories(out);

        System.out.println("starting Kafka and PostgreSQL ...");
        EmbeddedKafka kafka = EmbeddedKafka.startTemporary();
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.startTemporary("vigil");
        List<Target> targets = new ArrayList<>();
        ChannelType[] types = {ChannelType.SLACK, ChannelType.SLACK, ChannelType.SLACK, ChannelType.SLACK,
            ChannelType.TEAMS, ChannelType.TEAMS, ChannelType.TEAMS, ChannelType.WEBHOOK, ChannelType.WEBHOOK,
            ChannelType.WEBHOOK};
        for (int i = 0; i < types.length; i++) {
            Duration limit = types[i] == ChannelType.WEBHOOK ? Duration.ofMillis(50) : Duration.ofSeconds(1);
            targets.add(new Target(types[i].json() + "-" + i, types[i], limit, HttpReceiver.start(), UUID.randomUUID(),
                    new HashSet<>()));
        }

        int port = FreePorts.take();
        ProcessBuilder builder = new ProcessBuilder(javaBin(), "-jar", jar.toString());
        Map<String, String> env = builder.environment();
        env.put("VIGIL_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
        byte[] sealingKey = new byte[32]; // seals channel settings on Kafka (evaluator and notifier)
        new java.security.SecureRandom().nextBytes(sealingKey);
        env.put("VIGIL_SECRETS_KEY", java.util.Base64.getEncoder().encodeToString(sealingKey));
        env.put("VIGIL_DB_URL", postgres.jdbcUrl());
        env.put("VIGIL_DB_USER", EmbeddedPostgresServer.USER);
        env.put("VIGIL_DB_PASSWORD", EmbeddedPostgresServer.PASSWORD);
        env.put("VIGIL_NOTIFIER_PORT", String.valueOf(port));
        env.put("VIGIL_ALLOW_PRIVATE_TARGETS", "true");
        env.put("VIGIL_SMTP_PORT", String.valueOf(FreePorts.take()));
        env.put("QUARKUS_LOG_LEVEL", "WARN");
        builder.redirectErrorStream(true).redirectOutput(out.resolve("notifier.log").toFile());
        System.out.println("starting the notifier (log: bench/storm/target/notifier.log) ...");
        Process notifier = builder.start();
        int exit = 1;
        try {
            awaitReady(port, notifier);
            exit = run(flips, kafka, targets, out.resolve("RESULTS.md"));
        } finally {
            notifier.destroy();
            if (!notifier.waitFor(15, TimeUnit.SECONDS)) {
                notifier.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            targets.forEach(target -> target.receiver().close());
            kafka.close();
            postgres.close();
        }
        System.exit(exit);
    }

    private static int run(int flips, EmbeddedKafka kafka, List<Target> targets, Path results) throws Exception {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", kafka.bootstrapServers());
        config.put("acks", "all");
        config.put("linger.ms", 5);
        config.put("key.serializer", StringSerializer.class.getName());
        config.put("value.serializer", ByteArraySerializer.class.getName());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config)) {
            for (Target target : targets) {
                Map<String, Object> channelConfig = target.type() == ChannelType.WEBHOOK
                        ? Map.of("url", target.receiver().url("/hook")) : Map.of("webhookUrl", target.receiver().url("/hook"));
                producer.send(new ProducerRecord<>(Topics.CHANNELS, target.channelId().toString(), Json.write(
                        new ChannelChanged(target.channelId(), target.label(), target.type(), channelConfig, null, null, 1))));
            }
            producer.flush();
            System.out.printf("publishing %d DOWN flips over %d channels ...%n", flips, targets.size());
            Instant start = Instant.now();
            for (int i = 0; i < flips; i++) {
                Target target = targets.get(i % targets.size());
                String name = String.format(Locale.ROOT, "bench-m%05d", i);
                target.expected().add(name);
                UUID monitor = UUID.randomUUID();
                MonitorFlipped flip = new MonitorFlipped(MonitorFlipped.SCHEMA, UUID.randomUUID(), 1,
                        new MonitorFlipped.MonitorRef(monitor, name, name, List.of("bench")), Status.UP, Status.DOWN,
                        "missed", "missed check-in: due " + start + ", grace 1m", start, start, start.minusSeconds(120), null,
                        "http://localhost:8081/api/v1/monitors/" + monitor, "exit 1", List.of(target.channelId()));
                producer.send(new ProducerRecord<>(Topics.FLIPS, monitor.toString(), Json.write(flip)));
            }
            producer.flush();
            Instant published = Instant.now();
            System.out.printf("published in %d ms; waiting for every alert ...%n", Duration.between(start, published).toMillis());

            Map<String, Set<String>> seen = new HashMap<>();
            Map<String, Integer> duplicates = new HashMap<>();
            Map<String, Integer> parsed = new HashMap<>();
            Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
            Instant done = null;
            while (Instant.now().isBefore(deadline)) {
                boolean all = true;
                Instant last = start;
                for (Target target : targets) {
                    List<HttpReceiver.Request> requests = target.receiver().requests();
                    Set<String> names = seen.computeIfAbsent(target.label(), label -> new HashSet<>());
                    for (int i = parsed.getOrDefault(target.label(), 0); i < requests.size(); i++) {
                        Set<String> inMessage = new HashSet<>();
                        Matcher matcher = NAME.matcher(requests.get(i).bodyText());
                        while (matcher.find()) {
                            inMessage.add(matcher.group());
                        }
                        for (String name : inMessage) {
                            if (!names.add(name)) {
                                duplicates.merge(target.label(), 1, Integer::sum);
                            }
                        }
                    }
                    parsed.put(target.label(), requests.size());
                    all &= names.containsAll(target.expected());
                    if (!requests.isEmpty() && requests.get(requests.size() - 1).at().isAfter(last)) {
                        last = requests.get(requests.size() - 1).at();
                    }
                }
                if (all) {
                    done = last;
                    break;
                }
                Thread.sleep(200);
            }
            return report(flips, targets, start, published, done, seen, duplicates, results);
        }
    }

    private static int report(int flips, List<Target> targets, Instant start, Instant published, Instant done,
                              Map<String, Set<String>> seen, Map<String, Integer> duplicates, Path results) throws Exception {
        StringBuilder table = new StringBuilder();
        table.append("| target | channel type | alerts | HTTP requests | alerts named | duplicates | smallest gap | limit | within limit |\n");
        table.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        int requestsTotal = 0;
        boolean allWithin = true;
        boolean noLoss = true;
        for (Target target : targets) {
            List<HttpReceiver.Request> requests = target.receiver().requests();
            requestsTotal += requests.size();
            Duration smallest = null;
            for (int i = 1; i < requests.size(); i++) {
                Duration gap = Duration.between(requests.get(i - 1).at(), requests.get(i).at());
                smallest = smallest == null || gap.compareTo(smallest) < 0 ? gap : smallest;
            }
            boolean within = smallest == null || smallest.compareTo(target.limit()) >= 0;
            allWithin &= within;
            int named = seen.getOrDefault(target.label(), Set.of()).size();
            noLoss &= named == target.expected().size();
            table.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %d | %d | %s | %d ms | %s |%n", target.label(),
                    target.type().json(), target.expected().size(), requests.size(), named,
                    duplicates.getOrDefault(target.label(), 0), smallest == null ? "-" : smallest.toMillis() + " ms",
                    target.limit().toMillis(), within ? "yes" : "NO"));
        }
        String summary = String.format(Locale.ROOT,
                "%d flips (one DOWN per monitor) over %d channels, notifier with default settings (Slack and Teams 1 message/s,"
                        + " webhooks 20/s, storm threshold 5 per 10 s).%n%n"
                        + "- published in %d ms%n- every alert delivered or digested after: %s%n- HTTP requests made: %d%n"
                        + "- every target within its rate limit: %s%n- no alert lost: %s%n%n",
                flips, targets.size(), Duration.between(start, published).toMillis(),
                done == null ? "NOT within 10 minutes" : String.format(Locale.ROOT, "%.1f s", Duration.between(start, done).toMillis() / 1000.0),
                requestsTotal, allWithin ? "yes" : "NO", noLoss ? "yes" : "NO");
        String text = "# Alert storm benchmark\n\n" + summary + table + "\nMachine: " + Runtime.getRuntime().availableProcessors()
                + " cores; run " + Instant.now() + " with `bench/storm/run.sh " + flips + "`.\n";
        Files.writeString(results, text);
        System.out.println();
        System.out.println(text);
        return done != null && allWithin && noLoss ? 0 : 1;
    }

    private static void awaitReady(int port, Process notifier) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (Instant.now().isBefore(deadline)) {
            if (!notifier.isAlive()) {
                throw new IllegalStateException("the notifier exited; see bench/storm/target/notifier.log");
            }
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/q/health/ready")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the notifier did not become ready within 120 s");
    }

    private static String javaBin() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }
}
