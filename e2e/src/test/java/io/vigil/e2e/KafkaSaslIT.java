package io.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.contracts.Json;
import io.vigil.testkit.EmbeddedKafka;
import io.vigil.testkit.EmbeddedPostgresServer;
import io.vigil.testkit.FreePorts;
import io.vigil.testkit.HttpReceiver;
import io.vigil.testkit.SharedInfra;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kafka security from the environment, black-box: the three packaged services given only the broker's
 * SASL listener ({@code SASL_PLAINTEXT}, {@code PLAIN}) and its user's credentials through
 * {@code VIGIL_KAFKA_SECURITY_PROTOCOL}, {@code VIGIL_KAFKA_SASL_MECHANISM} and
 * {@code VIGIL_KAFKA_SASL_JAAS_CONFIG} serve the whole path: a ping answered 200 and applied, the monitor
 * UP, then DOWN on silence and the alert delivered to a webhook, so every Kafka client of every service
 * (topics, registry, pings, flips, channels, outcomes) logged in. With a wrong password each service
 * refuses to start: it exits by itself with a non-zero status and says why in its log, instead of
 * retrying forever.
 */
class KafkaSaslIT {

    private static final String ADMIN_KEY = "e2e-sasl-" + UUID.randomUUID();
    private static final String INTERNAL_TOKEN = "e2e-internal-" + UUID.randomUUID();

    private static EmbeddedKafka kafka;
    private static HttpReceiver hooks;
    private static final List<ServiceProcess> started = new ArrayList<>();

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.startTemporary(true);
        hooks = HttpReceiver.start();
    }

    @AfterAll
    static void stopVigil() {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
        if (hooks != null) {
            hooks.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void everyServiceWorksThroughTheSaslListener() throws Exception {
        Map<String, String> env = env(newDatabase("sasl"), EmbeddedKafka.SASL_PASSWORD);
        int ingestPort = Integer.parseInt(env.get("VIGIL_INGEST_PORT"));
        int evaluatorPort = Integer.parseInt(env.get("VIGIL_EVALUATOR_PORT"));
        List<ServiceProcess> launched = List.of(
                ServiceProcess.launch("evaluator-service", "sasl-evaluator", evaluatorPort, env),
                ServiceProcess.launch("notifier-service", "sasl-notifier", Integer.parseInt(env.get("VIGIL_NOTIFIER_PORT")), env),
                ServiceProcess.launch("ingest-service", "sasl-ingest", ingestPort, env));
        started.addAll(launched);
        launched.forEach(ServiceProcess::awaitReady);
        AdminApi admin = new AdminApi("http://127.0.0.1:" + evaluatorPort, ADMIN_KEY);
        String ingestUrl = "http://127.0.0.1:" + ingestPort;

        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String hookPath = "/sasl/" + suffix;
        String channel = admin.post("/channels", Map.of("name", "sasl-hook-" + suffix, "type", "webhook",
                "config", Map.of("url", hooks.url(hookPath)))).get("id").asText();
        JsonNode monitor = admin.post("/monitors", Map.of("name", "sasl-" + suffix,
                "schedule", Map.of("type", "interval", "every", "PT2S"), "grace", "PT1S", "channels", List.of(channel)));
        String id = monitor.get("id").asText();
        String pingUrl = monitor.get("pingUrl").asText();
        assertThat(pingUrl).startsWith(ingestUrl + "/ping/");

        // The registry reaches ingest over SASL; the ping goes to the broker over SASL and is applied.
        await("ping answered 200").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                .until(() -> ServiceProcess.get(pingUrl, Duration.ofSeconds(5)) == 200);
        await("ping applied").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                .until(() -> admin.get("/monitors/" + id).get("pingCount").asLong() == 1);
        assertThat(admin.get("/monitors/" + id).get("status").asText()).isIn("UP", "LATE", "DOWN");

        // The flip reaches the notifier over SASL and the alert goes out.
        await("DOWN alert delivered").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> hooks.requests(hookPath).stream()
                        .anyMatch(request -> "DOWN".equals(Json.read(request.body(), JsonNode.class).path("status").asText())));
        assertThat(admin.get("/monitors/" + id).get("status").asText()).isEqualTo("DOWN");
    }

    @Test
    void aServiceWithAWrongPasswordRefusesToStart() throws Exception {
        Map<String, String> env = env(newDatabase("sasl_wrong"), "not-" + EmbeddedKafka.SASL_PASSWORD);
        List<ServiceProcess> wrong = List.of(
                ServiceProcess.launch("evaluator-service", "sasl-wrong-evaluator", Integer.parseInt(env.get("VIGIL_EVALUATOR_PORT")), env),
                ServiceProcess.launch("notifier-service", "sasl-wrong-notifier", Integer.parseInt(env.get("VIGIL_NOTIFIER_PORT")), env),
                ServiceProcess.launch("ingest-service", "sasl-wrong-ingest", Integer.parseInt(env.get("VIGIL_INGEST_PORT")), env));
        try {
            for (ServiceProcess service : wrong) {
                OptionalInt exit = service.awaitExit(Duration.ofSeconds(90));
                assertThat(exit).as("%s with a wrong Kafka password exits by itself (log: %s)", service.name(), service.logFile())
                        .isPresent();
                assertThat(exit.getAsInt()).as("%s's exit status", service.name()).isNotZero();
                List<String> says = service.log().lines()
                        .filter(line -> line.matches("(?i).*(authentication failed|saslauthentication|authenticationexception"
                                + "|invalid username or password).*"))
                        .toList();
                assertThat(says).as("%s's log names the failed Kafka login (%s)", service.name(), service.logFile()).isNotEmpty();
                assertThat(service.log()).as("no secret in %s's log", service.name())
                        .doesNotContain("not-" + EmbeddedKafka.SASL_PASSWORD);
            }
        } finally {
            wrong.forEach(ServiceProcess::close);
        }
    }

    /** Three services' settings on the broker's SASL listener only, as the user with {@code password}. */
    private static Map<String, String> env(String database, String password) {
        int ingestPort = FreePorts.take();
        int evaluatorPort = FreePorts.take();
        int notifierPort = FreePorts.take();
        EmbeddedPostgresServer postgres = SharedInfra.postgres();
        Map<String, String> env = StackEnv.of(kafka.saslBootstrapServers(),
                "jdbc:postgresql://127.0.0.1:" + postgres.port() + "/" + database, ingestPort, evaluatorPort, notifierPort,
                ADMIN_KEY, INTERNAL_TOKEN);
        env.put("VIGIL_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
        env.put("VIGIL_KAFKA_SASL_MECHANISM", EmbeddedKafka.SASL_MECHANISM);
        env.put("VIGIL_KAFKA_SASL_JAAS_CONFIG", EmbeddedKafka.plainJaasConfig(EmbeddedKafka.SASL_USER, password));
        return env;
    }

    private static String newDatabase(String prefix) throws Exception {
        EmbeddedPostgresServer postgres = SharedInfra.postgres();
        String database = prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + postgres.port() + "/postgres",
                EmbeddedPostgresServer.USER, EmbeddedPostgresServer.PASSWORD);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        return database;
    }
}
