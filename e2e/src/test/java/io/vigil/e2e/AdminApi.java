package io.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.contracts.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The evaluator's admin API as the e2e tests drive it: JSON in and out, the admin key, statuses checked. */
final class AdminApi {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final String baseUrl;
    private final String key;

    AdminApi(String evaluatorBaseUrl, String key) {
        this.baseUrl = evaluatorBaseUrl + "/api/v1";
        this.key = key;
    }

    /** One request: the answer's JSON (null for an empty body) after checking its status. */
    JsonNode call(String method, String path, Object body, int expected) {
        HttpResponse<byte[]> response = send(method, path, body);
        assertThat(response.statusCode()).as("%s %s: %s", method, path, new String(response.body(), StandardCharsets.UTF_8))
                .isEqualTo(expected);
        try {
            return response.body().length == 0 ? null : Json.mapper().readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        }
    }

    /** One request, whatever its answer. */
    HttpResponse<byte[]> send(String method, String path, Object body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + key);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(Json.write(body)));
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    JsonNode post(String path, Object body) {
        return call("POST", path, body, 201);
    }

    JsonNode get(String path) {
        return call("GET", path, null, 200);
    }

    /** Every monitor of {@code tag}, following the pages. */
    List<JsonNode> monitors(String tag) {
        List<JsonNode> out = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = get("/monitors?limit=500&tag=" + tag + (cursor == null ? "" : "&cursor=" + java.net.URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
            page.get("items").forEach(out::add);
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
        } while (cursor != null);
        return out;
    }

    /** A monitor's flips, oldest first. */
    List<JsonNode> flips(String monitorId) {
        JsonNode page = get("/monitors/" + monitorId + "/flips?limit=500");
        List<JsonNode> out = new ArrayList<>();
        page.get("items").forEach(out::add);
        java.util.Collections.reverse(out);
        return out;
    }
}
