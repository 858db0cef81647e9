package io.vigil.evaluator.hc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.evaluator.ApiKey;
import io.vigil.evaluator.service.ApiKeys;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * The Healthchecks API's key check, with Vigil's keys: a full key is Healthchecks' read-write key, a read-only key
 * its read-only key. As in Healthchecks' {@code authorize}, a write takes the key from {@code X-Api-Key} or, failing
 * that, from {@code api_key} in the JSON body, and refuses a read-only key as a wrong one; a read
 * ({@code authorize_read}) takes it from the header only. No key is 401 {@code missing api key}, an unknown key 401
 * {@code wrong api key}.
 */
@ApplicationScoped
public class HcAuth {

    private final ApiKeys apiKeys;

    public HcAuth(ApiKeys apiKeys) {
        this.apiKeys = apiKeys;
    }

    /** Authenticates a write (a full key only). */
    void write(String header, ObjectNode body) {
        String secret = header;
        if (secret == null && body != null && body.has("api_key")) {
            JsonNode value = body.get("api_key");
            secret = value.isTextual() ? value.asText() : value.toString();
        }
        ApiKey key = authenticate(secret);
        if (!key.isFull()) {
            throw HcException.error(401, "wrong api key");
        }
    }

    /** Authenticates a read; true when the key is read-only. */
    boolean read(String header) {
        return !authenticate(header).isFull();
    }

    private ApiKey authenticate(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw HcException.error(401, "missing api key");
        }
        Optional<ApiKey> key = apiKeys.authenticate(secret);
        return key.orElseThrow(() -> HcException.error(401, "wrong api key"));
    }
}
