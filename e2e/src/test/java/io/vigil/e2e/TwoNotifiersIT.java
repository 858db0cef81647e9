package io.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.contracts.ChannelChanged;
import io.vigil.contracts.ChannelType;
import io.vigil.contracts.Json;
import io.vigil.contracts.MonitorFlipped;
import io.vigil.contracts.SecretsKeyring;
import io.vigil.contracts.Status;
import io.vigil.contracts.TopicLayout;
import io.vigil.contracts.Topics;
import io.vigil.testkit.EmbeddedKafka;
import io.vigil.testkit.EmbeddedPostgresServer;
import io.vigil.testkit.FreePorts;
import io.vigil.testkit.HttpReceiver;
import io.vigil.testkit.SharedInfra;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 12: two packaged notifier instances share one PostgreSQL and one consumer group ({@code vigil-notifier}, the
 * same secrets key and internal token), and a burst of 10,000 flips published at once is delivered with no duplicate,
 * none lost, and in flip order per (monitor, channel), with both instances sending a share of it.
 *
 * <p>The flips go straight onto {@code vigil.flips.v1} (no evaluator): 1,000 monitors with ten flips each, DOWN and UP
 * in turn with sequences 1 to 10, published round by round (every monitor's flip 1, then every monitor's flip 2, ...)
 * so that a monitor's flips span several consumer batches. Each monitor alerts one of 100 webhook channels (sealed on
 * {@code vigil.channels.v1} as the evaluator would, published before the notifiers start, so their readiness means the
 * channels are known) on a local receiver; webhooks have no rate limit here, so the dispatchers go as fast as they can.
 * Each alert names its flip's sequence in its {@code reasonText} ("(flip N)"); the receiver's arrival order is the
 * send order, since a (monitor, channel)'s next alert is claimed only once the one before it was answered and recorded.
 * Which instance sent how many comes from each one's {@code vigil_notifier_deliveries_total}; the run prints its counts on
 * a line starting with {@code TWO-NOTIFIERS}.
 */
class TwoNotifiersIT {

    private static final int MONITORS = 1_000;
    private static final int FLIPS_PER_MONITOR = 10;
    private static final int CHANNELS = 100;
    private static final int ALERTS = MONITORS * FLIPS_PER_MONITOR;
    /** The notifier's defaults (VIGIL_KAFKA_PARTITIONS, VIGIL_KAFKA_REPLICATION), used when the test makes the topics first. */
    private static final int PARTITIONS = 8;
    /** The least share of the alerts each instance must have sent: both really worked on the burst. */
    private static final int LEAST_SHARE = ALERTS / 10;
    private static final Pattern FLIP_SEQUENCE = Pattern.compile("\\(flip (\\d+)\\)");
    /** The dispatcher's line per attempt, read for the report only (the assertions rely on metrics and the receiver). */
    /** The flip intake's line per flip taken in, read for the report only. */
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final long STARTED = System.nanoTime();

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void twoNotifiersDeliverABurstOf10000AlertsOnceEachInOrderPerMonitorAndChannel() throws Exception {
        EmbeddedKafka kafka = SharedInfra.kafka();
        EmbeddedPostgresServer postgres = SharedInfra.postgres();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String internalToken = "e2e-internal-" + UUID.randomUUID();
        try (HttpReceiver hooks = HttpReceiver.start();
             KafkaProducer<String, byte[]> producer = producer(kafka)) {
            try (Admin admin = kafka.admin()) {
                TopicLayout.ensure(admin, PARTITIONS, (short) 1);
            }
            List<UUID> channels = new ArrayList<>();
            Map<UUID, String> pathOfChannel = new HashMap<>();
            SecretsKeyring keys = SecretsKeyring.of(ServiceProcess.SECRETS_KEY, "");
            for (int c = 0; c < CHANNELS; c++) {
                UUID id = UUID.randomUUID();
                String path = "/two-notifiers-" + run + "/" + c;
                channels.add(id);
                pathOfChannel.put(id, path);
                ChannelChanged channel = new ChannelChanged(id, "two-notifiers-" + run + "-" + c, ChannelType.WEBHOOK,
                        Map.of("url", hooks.url(path), "method", "POST"), List.of(Status.DOWN, Status.UP), null, 1);
                producer.send(new ProducerRecord<>(Topics.CHANNELS, id.toString(), Json.write(channel.sealedWith(keys)))).get();
            }
            phase("%d webhook channels published", CHANNELS);

            // One after the other: the first migrates the fresh schema, the second joins the group it has formed.
            ServiceProcess a = notifier("a", kafka, postgres, internalToken);
            try (a) {
                a.awaitReady();
                ServiceProcess b = notifier("b", kafka, postgres, internalToken);
                try (b) {
                    b.awaitReady();
                    phase("two notifiers ready (%s, %s)", a.baseUrl(), b.baseUrl());
                    burst(run, channels, pathOfChannel, producer, hooks, a, b);
                }
            }
        }
    }

