package io.vigil.evaluator.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.logging.Log;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.vigil.contracts.Json;
import io.vigil.evaluator.config.AdminApiConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The channel test: asks the notifier (over HTTP, {@code VIGIL_NOTIFIER_URL}) to send a test
 * notification now and answers its outcome, authenticated by the shared {@code VIGIL_INTERNAL_TOKEN}. The
 * notifier owns delivery; the evaluator only relays.
 */
@ApplicationScoped
public class ChannelTests {

    /** The outcome of a test send, as the notifier reports it. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"status", "httpStatus", "error", "durationMs"})
    public record Outcome(String status, Integer httpStatus, String error, long durationMs) {
    }

    private static final Set<String> STATUSES = Set.of("SENT", "FAILED");

    private final Channels channels;
    private final NotifierApi notifier;
    private final String token;

    public ChannelTests(Channels channels, AdminApiConfig config) {
        this.channels = channels;
        this.token = config.internalToken().map(String::strip).orElse("");
        this.notifier = QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(config.notifierUrl()))
                .connectTimeout(5, TimeUnit.SECONDS)
                .readTimeout(config.notifierTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .property("microprofile.rest.client.disable.default.mapper", true)
                .build(NotifierApi.class);
    }

    /** Not transactional: the channel is looked up, then the (possibly slow) send runs outside any transaction. */
    public Outcome test(UUID channelId) {
        channels.get(channelId);
        try (Response response = send(channelId)) {
            if (response.getStatus() == 404) {
                throw new NotifierUnavailableException(503,
                        "The notifier has not received this channel yet; try again in a few seconds.");
            }
            if (response.getStatus() == 401) {
                Log.warnf("channel %s test: the notifier refused this evaluator's VIGIL_INTERNAL_TOKEN", channelId);
                throw new NotifierUnavailableException(502,
                        "The notifier refused the internal token; give both services the same VIGIL_INTERNAL_TOKEN.");
            }
            if (response.getStatus() != 200) {
                Log.warnf("channel %s test: the notifier answered %d", channelId, response.getStatus());
                throw new NotifierUnavailableException(502, "The notifier answered " + response.getStatus() + ".");
            }
            Outcome outcome = read(response.readEntity(String.class));
            Log.infof("channel %s test: %s", channelId, outcome.status());
            return outcome;
        }
    }

    private Response send(UUID channelId) {
        try {
            return notifier.test(token, channelId);
        } catch (WebApplicationException e) {
            return e.getResponse();
        } catch (ProcessingException e) {
            Log.warnf("channel %s test: the notifier could not be reached (%s)", channelId, e.getClass().getSimpleName());
            throw new NotifierUnavailableException(503, "The notifier could not be reached; try again when it is up.");
        }
    }

    private static Outcome read(String body) {
        try {
            JsonNode json = Json.mapper().readTree(body);
            String status = json.path("status").asText("");
            if (!STATUSES.contains(status)) {
                throw new IllegalArgumentException("unknown status");
            }
            JsonNode http = json.get("httpStatus");
            JsonNode error = json.get("error");
            return new Outcome(status, http == null || http.isNull() ? null : http.asInt(),
                    error == null || error.isNull() ? null : error.asText(), json.path("durationMs").asLong(0));
        } catch (Exception e) {
            throw new NotifierUnavailableException(502, "The notifier's answer could not be read.");
        }
    }
}
