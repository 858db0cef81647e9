package io.vigil.e2e;

import io.vigil.testkit.EmbeddedPostgresServer;
import java.util.HashMap;
import java.util.Map;

/**
 * The environment of the three packaged services running together on loopback: where the broker and the database
 * are, the ports and URLs they reach each other by, and the shared secrets. A test adds what it needs on top.
 */
final class StackEnv {

    private StackEnv() {
    }

    static Map<String, String> of(String kafkaBootstrap, String jdbcUrl, int ingestPort, int evaluatorPort, int notifierPort,
                                  String adminKey, String internalToken) {
        Map<String, String> env = new HashMap<>();
        env.put("VIGIL_KAFKA_BOOTSTRAP", kafkaBootstrap);
        env.put("VIGIL_DB_URL", jdbcUrl);
        env.put("VIGIL_DB_USER", EmbeddedPostgresServer.USER);
        env.put("VIGIL_DB_PASSWORD", EmbeddedPostgresServer.PASSWORD);
        env.put("VIGIL_ALLOW_PRIVATE_TARGETS", "true"); // the receivers are on loopback
        env.put("VIGIL_ADMIN_KEY", adminKey);
        env.put("VIGIL_INTERNAL_TOKEN", internalToken);
        env.put("VIGIL_PUBLIC_URL", "http://127.0.0.1:" + ingestPort);
        env.put("VIGIL_ADMIN_URL", "http://127.0.0.1:" + evaluatorPort);
        env.put("VIGIL_NOTIFIER_URL", "http://127.0.0.1:" + notifierPort);
        env.put("VIGIL_INGEST_PORT", String.valueOf(ingestPort));
        env.put("VIGIL_EVALUATOR_PORT", String.valueOf(evaluatorPort));
        env.put("VIGIL_NOTIFIER_PORT", String.valueOf(notifierPort));
        return env;
    }
}