    private void burst(String run, List<UUID> channels, Map<UUID, String> pathOfChannel, KafkaProducer<String, byte[]> producer,
                       HttpReceiver hooks, ServiceProcess a, ServiceProcess b) throws Exception {
        Map<UUID, String> pathOfMonitor = new LinkedHashMap<>();
        Map<UUID, String> names = new HashMap<>();
        for (int m = 0; m < MONITORS; m++) {
            UUID monitor = UUID.randomUUID();
            pathOfMonitor.put(monitor, pathOfChannel.get(channels.get(m % CHANNELS)));
            names.put(monitor, String.format(Locale.ROOT, "two-notifiers-%s-m%04d", run, m));
        }
        Map<String, UUID> channelOfPath = new HashMap<>();
        pathOfChannel.forEach((id, path) -> channelOfPath.put(path, id));
        Instant base = Instant.now().minus(Duration.ofHours(1));
        long t0 = System.nanoTime();
        for (int sequence = 1; sequence <= FLIPS_PER_MONITOR; sequence++) {
            for (UUID monitor : pathOfMonitor.keySet()) {
                MonitorFlipped flip = flip(monitor, names.get(monitor), sequence, base, channelOfPath.get(pathOfMonitor.get(monitor)));
                producer.send(new ProducerRecord<>(Topics.FLIPS, monitor.toString(), Json.write(flip)));
            }
        }
        producer.flush();
        long published = System.nanoTime();
        phase("%d flips published in %d ms", ALERTS, (published - t0) / 1_000_000);

        Tally tally = new Tally(pathOfMonitor);
        boolean complete;
        try {
            await("every alert at the receiver").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500))
                    .failFast("a notifier exited", () -> !a.isAlive() || !b.isAlive())
                    .until(() -> tally.read(hooks.requests()).delivered() == ALERTS);
            complete = true;
        } catch (ConditionTimeoutException e) {
            complete = false;
        }
        long allIn = System.nanoTime();
        // A repeated send would come within moments of the first; so would the last attempts' counts.
        awaitQuiet(() -> tally.read(hooks.requests()).received() * 1_000_003L + delivered(a) + delivered(b), Duration.ofSeconds(3));
        tally.read(hooks.requests());

        Deliveries byA = deliveries(a);
        Deliveries byB = deliveries(b);
        phase("TWO-NOTIFIERS alerts expected %d / delivered %d / missing %d; requests %d, repeated sends (same eventId) %d,"
                        + " alerts with several eventIds %d, out of order %d, unexpected %d; all in %s ms after publishing;"
                        + " sent by a %d (retry %d, failed %d), by b %d (retry %d, failed %d)",
                ALERTS, tally.delivered(), ALERTS - tally.delivered(), tally.received(), tally.repeatedSends, tally.severalEventIds,
                tally.outOfOrder.size(), tally.unexpected.size(), complete ? String.valueOf((allIn - published) / 1_000_000) : "not all",
                byA.delivered, byA.retried, byA.failed, byB.delivered, byB.retried, byB.failed);

        assertThat(tally.missing()).as("alerts (monitor/flip sequence) never received").isEmpty();
        assertThat(tally.unexpected).as("requests that are no alert of this burst, or came to another monitor's channel").isEmpty();
        assertThat(tally.repeatedSends).as("alerts received again with the same eventId").isZero();
        assertThat(tally.severalEventIds).as("flips alerted under more than one eventId (two deliveries for one flip)").isZero();
        assertThat(tally.received()).as("requests received").isEqualTo(ALERTS);
        assertThat(tally.outOfOrder).as("(monitor, channel)s whose alerts arrived out of flip order").isEmpty();
        assertThat(byA.delivered + byB.delivered).as("webhook alerts the two instances count as delivered").isEqualTo(ALERTS);
        assertThat(byA.delivered).as("alerts notifier a sent").isGreaterThanOrEqualTo(LEAST_SHARE);
        assertThat(byB.delivered).as("alerts notifier b sent").isGreaterThanOrEqualTo(LEAST_SHARE);
        assertThat(a.isAlive() && b.isAlive()).as("both notifiers still running").isTrue();
    }

    private static ServiceProcess notifier(String instance, EmbeddedKafka kafka, EmbeddedPostgresServer postgres,
                                           String internalToken) {
        int port = FreePorts.take();
        Map<String, String> env = new HashMap<>();
        env.put("VIGIL_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
        env.put("VIGIL_DB_URL", postgres.jdbcUrl());
        env.put("VIGIL_DB_USER", EmbeddedPostgresServer.USER);
        env.put("VIGIL_DB_PASSWORD", EmbeddedPostgresServer.PASSWORD);
        env.put("VIGIL_ALLOW_PRIVATE_TARGETS", "true"); // the receiver is on loopback
        env.put("VIGIL_INTERNAL_TOKEN", internalToken);
        env.put("VIGIL_NOTIFIER_PORT", String.valueOf(port));
        env.put("VIGIL_NOTIFIER_RATE_WEBHOOK", "PT0S"); // no spacing per webhook URL: the dispatchers' own pace
        return ServiceProcess.launch("notifier-service", "two-notifiers-" + instance, port, env);
    }

    /** Flip {@code sequence} of a monitor that goes DOWN on odd sequences and UP again on even ones. */
    private static MonitorFlipped flip(UUID monitor, String name, int sequence, Instant base, UUID channel) {
        boolean down = sequence % 2 == 1;
        Instant at = base.plus(Duration.ofMinutes(sequence));
        return new MonitorFlipped(MonitorFlipped.SCHEMA, UUID.randomUUID(), sequence,
                new MonitorFlipped.MonitorRef(monitor, name, name, List.of("e2e")), down ? Status.UP : Status.DOWN,
                down ? Status.DOWN : Status.UP, down ? "missed" : "ok",
                (down ? "missed check-in" : "check-in again") + " (flip " + sequence + ")", at, at, base,
                down ? null : Duration.ofMinutes(1), "http://127.0.0.1/api/v1/monitors/" + monitor, null, List.of(channel));
    }

    private static KafkaProducer<String, byte[]> producer(EmbeddedKafka kafka) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true); // a monitor's flips stay in order on its partition
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * What the receiver got, read incrementally (its list only grows): per (monitor, flip sequence) the eventIds, the
     * sequences per (monitor, channel) in arrival order, and everything that is not an alert of the burst.
     */
    private static final class Tally {
        private final Map<UUID, String> pathOfMonitor;
        private final Map<String, Set<String>> eventIdsByFlip = new HashMap<>();
        private final Set<String> eventIds = new HashSet<>();
        private final Map<String, Long> lastSequence = new HashMap<>();
        final List<String> outOfOrder = new ArrayList<>();
        final List<String> unexpected = new ArrayList<>();
        int repeatedSends;
        int severalEventIds;
        private int read;

        Tally(Map<UUID, String> pathOfMonitor) {
            this.pathOfMonitor = pathOfMonitor;
        }

        Tally read(List<HttpReceiver.Request> requests) {
            for (; read < requests.size(); read++) {
                take(requests.get(read));
            }
            return this;
        }

        private void take(HttpReceiver.Request request) {
            JsonNode body;
            try {
                body = Json.read(request.body(), JsonNode.class);
            } catch (IllegalArgumentException e) {
                unexpected.add(request.path() + ": not JSON");
                return;
            }
            String eventId = body.path("eventId").asText();
            Matcher matcher = FLIP_SEQUENCE.matcher(body.path("reasonText").asText());
            UUID monitor = uuid(body.path("monitor").path("id").asText());
            if (!body.path("type").asText().equals("alert") || !matcher.find() || monitor == null
                    || !request.path().equals(pathOfMonitor.get(monitor))) {
                unexpected.add(request.path() + ": " + body);
                return;
            }
            long sequence = Long.parseLong(matcher.group(1));
            String expectedStatus = sequence % 2 == 1 ? "DOWN" : "UP";
            if (sequence < 1 || sequence > FLIPS_PER_MONITOR || !body.path("status").asText().equals(expectedStatus)) {
                unexpected.add(request.path() + ": " + body);
                return;
            }
            if (!eventIds.add(eventId)) {
                repeatedSends++;
            }
            Set<String> ofFlip = eventIdsByFlip.computeIfAbsent(monitor + "#" + sequence, k -> new HashSet<>());
            if (ofFlip.add(eventId) && ofFlip.size() == 2) {
                severalEventIds++;
            }
            // one channel per monitor, so the monitor names its (monitor, channel)
            Long last = lastSequence.put(monitor + " " + request.path(), sequence);
            if (last != null && last >= sequence) {
                outOfOrder.add(String.format(Locale.ROOT, "monitor %s on %s: flip %d after flip %d (eventId %s)", monitor,
                        request.path(), sequence, last, eventId));
            }
        }

        /** Alerts of the burst received at least once. */
        int delivered() {
            return eventIdsByFlip.size();
        }

        int received() {
            return read;
        }

        /** Up to 20 (monitor, sequence)s never received. */
        List<String> missing() {
            List<String> missing = new ArrayList<>();
            for (UUID monitor : pathOfMonitor.keySet()) {
                for (int sequence = 1; sequence <= FLIPS_PER_MONITOR && missing.size() < 20; sequence++) {
                    if (!eventIdsByFlip.containsKey(monitor + "#" + sequence)) {
                        missing.add(monitor + "#" + sequence);
                    }
                }
            }
            return missing;
        }

        private static UUID uuid(String text) {
            try {
                return UUID.fromString(text);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }

    /** One instance's webhook attempts by outcome, from its {@code vigil_notifier_deliveries_total}. */
    private record Deliveries(long delivered, long retried, long failed) {
    }

    private static Deliveries deliveries(ServiceProcess notifier) {
        String metrics = metrics(notifier);
        return new Deliveries(count(metrics, "delivered"), count(metrics, "retry"), count(metrics, "failed"));
    }

    private static long delivered(ServiceProcess notifier) {
        return count(metrics(notifier), "delivered");
    }

    private static long count(String metrics, String outcome) {
        double total = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("vigil_notifier_deliveries_total{") && line.contains("channel_type=\"webhook\"")
                    && line.contains("outcome=\"" + outcome + "\"")) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return Math.round(total);
    }

    private static String metrics(ServiceProcess notifier) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(notifier.baseUrl() + "/q/metrics"))
                    .timeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(notifier.name() + " /q/metrics answered " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException(notifier.name() + " /q/metrics did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Waits until {@code value} stays the same for {@code quiet}, at most a minute. */
    private static void awaitQuiet(java.util.concurrent.Callable<Long> value, Duration quiet) {
        long[] last = {Long.MIN_VALUE};
        long[] since = {System.nanoTime()};
        await("quiet").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(250)).until(() -> {
            long now = value.call();
            if (now != last[0]) {
                last[0] = now;
                since[0] = System.nanoTime();
            }
            return System.nanoTime() - since[0] >= quiet.toNanos();
        });
    }

    private static void phase(String format, Object... args) {
        System.out.printf("TwoNotifiersIT %6.1f s: %s%n", (System.nanoTime() - STARTED) / 1e9, String.format(format, args));
    }
}
