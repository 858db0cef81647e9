package io.vigil.testkit;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Kafka broker in KRaft mode (broker and controller in one process), started in
 * this JVM. Its log directory may be kept between runs (devstack) or thrown away (tests). It can be
 * stopped and started again on the same ports and the same log directory ({@link #stop()},
 * {@link #restart()}), which is how outage tests take the broker away from running services. Optionally
 * it has a second listener, {@code SASL_PLAINTEXT} with the {@code PLAIN} mechanism, that accepts only
 * {@link #SASL_USER} / {@link #SASL_PASSWORD}, so that a service can be run with Kafka credentials.
 */
public final class EmbeddedKafka implements AutoCloseable {

    /** The one user of the SASL listener. */
    public static final String SASL_USER = "vigil";
    /** That user's password. */
    public static final String SASL_PASSWORD = "vigil-secret";
    /** The SASL listener's mechanism. */
    public static final String SASL_MECHANISM = "PLAIN";

    private static final String CONTROLLER = "CONTROLLER";
    private static final String SASL = "SASL_PLAINTEXT";

    private final KafkaConfig config;
    private final String bootstrapServers;
    private final String saslBootstrapServers;
    private KafkaRaftServer server;

    private EmbeddedKafka(KafkaConfig config, String bootstrapServers, String saslBootstrapServers) {
        this.config = config;
        this.bootstrapServers = bootstrapServers;
        this.saslBootstrapServers = saslBootstrapServers;
    }

    /**
     * Formats {@code logDir} if it is new, starts the broker on {@code port} (and a controller on a
     * second free port) and returns once the broker answers.
     */
    public static EmbeddedKafka start(Path logDir, int port) {
        return start(logDir, port, 0);
    }

    /**
     * As {@link #start(Path, int)}, with a SASL listener on {@code saslPort} as well when it is not 0
     * ({@link #saslBootstrapServers()}).
     */
    public static EmbeddedKafka start(Path logDir, int port, int saslPort) {
        try {
            Files.createDirectories(logDir);
            int controllerPort = FreePorts.take();
            Properties props = new Properties();
            props.put("process.roles", "broker,controller");
            props.put("node.id", "1");
            props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
            String listeners = "PLAINTEXT://127.0.0.1:" + port;
            if (saslPort != 0) {
                listeners += "," + SASL + "://127.0.0.1:" + saslPort;
                String prefix = "listener.name." + SASL.toLowerCase(Locale.ROOT) + ".";
                props.put(prefix + "sasl.enabled.mechanisms", SASL_MECHANISM);
                // The broker side of PLAIN: the users it accepts, as user_<name>="<password>".
                props.put(prefix + SASL_MECHANISM.toLowerCase(Locale.ROOT) + ".sasl.jaas.config",
                        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + SASL_USER
                                + "\" password=\"" + SASL_PASSWORD + "\" user_" + SASL_USER + "=\"" + SASL_PASSWORD + "\";");
                props.put("sasl.enabled.mechanisms", SASL_MECHANISM);
            }
            props.put("listeners", listeners + "," + CONTROLLER + "://127.0.0.1:" + controllerPort);
            props.put("advertised.listeners", listeners);
            props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + SASL + ":" + SASL + "," + CONTROLLER + ":PLAINTEXT");
            props.put("controller.listener.names", CONTROLLER);
            props.put("inter.broker.listener.name", "PLAINTEXT");
            props.put("log.dirs", logDir.toString());
            props.put("num.partitions", "4");
            props.put("offsets.topic.replication.factor", "1");
            props.put("offsets.topic.num.partitions", "4");
            props.put("transaction.state.log.replication.factor", "1");
            props.put("transaction.state.log.min.isr", "1");
            props.put("share.coordinator.state.topic.replication.factor", "1");
            props.put("share.coordinator.state.topic.min.isr", "1");
            props.put("group.initial.rebalance.delay.ms", "0");
            props.put("auto.create.topics.enable", "true");
            props.put("log.flush.interval.messages", "1000000");
            // A small machine: keep the broker's thread pools modest.
            props.put("num.network.threads", "2");
            props.put("num.io.threads", "4");
            KafkaConfig config = new KafkaConfig(props, false);

            if (!Files.exists(logDir.resolve("meta.properties"))) {
                new Formatter()
                        .setPrintStream(new PrintStream(PrintStream.nullOutputStream()))
                        .setNodeId(1)
                        .setClusterId(Uuid.randomUuid().toString())
                        .setControllerListenerName(CONTROLLER)
                        .setMetadataLogDirectory(logDir.toString())
                        .setDirectories(List.of(logDir.toString()))
                        .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                        .setIgnoreFormatted(true)
                        .run();
            }
            EmbeddedKafka kafka = new EmbeddedKafka(config, "127.0.0.1:" + port,
                    saslPort == 0 ? null : "127.0.0.1:" + saslPort);
            kafka.restart();
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("embedded Kafka did not start: " + e.getMessage(), e);
        }
    }

    /** Starts a throw-away broker in a temporary directory on a free port. */
    public static EmbeddedKafka startTemporary() {
        return startTemporary(false);
    }

    /** Starts a throw-away broker in a temporary directory on a free port, with a SASL listener when asked. */
    public static EmbeddedKafka startTemporary(boolean sasl) {
        try {
            Path dir = Files.createTempDirectory("vigil-kafka-");
            EmbeddedKafka kafka = start(dir, FreePorts.take(), sasl ? FreePorts.take() : 0);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                kafka.close();
                Paths.deleteRecursively(dir);
            }, "embedded-kafka-stop"));
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts the broker on its ports and log directory unless it is running, and returns once it answers.
     * After {@link #stop()} every record and committed offset written before is there again.
     */
    public synchronized void restart() {
        if (server != null) {
            return;
        }
        KafkaRaftServer starting = new KafkaRaftServer(config, Time.SYSTEM);
        starting.startup();
        server = starting;
        try {
            awaitReady();
        } catch (Exception e) {
            throw new IllegalStateException("embedded Kafka did not start: " + e.getMessage(), e);
        }
    }

    /** Shuts the broker down (clients see it gone) and keeps its ports and log directory for {@link #restart()}. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            server = null;
        }
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    private void awaitReady() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The SASL listener's address; fails when the broker was started without one. */
    public String saslBootstrapServers() {
        if (saslBootstrapServers == null) {
            throw new IllegalStateException("this broker has no SASL listener");
        }
        return saslBootstrapServers;
    }

    /** The client side of the SASL listener's PLAIN login for {@code user} / {@code password} ({@code sasl.jaas.config}). */
    public static String plainJaasConfig(String user, String password) {
        return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    /** Client settings that log in to the SASL listener as {@link #SASL_USER}. */
    public Map<String, Object> saslClientConfig() {
        return Map.of(
                CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, saslBootstrapServers(),
                CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, SASL,
                SaslConfigs.SASL_MECHANISM, SASL_MECHANISM,
                SaslConfigs.SASL_JAAS_CONFIG, plainJaasConfig(SASL_USER, SASL_PASSWORD));
    }

    /** An admin client on this broker; the caller closes it. */
    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    @Override
    public void close() {
        stop();
    }
}
