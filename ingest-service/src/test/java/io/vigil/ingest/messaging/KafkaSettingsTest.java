package io.vigil.ingest.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.Test;

/** The shared kafka.* settings reach the clients the connector does not build: TLS and SASL included. */
class KafkaSettingsTest {

    private static Map<String, Object> shared() {
        Map<String, Object> shared = new HashMap<>();
        shared.put("bootstrap.servers", "shared:9092");
        shared.put("security.protocol", "SASL_SSL");
        shared.put("sasl.mechanism", "SCRAM-SHA-512");
        shared.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";");
        shared.put("ssl.truststore.location", "/etc/vigil/truststore.p12");
        shared.put("ssl.truststore.type", "PKCS12");
        shared.put("ssl.truststore.password", "secret");
        shared.put("ssl.keystore.location", ""); // unset in the environment
        shared.put("group.id", "not-for-an-admin");
        return shared;
    }

    @Test
    void theAdminAndTheProducerGetTheSecuritySettingsAndThisServicesBootstrap() {
        KafkaSettings settings = new KafkaSettings(shared(), "ingest:9092");
        for (var known : java.util.List.of(AdminClientConfig.configNames(), ProducerConfig.configNames())) {
            Map<String, Object> props = settings.forClient(known);
            assertThat(props).containsEntry("bootstrap.servers", "ingest:9092")
                    .containsEntry("security.protocol", "SASL_SSL")
                    .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                    .containsEntry("ssl.truststore.location", "/etc/vigil/truststore.p12")
                    .containsEntry("ssl.truststore.type", "PKCS12")
                    .containsEntry("ssl.truststore.password", "secret")
                    .containsKey("sasl.jaas.config")
                    .doesNotContainKey("ssl.keystore.location")
                    .doesNotContainKey("group.id");
        }
    }

    @Test
    void aRefusedCredentialIsFoundAmongTheCauses() {
        SaslAuthenticationException refused = new SaslAuthenticationException("Authentication failed: Invalid username or password");
        assertThat(KafkaSettings.rejectedCredentials(new IllegalStateException("cannot create Vigil's topics",
                new java.util.concurrent.ExecutionException(refused)))).isSameAs(refused);
        assertThat(KafkaSettings.rejectedCredentials(new IllegalStateException("timed out"))).isNull();
    }
}
