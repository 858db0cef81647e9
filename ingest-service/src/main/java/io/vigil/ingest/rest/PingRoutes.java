package io.vigil.ingest.rest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vigil.ingest.PingUrl;
import io.vigil.ingest.TokenRegistry;
import io.vigil.ingest.TrustedProxies;
import io.vigil.ingest.config.IngestConfig;
import io.vigil.ingest.messaging.PingWriter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;

/**
 * Every ping URL of API.md section 1 as one Vert.x route ahead of all others: it parses the path
 * itself (a path that is no ping URL goes on to the next route) and hands the request to a
 * {@link PingExchange}, which streams the body and answers on the event loop once the broker acked.
 */
@ApplicationScoped
public class PingRoutes {

    final IngestConfig config;
    final TokenRegistry registry;
    final PingWriter writer;
    final TrustedProxies proxies;
    final String bodyLimitHeader;
    final long ackTimeoutMillis;
    final long bodyTimeoutMillis;
    final String retryAfter;
    private final Map<Outcome, Counter> counters;

    public PingRoutes(IngestConfig config, TokenRegistry registry, PingWriter writer, MeterRegistry meters) {
        this.config = config;
        this.registry = registry;
        this.writer = writer;
        this.proxies = TrustedProxies.of(config.trustedProxies());
        this.bodyLimitHeader = Integer.toString(config.bodyLimit());
        this.ackTimeoutMillis = Math.max(1, config.ackTimeout().toMillis());
        this.bodyTimeoutMillis = Math.max(1, config.bodyTimeout().toMillis());
        this.retryAfter = Integer.toString(config.retryAfterSeconds());
        this.counters = Outcome.counters(meters);
    }

    void register(@Observes Router router) {
        // Ahead of Quarkus' own handlers: a ping's body is streamed here, never buffered by a body handler.
        router.route().order(Integer.MIN_VALUE).handler(this::route);
    }

    private void route(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String path = request.path();
        if (config.benchOkRoute() && "/bench/ok".equals(path)) {
            benchOk(request);
            return;
        }
        PingUrl url = PingUrl.parse(path, registry::segment);
        if (url == null) {
            ctx.next();
            return;
        }
        new PingExchange(this, ctx.vertx(), request, url).begin();
    }

    /** The ceiling of this stack: the same headers and body handling, no lookup, no broker. */
    private void benchOk(HttpServerRequest request) {
        if (request.isEnded()) {
            withCommonHeaders(request.response()).end("OK");
            return;
        }
        request.handler(chunk -> { });
        request.endHandler(v -> withCommonHeaders(request.response()).end("OK"));
        request.resume();
    }

    /** The headers every answer of the ping API carries. */
    HttpServerResponse withCommonHeaders(HttpServerResponse response) {
        return response.putHeader("Cache-Control", "no-cache")
                .putHeader("Access-Control-Allow-Origin", "*")
                .putHeader("Ping-Body-Limit", bodyLimitHeader);
    }

    void count(Outcome outcome) {
        counters.get(outcome).increment();
    }
}
