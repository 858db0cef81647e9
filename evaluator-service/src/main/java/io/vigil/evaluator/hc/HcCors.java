package io.vigil.evaluator.hc;

import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * The CORS headers Healthchecks' {@code cors} decorator puts on its API answers, so a browser page may call
 * {@code /hc/api/} with an {@code X-Api-Key} header. (Preflight OPTIONS requests are not answered with 204.)
 */
public class HcCors {

    @ServerResponseFilter
    public void allow(ContainerResponseContext response, RoutingContext routing) {
        if (routing.normalizedPath().startsWith("/hc/api/")) {
            response.getHeaders().putSingle("Access-Control-Allow-Origin", "*");
            response.getHeaders().putSingle("Access-Control-Allow-Headers", "X-Api-Key");
            response.getHeaders().putSingle("Access-Control-Max-Age", "600");
        }
    }
}
