package io.vigil.ingest.rest;

import io.quarkus.logging.Log;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vigil.contracts.PingReceived;
import io.vigil.contracts.PingType;
import io.vigil.contracts.TokenHash;
import io.vigil.ingest.ClientOrigin;
import io.vigil.ingest.PingUrl;
import io.vigil.ingest.PingUrl.Family;
import io.vigil.ingest.TokenRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One ping request, from its first byte to its answer, confined to the event loop that received it:
 * validates the URL and looks the token up before reading any of the body, streams the body (keeping the
 * first {@code body-limit} bytes of a known monitor's ping, counting the rest up to the cap; the body of an
 * unknown token or a bad request is drained and nothing of it kept), answers 408 when the body does not
 * arrive within {@code body-timeout}, writes the ping and answers 200 only after the broker's ack, or 503
 * when no ack came within the bound.
 * <p>
 * A slug URL under a ping key ({@link PingUrl.SlugTarget}) pings the monitor with that slug; when ingest does not
 * know the slug and the URL says {@code ?create=1}, the ping carries a create request
 * ({@link PingReceived.AutoCreate}) keyed by the id the monitor will have, and is answered 201.
 */
final class PingExchange {

    private static final int USER_AGENT_LIMIT = 200;
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String JSON = "application/json";

    private final PingRoutes routes;
    private final Vertx vertx;
    private final Context context;
    private final HttpServerRequest request;
    private final PingUrl url;
    private Buffer body;
    private long bodySize;
    private boolean answered;
    private long timer = -1;
    private long readTimer = -1;
    /** The monitor the token belongs to, looked up before the body is read. */
    private TokenRegistry.Entry entry;
    /** The monitor the ping is for, and its create request when the evaluator is to create that monitor. */
    private UUID monitorId;
    private PingReceived.AutoCreate create;
    /** Why the request is refused once its body is drained (null: it is a ping), and with which outcome. */
    private String badRequest;
    private Outcome refusal = Outcome.BAD_REQUEST;

    PingExchange(PingRoutes routes, Vertx vertx, HttpServerRequest request, PingUrl url) {
        this.routes = routes;
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.request = request;
        this.url = url;
    }

    void begin() {
        HttpMethod method = request.method();
        if (method == HttpMethod.OPTIONS) {
            preflight();
            return;
        }
        if (url.family() != Family.UPTIME_KUMA
                && method != HttpMethod.GET && method != HttpMethod.POST && method != HttpMethod.HEAD) {
            request.response().putHeader("Allow", "GET, POST, HEAD, OPTIONS");
            refusal = Outcome.METHOD_NOT_ALLOWED;
            badRequest = "method not allowed";
        } else if (url instanceof PingUrl.Malformed malformed) {
            badRequest = malformed.reason();
        } else if (url.family() == Family.HEALTHCHECKS) {
            String rid = request.getParam("rid");
            if (rid != null && !PingUrl.isUuid(rid)) {
                badRequest = "invalid rid: expected a UUID";
            }
        }
        if (badRequest == null && url instanceof PingUrl.Unknown) {
            refusal = Outcome.NOT_FOUND;
            badRequest = "not found";
        } else if (badRequest == null && url instanceof PingUrl.SlugTarget slugTarget) {
            lookUp(slugTarget);
        } else if (badRequest == null) {
            // before any of the body is read: a stranger's body is never kept
            PingUrl.Target target = (PingUrl.Target) url;
            entry = target.family() == Family.KENER
                    ? routes.registry.bySlugAndToken(target.slug(), target.token())
                    : routes.registry.byTokenHash(TokenHash.of(target.token()));
            if (entry == null) {
                refusal = Outcome.NOT_FOUND;
                badRequest = "not found";
            } else {
                monitorId = entry.monitorId();
            }
        }
        String length = request.getHeader("Content-Length");
        if (length != null && tooLong(length)) {
            answer(Outcome.TOO_LARGE, "body too large: the cap is " + routes.config.bodyCap() + " bytes", true);
            return;
        }
        if (request.isEnded()) {
            complete();
            return;
        }
        if ("100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
            request.response().writeContinue();
        }
        readTimer = vertx.setTimer(routes.bodyTimeoutMillis, id -> {
            readTimer = -1;
            answer(Outcome.TIMEOUT, "the body did not arrive within " + routes.bodyTimeoutMillis / 1000 + " s", true);
        });
        request.handler(this::onChunk);
        request.endHandler(v -> complete());
        request.exceptionHandler(e -> cancel());
        request.resume();
    }

