package io.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.testkit.EmbeddedPostgresServer;
import io.vigil.testkit.FreePorts;
import io.vigil.testkit.SharedInfra;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The packaged evaluator refuses to start with a {@code VIGIL_ADMIN_KEY} shorter than 24 characters, and says why. */
class ShortAdminKeyIT {

    @Test
    void aShortAdminKeyStopsTheEvaluatorWithAReason() throws Exception {
        int port = FreePorts.take();
        EmbeddedPostgresServer postgres = SharedInfra.postgres();
        Map<String, String> env = new HashMap<>();
        env.put("VIGIL_KAFKA_BOOTSTRAP", SharedInfra.kafka().bootstrapServers());
        env.put("VIGIL_DB_URL", postgres.jdbcUrl());
        env.put("VIGIL_DB_USER", EmbeddedPostgresServer.USER);
        env.put("VIGIL_DB_PASSWORD", EmbeddedPostgresServer.PASSWORD);
        env.put("VIGIL_EVALUATOR_PORT", String.valueOf(port));
        env.put("VIGIL_ADMIN_KEY", "only-20-characters!!");
        try (ServiceProcess evaluator = ServiceProcess.launch("evaluator-service", "evaluator-short-key", port, env)) {
            OptionalInt exit = evaluator.awaitExit(Duration.ofSeconds(90));
            assertThat(exit).as("the evaluator's exit; see %s", evaluator.logFile()).isPresent();
            assertThat(exit.getAsInt()).isNotZero();
            assertThat(evaluator.log()).contains("VIGIL_ADMIN_KEY is 20 characters long; it must be at least 24");
        }
    }
}
