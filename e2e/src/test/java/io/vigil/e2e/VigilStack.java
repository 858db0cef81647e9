package io.vigil.e2e;

import io.vigil.testkit.FreePorts;
import io.vigil.testkit.SharedInfra;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The three packaged services on the test JVM's shared broker and PostgreSQL, each on a free port, with an admin key
 * and an internal token of their own: what most end-to-end tests start once per class.
 */
final class VigilStack implements AutoCloseable {

    final String adminKey = "e2e-admin-" + UUID.randomUUID();
    final String internalToken = "e2e-internal-" + UUID.randomUUID();
    final ServiceProcess evaluator;
    final ServiceProcess notifier;
    final ServiceProcess ingest;

    private VigilStack(Consumer<Map<String, String>> settings) {
        int ingestPort = FreePorts.take();
        int evaluatorPort = FreePorts.take();
        int notifierPort = FreePorts.take();
        Map<String, String> env = StackEnv.of(SharedInfra.kafka().bootstrapServers(), SharedInfra.postgres().jdbcUrl(),
                ingestPort, evaluatorPort, notifierPort, adminKey, internalToken);
        settings.accept(env);
        evaluator = ServiceProcess.start("evaluator-service", evaluatorPort, env);
        notifier = ServiceProcess.start("notifier-service", notifierPort, env);
        ingest = ServiceProcess.start("ingest-service", ingestPort, env);
    }

    /** Starts the services with StackEnv's settings, changed or added to by {@code settings}. */
    static VigilStack start(Consumer<Map<String, String>> settings) {
        return new VigilStack(settings);
    }

    static VigilStack start() {
        return start(env -> { });
    }

    AdminApi admin() {
        return new AdminApi(evaluator.baseUrl(), adminKey);
    }

    /** Stops the services (best effort: the JVM's exit stops the rest), then whatever else the test started. */
    static void stop(AutoCloseable... closeables) {
        for (AutoCloseable closeable : closeables) {
            if (closeable != null) {
                try {
                    closeable.close();
                } catch (Exception ignored) {
                    // stopping is best effort; the JVM's exit stops the rest
                }
            }
        }
    }

    @Override
    public void close() {
        stop(ingest, notifier, evaluator);
    }
}
