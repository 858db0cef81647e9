package io.vigil.notifier.channel;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vigil.contracts.TargetPolicy;
import io.vigil.notifier.Channel;
import io.vigil.notifier.SendResult;
import io.vigil.notifier.config.NotifierConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one HTTP client of the HTTP senders (Vert.x, HTTP/1.1, no redirects), with a timeout on
 * every request. Each send checks its target with the {@link TargetPolicy} and resolves its host exactly once, then
 * connects to that checked address while the request keeps the URL's host in its Host header, its TLS SNI and its
 * certificate check: a name that answers a public address to the check and a private one to a second lookup (DNS
 * rebinding) never gets the second lookup. Errors it reports never repeat the URL. Sends are non-blocking (the answer
 * completes a stage once its head arrives; the body is drained, at most {@value #MAX_DRAIN} bytes, without waiting for
 * it, unless the sender asks for it: {@link #exchangeAsync}), but the target check resolves the host: call it from a worker thread, never the event loop.
 */
@ApplicationScoped
public class HttpTransport {

    /** Headers a webhook's configuration may not override. */
    private static final Set<String> RESTRICTED = Set.of("content-length", "host", "connection", "expect", "upgrade",
            "transfer-encoding", "te", "trailer", "keep-alive", "proxy-connection");

    /** The content type of JSON bodies. */
    public static final String JSON = "application/json; charset=utf-8";

    /** The content type of form bodies. */
    public static final String FORM = "application/x-www-form-urlencoded; charset=utf-8";

    /** The most answer body bytes read (and thrown away) before the connection is dropped. */
    static final long MAX_DRAIN = 64 * 1024;

    /** The most answer body bytes {@link #exchangeAsync} reads. */
    public static final int MAX_BODY = 16 * 1024;

    private final TargetPolicy policy;
    private final HttpClient client;

    @Inject
    public HttpTransport(NotifierConfig config, Vertx vertx) {
        this(vertx, new TargetPolicy(config.allowPrivateTargets()), new HttpClientOptions(),
                Math.max(1, config.dispatch().connectionsPerHost()));
    }

    /** With a given target policy (its name lookup) and client options (tests), 16 connections per host. */
    public HttpTransport(Vertx vertx, TargetPolicy policy, HttpClientOptions options) {
        this(vertx, policy, options, 16);
    }

    /**
     * With a given target policy and client options, and at most {@code connectionsPerHost}
     * keep-alive connections to one host and port (the dispatcher limits the sends per target URL; several channels
     * may share a host).
     */
    public HttpTransport(Vertx vertx, TargetPolicy policy, HttpClientOptions options, int connectionsPerHost) {
        this.policy = policy;
        // redirects are never followed: RequestOptions.setFollowRedirects(false) on every request
        this.client = vertx.createHttpClient(new HttpClientOptions(options)
                .setForceSni(true) // the SNI is the URL's host even though the connection goes to an address
                .setVerifyHost(true)
                .setKeepAlive(true)
                .setConnectTimeout(10_000)
                .setMaxHeaderSize(16 * 1024), new PoolOptions().setHttp1MaxSize(connectionsPerHost));
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /** POSTs a JSON text to the URL the channel's configuration holds under {@code urlKey}. */
    public CompletionStage<SendResult> post(Channel channel, String urlKey, String json, Duration timeout) {
        String url = channel.text(urlKey);
        if (url == null || url.isBlank()) {
            return CompletableFuture.completedFuture(SendResult.failed("the channel has no " + urlKey));
        }
        return sendAsync(url, "POST", Map.of(), utf8(json), timeout);
    }

    /** {@link #sendAsync}, waiting for the outcome (tests). */
    public SendResult send(String url, String method, Map<String, String> headers, byte[] body, Duration timeout) {
        return sendAsync(url, method, headers, body, timeout).toCompletableFuture().join();
    }

    /**
     * Sends a JSON body to the checked address of {@code url}; the stage completes with the classified answer (never
     * exceptionally), at the latest a second after {@code timeout}.
     */
    public CompletionStage<SendResult> sendAsync(String url, String method, Map<String, String> headers, byte[] body,
                                                 Duration timeout) {
        return sendAsync(url, method, headers, body, JSON, timeout);
    }

    /**
     * Sends a body of {@code contentType} (a form, for providers that take one) to the checked address of {@code url};
     * as {@link #sendAsync(String, String, Map, byte[], Duration)} otherwise.
     */
    public CompletionStage<SendResult> sendAsync(String url, String method, Map<String, String> headers, byte[] body,
                                                 String contentType, Duration timeout) {
        return send(url, method, headers, body, contentType, timeout, false).thenApply(Answer::result);
    }

    /**
     * An answer with its body: the classified result, and the body's text (UTF-8, at most {@value #MAX_BODY} bytes; null
     * when there was no answer, or its body was longer).
     */
    public record Answer(SendResult result, String body) {
    }

    /**
     * As {@link #sendAsync(String, String, Map, byte[], String, Duration)}, completing once the answer's body has been
     * read too (within the same timeout), for providers whose answers say more than their status (Telegram's
     * {@code parameters}). Never reveals the URL; the body is the provider's, so callers quote from it with care.
     */
    public CompletionStage<Answer> exchangeAsync(String url, String method, Map<String, String> headers, byte[] body,
                                                 String contentType, Duration timeout) {
        return send(url, method, headers, body, contentType, timeout, true);
    }

    private CompletionStage<Answer> send(String url, String method, Map<String, String> headers, byte[] body,
                                         String contentType, Duration timeout, boolean readBody) {
        TargetPolicy.Checked checked = policy.check(url);
        if (checked.refused()) {
            return done(SendResult.failed("target refused: the URL " + checked.refusal()));
        }
        TargetPolicy.Target target = checked.target();
        RequestOptions request;
        try {
            request = new RequestOptions()
                    .setMethod(HttpMethod.valueOf(method))
                    .setServer(SocketAddress.inetSocketAddress(target.port(), target.address().getHostAddress()))
                    .setHost(target.host())
                    .setPort(target.port())
                    .setSsl(target.https())
                    .setURI(target.requestUri())
                    .setFollowRedirects(false)
                    .setConnectTimeout(Math.min(10_000, Math.max(1, timeout.toMillis())))
                    .setIdleTimeout(Math.max(1, timeout.toMillis()))
                    .putHeader("Host", target.hostHeader())
                    .putHeader("Content-Type", contentType)
                    .putHeader("User-Agent", "Vigil-Notifier/1");
            for (Map.Entry<String, String> header : headers.entrySet()) {
                if (!validHeader(header.getKey(), header.getValue())) {
                    return done(SendResult.failed("a configured header is not valid"));
                }
                if (!RESTRICTED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                    request.putHeader(header.getKey(), header.getValue());
                }
            }
        } catch (IllegalArgumentException e) {
            return done(SendResult.failed("the target URL or a configured header is not valid"));
        }
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        exchange(request, body, readBody ? answer : null).recover(cause -> cause instanceof HttpClosedException
                        // a kept-alive connection the target closed meanwhile (its idle limit): once more, on another
                        ? exchange(request, body, readBody ? answer : null) : io.vertx.core.Future.failedFuture(cause))
                .onSuccess(response -> {
                    if (!readBody) {
                        answer.complete(new Answer(classified(response), null));
                    }
                })
                .onFailure(answer::completeExceptionally);
        return answer.orTimeout(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS)
                .exceptionally(cause -> new Answer(failure(cause instanceof CompletionException ? cause.getCause() : cause,
                        timeout), null));
    }

    private static CompletionStage<Answer> done(SendResult result) {
        return CompletableFuture.completedFuture(new Answer(result, null));
    }

    private static SendResult classified(HttpClientResponse response) {
        return SendResult.ofHttp(response.statusCode(), response.getHeader("Retry-After"), response.getHeader("Location"));
    }

    /**
     * One request and its answer's head; with {@code withBody} the body is read (at most {@value #MAX_BODY} bytes, then
     * the connection is dropped and the body reported as null) and completes it, else it is drained and dropped.
     */
    private io.vertx.core.Future<HttpClientResponse> exchange(RequestOptions request, byte[] body,
                                                              CompletableFuture<Answer> withBody) {
        return client.request(request).compose(sending -> sending.send(Buffer.buffer(body)).onSuccess(response -> {
            if (withBody == null) {
                drain(sending, response);
            } else {
                read(sending, response, withBody);
            }
        }));
    }

    /** Reads the answer's body to the end (so the connection can be reused), dropping the connection past the cap. */
    private static void drain(io.vertx.core.http.HttpClientRequest request, HttpClientResponse response) {
        AtomicLong read = new AtomicLong();
        response.handler(chunk -> {
            if (read.addAndGet(chunk.length()) > MAX_DRAIN) {
                request.reset();
            }
        });
        response.exceptionHandler(ignored -> {
            // the outcome was decided by the status; a body cut short changes nothing
        });
    }

    /** Reads the answer's body into {@code answer}: its text, or null past {@value #MAX_BODY} bytes or when cut short. */
    private static void read(io.vertx.core.http.HttpClientRequest request, HttpClientResponse response,
                             CompletableFuture<Answer> answer) {
        SendResult result = classified(response);
        Buffer text = Buffer.buffer();
        response.handler(chunk -> {
            if (answer.isDone()) {
                return;
            }
            if (text.length() + chunk.length() > MAX_BODY) {
                answer.complete(new Answer(result, null));
                request.reset();
                return;
            }
            text.appendBuffer(chunk);
        });
        response.endHandler(ignored -> answer.complete(new Answer(result, text.toString(StandardCharsets.UTF_8))));
        response.exceptionHandler(ignored -> answer.complete(new Answer(result, null)));
    }

    private static SendResult failure(Throwable cause, Duration timeout) {
        if (cause instanceof io.vertx.core.impl.NoStackTraceTimeoutException || cause instanceof TimeoutException
                || (cause != null && cause.getClass().getSimpleName().contains("Timeout"))) {
            return SendResult.retry("no answer within " + timeout.toMillis() + " ms");
        }
        if (cause instanceof java.net.ConnectException) {
            return SendResult.retry("cannot connect to the target");
        }
        if (cause instanceof IOException) {
            return SendResult.retry("connection error: " + cause.getClass().getSimpleName());
        }
        if (cause instanceof io.vertx.core.VertxException) {
            // Vert.x's messages may name the request's path (a Slack webhook's path is its secret): never quoted
            String message = cause.getMessage() == null ? "" : cause.getMessage().toLowerCase(Locale.ROOT);
            return SendResult.retry("connection error: " + (message.contains("closed") ? "the connection was closed"
                    : cause.getClass().getSimpleName()));
        }
        return SendResult.retry("send error: " + (cause == null ? "unknown" : cause.getClass().getSimpleName()));
    }

    /** A header name is a token and a value has no control characters other than tab (no CR/LF injection). */
    private static boolean validHeader(String name, String value) {
        if (name == null || name.isEmpty() || value == null) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= 32 || c >= 127 || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
                return false;
            }
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 32 && c != '\t') || c == 127) {
                return false;
            }
        }
        return true;
    }

    /** {@code path} under a base URL that may end in slashes (a provider's configured address, a server URL). */
    public static String under(String base, String path) {
        return base.replaceAll("/+$", "") + path;
    }

    /** UTF-8 bytes of a JSON text. */
    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
