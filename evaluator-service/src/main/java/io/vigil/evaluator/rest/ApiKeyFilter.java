package io.vigil.evaluator.rest;

import io.vigil.evaluator.ApiKey;
import io.vigil.evaluator.service.ApiKeys;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Authenticates every {@code /api/v1} request by its API key ({@code Authorization: Bearer <key>} or
 * {@code X-Api-Key: <key>}): no key or an unknown key is 401, a read-only key on anything but a read
 * is 403. Badges and {@code /q/*} need no key.
 */
public class ApiKeyFilter {

    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

    private final ApiKeys apiKeys;
    private final Caller caller;

    public ApiKeyFilter(ApiKeys apiKeys, Caller caller) {
        this.apiKeys = apiKeys;
        this.caller = caller;
    }

    @ServerRequestFilter
    public void authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!(path.equals("/api/v1") || path.startsWith("/api/v1/"))) {
            return;
        }
        String secret = secret(request);
        if (secret == null) {
            throw new AccessDeniedException(401, "An API key is required: send Authorization: Bearer <key> or X-Api-Key: <key>.");
        }
        Optional<ApiKey> key = apiKeys.authenticate(secret);
        if (key.isEmpty()) {
            throw new AccessDeniedException(401, "The API key is not valid.");
        }
        if (!key.get().isFull() && !READS.contains(request.getMethod().toUpperCase(Locale.ROOT))) {
            throw new AccessDeniedException(403, "A read-only API key cannot make changes.");
        }
        caller.authenticated(key.get());
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
