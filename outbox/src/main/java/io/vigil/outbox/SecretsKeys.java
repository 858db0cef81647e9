package io.vigil.outbox;

import io.quarkus.runtime.StartupEvent;
import io.vigil.contracts.SecretsKeyring;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The channel-sealing keys of a service that writes or reads {@code vigil.channels.v1} (the evaluator seals, the
 * notifier opens): {@code vigil.secrets.key} ({@code VIGIL_SECRETS_KEY}) and {@code vigil.secrets.previous-keys}
 * ({@code VIGIL_SECRETS_PREVIOUS_KEYS}). A missing or malformed key stops the start with a message that says how to
 * make one.
 */
@ApplicationScoped
public class SecretsKeys {

    private static final Logger LOG = Logger.getLogger(SecretsKeys.class);

    @Produces
    @Singleton
    SecretsKeyring keyring(@ConfigProperty(name = "vigil.secrets.key") Optional<String> key,
                           @ConfigProperty(name = "vigil.secrets.previous-keys") Optional<String> previous) {
        SecretsKeyring keyring = SecretsKeyring.of(key.orElse(""), previous.orElse(""));
        LOG.infof("channel settings sealed with key %s; keys that open: %s", keyring.currentKeyId(), keyring.keyIds());
        return keyring;
    }

    /** Reads the keys at start, so that a missing one stops the service at once rather than at its first channel. */
    void check(@Observes StartupEvent started, SecretsKeyring keyring) {
        keyring.currentKeyId();
    }
}