    /**
     * A slug URL: an unknown ping key is 404; a known slug is that monitor; an unknown one is 404, or with
     * {@code ?create=1} a create request for the monitor's id-to-be (the evaluator creates it once, whichever of
     * several first pings comes first, and applies each of them).
     */
    private void lookUp(PingUrl.SlugTarget target) {
        TokenRegistry.PingKey key = routes.registry.pingKey(TokenHash.of(target.pingKey()));
        TokenRegistry.Entry known = key == null ? null : routes.registry.bySlug(target.slug());
        if (known != null) {
            monitorId = known.monitorId();
        } else if (key != null && "1".equals(request.getParam("create"))) {
            monitorId = PingReceived.AutoCreate.monitorIdFor(target.slug());
            create = new PingReceived.AutoCreate(key.pingKeyId(), target.slug());
        } else {
            refusal = Outcome.NOT_FOUND;
            badRequest = "not found";
        }
    }

    private boolean tooLong(String contentLength) {
        try {
            return Long.parseLong(contentLength.trim()) > routes.config.bodyCap();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private void onChunk(Buffer chunk) {
        if (answered) {
            return;
        }
        bodySize += chunk.length();
        if (bodySize > routes.config.bodyCap()) {
            answer(Outcome.TOO_LARGE, "body too large: the cap is " + routes.config.bodyCap() + " bytes", true);
            return;
        }
        int limit = routes.config.bodyLimit();
        int kept = body == null ? 0 : body.length();
        if (kept < limit && badRequest == null) {
            if (body == null) {
                body = Buffer.buffer((int) Math.min(limit, Math.max(chunk.length(), 256)));
            }
            int take = Math.min(limit - kept, chunk.length());
            body.appendBuffer(take == chunk.length() ? chunk : chunk.getBuffer(0, take));
        }
    }

    private void complete() {
        stopReadTimer();
        if (answered) {
            return;
        }
        if (badRequest != null) {
            answer(refusal, badRequest, false);
            return;
        }
        PingType type = url instanceof PingUrl.SlugTarget slugTarget ? slugTarget.type() : ((PingUrl.Target) url).type();
        Integer exitStatus = url instanceof PingUrl.SlugTarget slugTarget ? slugTarget.exitStatus()
                : ((PingUrl.Target) url).exitStatus();
        UUID monitor = monitorId;
        PingReceived.AutoCreate createRequest = create;
        byte[] bytes = body == null ? null : body.getBytes();
        long size = bodySize;
        if (url.family() == Family.UPTIME_KUMA) {
            String status = request.getParam("status");
            type = status == null || status.isEmpty() || status.equals("up") ? PingType.SUCCESS : PingType.FAIL;
            String msg = request.getParam("msg");
            if (msg != null) {
                byte[] all = msg.getBytes(StandardCharsets.UTF_8);
                size = all.length;
                bytes = all.length <= routes.config.bodyLimit() ? all : Arrays.copyOf(all, routes.config.bodyLimit());
            }
        }
        String rid = url.family() == Family.HEALTHCHECKS ? request.getParam("rid") : null;
        ClientOrigin origin = ClientOrigin.of(request.remoteAddress() == null ? null : request.remoteAddress().hostAddress(),
                request.scheme(), request.getHeader("X-Forwarded-For"), request.getHeader("X-Forwarded-Proto"), routes.proxies);
        PingType signal = type;
        byte[] kept = bytes;
        long wholeSize = size;
        timer = vertx.setTimer(routes.ackTimeoutMillis, id -> {
            timer = -1;
            unavailable();
        });
        try {
            routes.writer.write(receivedAt -> new PingReceived(PingReceived.SCHEMA, randomUuid(), monitor, signal,
                    exitStatus, rid == null ? null : UUID.fromString(rid), receivedAt, request.method().name(),
                    origin.scheme(), origin.remoteAddr(), userAgent(), request.getHeader("Content-Type"), kept, wholeSize,
                    createRequest))
                    .whenComplete((ping, error) -> context.runOnContext(v -> acked(error)));
        } catch (RuntimeException e) {
            Log.warnf("ping for monitor %s not written: %s", monitor, e.toString());
            unavailable();
        }
    }

    private void acked(Throwable error) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
        if (error != null) {
            Log.debugf("ping not acknowledged: %s", error.toString());
            unavailable();
            return;
        }
        switch (url.family()) {
            case KENER -> answer(Outcome.ACCEPTED, JSON, "{\"status\":\"OK\"}", false);
            case UPTIME_KUMA -> answer(Outcome.ACCEPTED, JSON, "{\"ok\":true}", false);
            default -> {
                if (create != null) {
                    answer(Outcome.CREATED, TEXT, "Created", false);
                } else {
                    answer(Outcome.ACCEPTED, TEXT, "OK", false);
                }
            }
        }
    }

    private void unavailable() {
        if (!answered) {
            request.response().putHeader("Retry-After", routes.retryAfter);
            answer(Outcome.UNAVAILABLE, "ping not stored: the broker did not acknowledge it in time, retry later", false);
        }
    }

    private void preflight() {
        HttpServerResponse response = request.response();
        String headers = request.getHeader("Access-Control-Request-Headers");
        response.putHeader("Access-Control-Allow-Methods", url.family() == Family.UPTIME_KUMA
                ? "GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS" : "GET, POST, HEAD, OPTIONS");
        response.putHeader("Access-Control-Allow-Headers", headers == null || headers.isBlank() ? "*" : headers);
        response.putHeader("Access-Control-Max-Age", "86400");
        answered = true;
        if (!request.isEnded() && request.version() != HttpVersion.HTTP_2) {
            // a preflight's body is not read: left on the connection it would be taken for the next request
            response.putHeader("Connection", "close");
            routes.withCommonHeaders(response).setStatusCode(204).end().onComplete(v -> request.connection().close());
            return;
        }
        routes.withCommonHeaders(response).setStatusCode(204).end();
    }

    /** An error or outcome answer in the family's format. */
    private void answer(Outcome outcome, String message, boolean close) {
        switch (url.family()) {
            case KENER -> answer(outcome, JSON, "{\"status\":\"ERROR\",\"message\":\"" + message + "\"}", close);
            case UPTIME_KUMA -> answer(outcome, JSON, "{\"ok\":false,\"msg\":\""
                    + (outcome == Outcome.NOT_FOUND ? "Monitor not found or not active." : message) + "\"}", close);
            default -> answer(outcome, TEXT, message, close);
        }
    }

    private void answer(Outcome outcome, String contentType, String text, boolean close) {
        if (answered) {
            return;
        }
        answered = true;
        stopReadTimer();
        body = null;
        routes.count(outcome);
        HttpServerResponse response = request.response();
        if (response.ended() || response.closed()) {
            return;
        }
        routes.withCommonHeaders(response).setStatusCode(outcome.status).putHeader("Content-Type", contentType);
        if (close && request.version() != HttpVersion.HTTP_2) {
            // The rest of an over-cap body is not read: close the connection after the answer.
            response.putHeader("Connection", "close");
            response.end(text).onComplete(v -> request.connection().close());
        } else {
            response.end(text);
        }
    }

    private void stopReadTimer() {
        if (readTimer >= 0) {
            vertx.cancelTimer(readTimer);
            readTimer = -1;
        }
    }

    private void cancel() {
        answered = true;
        stopReadTimer();
        body = null;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }

    private String userAgent() {
        String ua = request.getHeader("User-Agent");
        if (ua == null || ua.length() <= USER_AGENT_LIMIT) {
            return ua;
        }
        int end = Character.isHighSurrogate(ua.charAt(USER_AGENT_LIMIT - 1)) ? USER_AGENT_LIMIT - 1 : USER_AGENT_LIMIT;
        return ua.substring(0, end);
    }

    /** A random (version 4) UUID without SecureRandom's lock: event ids need uniqueness, not secrecy. */
    private static UUID randomUuid() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long most = (random.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
        long least = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(most, least);
    }
}
