package io.vigil.evaluator.rest;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vigil.evaluator.ApiKey;
import io.vigil.evaluator.service.ApiKeys;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Authenticates every {@code /api/v1} request by its API key ({@code Authorization: Bearer <key>} or
 * {@code X-Api-Key: <key>}): no key or an unknown key is 401, a read-only key on anything but a read
 * is 403. The key is checked before the request is matched to an endpoint, so a caller without a valid
 * key learns nothing from a 404, 405, 406 or 415. Badges, the public status pages ({@code /status/*}) and {@code /q/*} need no key, and {@code /hc/*} (the
 * Healthchecks-compatible API) checks keys its own way; every other path
 * this service routes to a resource does, so no spelling of a path slips past the check.
 */
public class ApiKeyFilter {

    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");
    private static final String KEY = ApiKeyFilter.class.getName() + ".key";

    private final ApiKeys apiKeys;
    private final Caller caller;

    public ApiKeyFilter(ApiKeys apiKeys, Caller caller) {
        this.apiKeys = apiKeys;
        this.caller = caller;
    }

    @ServerRequestFilter(preMatching = true)
    public Uni<Void> authenticate(ContainerRequestContext request, RoutingContext routing) {
        // The path the request is routed by: Vert.x's normalised form (unreserved escapes decoded, dot
        // segments removed), so /badge/%2e%2e/api/v1/monitors is judged as the /api/v1/monitors it reaches.
        // UriInfo's views re-parse the URI and throw on a hostile escape, a 500.
        String path = routing.normalizedPath();
        if (path.startsWith("/badge/") || path.startsWith("/status/") || path.startsWith("/q/")) {
            return Uni.createFrom().voidItem();
        }
        if (path.startsWith("/hc/")) {
            // The Healthchecks-compatible API checks the same keys itself, as Healthchecks does (a write's key may
            // come in its JSON body; errors are Healthchecks' own): io.vigil.evaluator.hc.HcAuth.
            return Uni.createFrom().voidItem();
        }
        String secret = secret(request);
        if (secret == null) {
            return Uni.createFrom().failure(new AccessDeniedException(401,
                    "An API key is required: send Authorization: Bearer <key> or X-Api-Key: <key>."));
        }
        boolean write = !READS.contains(request.getMethod().toUpperCase(Locale.ROOT));
        // Before matching the request runs on the event loop; the key lookup reads the database.
        return Uni.createFrom().item(() -> apiKeys.authenticate(secret))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .map(key -> {
                    check(key, write);
                    request.setProperty(KEY, key.get());
                    return null;
                });
    }

    /** Hands the key found before matching to the request's {@link Caller}, on the thread that runs the endpoint. */
    @ServerRequestFilter
    public void identify(ContainerRequestContext request) {
        if (request.getProperty(KEY) instanceof ApiKey key) {
            caller.authenticated(key);
        }
    }

    private static void check(Optional<ApiKey> key, boolean write) {
        if (key.isEmpty()) {
            throw new AccessDeniedException(401, "The API key is not valid.");
        }
        if (write && !key.get().isFull()) {
            throw new AccessDeniedException(403, "A read-only API key cannot make changes.");
        }
    }

    private static String secret(ContainerRequestContext request) {
        String authorization = request.getHeaderString("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String secret = authorization.substring(7).trim();
            if (!secret.isEmpty()) {
                return secret;
            }
        }
        String apiKey = request.getHeaderString("X-Api-Key");
        return apiKey == null || apiKey.isBlank() ? null : apiKey.trim();
    }
}
