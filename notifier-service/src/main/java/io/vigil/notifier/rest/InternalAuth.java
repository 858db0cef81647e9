package io.vigil.notifier.rest;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.vigil.notifier.config.NotifierConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

/**
 * Closes the internal API ({@code /internal/...}, called by the evaluator only) to everyone without the shared secret
 * {@code VIGIL_INTERNAL_TOKEN}, sent as {@value #HEADER}, compared in constant time. Without a usable token configured
 * (unset, or shorter than {@value #MIN_LENGTH} characters) the notifier still starts (alerts need no token) but
 * answers every internal call {@code 401}, and says so at startup.
 */
@ApplicationScoped
public class InternalAuth {

    /** The request header that carries the token. */
    public static final String HEADER = "X-Vigil-Internal-Token";

    /** The shortest token accepted. */
    public static final int MIN_LENGTH = 24;

    private final byte[] token;

    @Inject
    public InternalAuth(NotifierConfig config) {
        this(config.internalToken());
    }

    /** With the configured token, if any. */
    public InternalAuth(Optional<String> configured) {
        String value = configured.map(String::strip).orElse("");
        this.token = value.length() >= MIN_LENGTH ? value.getBytes(StandardCharsets.UTF_8) : null;
    }

    /** True when a token is configured and {@code presented} is it (compared in constant time). */
    public boolean admits(String presented) {
        return token != null && presented != null
                && MessageDigest.isEqual(token, presented.strip().getBytes(StandardCharsets.UTF_8));
    }

    void warnWhenClosed(@Observes StartupEvent event) {
        if (token == null) {
            Log.warnf("VIGIL_INTERNAL_TOKEN is unset or shorter than %d characters: the notifier's internal API (channel"
                    + " tests from the admin API) answers every call 401 until the same token is given to the notifier"
                    + " and the evaluator", MIN_LENGTH);
        }
    }

    /** Runs once the request matched a resource, so the resource's own path decides (no trick in the URL can dodge it). */
    @ServerRequestFilter
    public Response check(ContainerRequestContext request, SimpleResourceInfo resource) {
        Path path = resource == null || resource.getResourceClass() == null ? null
                : resource.getResourceClass().getAnnotation(Path.class);
        if (path == null || !path.value().startsWith("/internal")) {
            return null;
        }
        if (admits(request.getHeaderString(HEADER))) {
            return null;
        }
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", "Unauthorized");
        problem.put("status", 401);
        problem.put("detail", token == null
                ? "The notifier's internal API is closed: VIGIL_INTERNAL_TOKEN is not configured."
                : "The internal API needs the shared VIGIL_INTERNAL_TOKEN in the " + HEADER + " header.");
        return Response.status(401).type("application/problem+json").entity(problem).build();
    }
}
