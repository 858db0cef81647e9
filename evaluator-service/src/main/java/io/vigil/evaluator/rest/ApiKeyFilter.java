package io.vigil.evaluator.rest;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vigil.evaluator.ApiKey;
import io.vigil.evaluator.service.ApiKeys;
import io.vigil.evaluator.service.Users;
import io.vigil.evaluator.web.ConsolePaths;
import io.vigil.evaluator.web.SignInRequiredException;
import jakarta.ws.rs.core.Cookie;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Authenticates every request before it is matched to an endpoint, so a caller without a valid key or session
 * learns nothing from a 404, 405, 406 or 415.
 * <ul>
 * <li>The web console's pages ({@link ConsolePaths}) need a signed-in session: its cookie is looked up, and without
 *     one a page asks the browser to sign in first.</li>
 * <li>Public paths (badges, status pages, the console's static assets, the sign-in page, {@code /q/*}) need nothing,
 *     and {@code /hc/*} (the Healthchecks-compatible API) checks keys its own way.</li>
 * <li>Every other path needs an API key ({@code Authorization: Bearer <key>} or {@code X-Api-Key: <key>}): no key or
 *     an unknown key is 401, a read-only key on anything but a read is 403. So no spelling of a path slips past.</li>
 * </ul>
 */
public class ApiKeyFilter {

    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");
    private static final String KEY = ApiKeyFilter.class.getName() + ".key";
    private static final String USER = ApiKeyFilter.class.getName() + ".user";

    private final ApiKeys apiKeys;
    private final Users users;
    private final Caller caller;

    public ApiKeyFilter(ApiKeys apiKeys, Users users, Caller caller) {
        this.apiKeys = apiKeys;
        this.users = users;
        this.caller = caller;
    }

    @ServerRequestFilter(preMatching = true)
    public Uni<Void> authenticate(ContainerRequestContext request, RoutingContext routing) {
        // The path the request is routed by: Vert.x's normalised form (unreserved escapes decoded, dot
        // segments removed), so /badge/%2e%2e/api/v1/monitors is judged as the /api/v1/monitors it reaches.
        // UriInfo's views re-parse the URI and throw on a hostile escape, a 500.
        String path = routing.normalizedPath();
        if (ConsolePaths.isPublic(path)) {
            return Uni.createFrom().voidItem();
        }
        if (ConsolePaths.isConsole(path)) {
            return signedIn(request, routing, path);
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

    /** A console page: the session cookie's user, or a request to sign in first. */
    private Uni<Void> signedIn(ContainerRequestContext request, RoutingContext routing, String path) {
        Cookie cookie = request.getCookies().get(ConsolePaths.SESSION_COOKIE);
        String token = cookie == null || cookie.getValue().isBlank() ? null : cookie.getValue();
        Uni<Optional<Users.SignedIn>> user = token == null ? Uni.createFrom().item(Optional.empty())
                : Uni.createFrom().item(() -> users.session(token)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        return user.map(found -> {
            if (found.isEmpty()) {
                throw new SignInRequiredException(ConsolePaths.signInFor(path, routing.request().query(), request));
            }
            if (!found.get().full() && !READS.contains(request.getMethod().toUpperCase(Locale.ROOT))
                    && !path.equals("/logout")) {
                throw new AccessDeniedException(403, "A read-only user cannot make changes.");
            }
            request.setProperty(USER, found.get());
            return null;
        });
    }

    /** Hands the key or user found before matching to the request's {@link Caller}, on the thread that runs the endpoint. */
    @ServerRequestFilter
    public void identify(ContainerRequestContext request) {
        if (request.getProperty(KEY) instanceof ApiKey key) {
            caller.authenticated(key);
        } else if (request.getProperty(USER) instanceof Users.SignedIn user) {
            caller.signedIn(user);
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
