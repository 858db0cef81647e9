package io.vigil.ingest.messaging;

import io.smallrye.common.annotation.Identifier;
import io.vigil.ingest.config.IngestConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;

/**
 * The shared {@code kafka.*} settings (bootstrap servers, TLS, SASL: application.properties maps them
 * from the environment) for the clients the connector does not build itself, so every Kafka client
 * of the service connects the same way.
 */
@ApplicationScoped
public class KafkaSettings {

    private final Map<String, Object> shared;
    private final String bootstrap;

    @Inject
    public KafkaSettings(@Identifier("default-kafka-broker") Map<String, Object> shared, IngestConfig config) {
        this(shared, config.kafkaBootstrap());
    }

    KafkaSettings(Map<String, Object> shared, String bootstrap) {
        this.shared = shared;
        this.bootstrap = bootstrap;
    }

    /** The shared settings a client knows (by its config names), with this service's bootstrap servers. */
    public Map<String, Object> forClient(Set<String> known) {
        Map<String, Object> props = new HashMap<>();
        shared.forEach((key, value) -> {
            if (known.contains(key) && value != null && !value.toString().isEmpty()) {
                props.put(key, value);
            }
        });
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return props;
    }

    /** The credentials refusal in {@code error}'s causes, if the broker refused them, else null. */
    public static Throwable rejectedCredentials(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof AuthenticationException || t instanceof AuthorizationException) {
                return t;
            }
        }
        return null;
    }
}
