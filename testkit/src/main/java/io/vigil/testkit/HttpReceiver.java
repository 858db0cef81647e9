package io.vigil.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * A local HTTP server standing in for Slack, Teams and webhook receivers: it records every request
 * and answers from a script ({@link #enqueue(Reply...)}), then with {@code 200 ok} once the script is
 * used up. Each test starts its own on a free loopback port.
 */
public final class HttpReceiver implements AutoCloseable {

    /** One request as the receiver saw it. */
    public record Request(String method, String path, String query, Map<String, List<String>> headers, byte[] body,
                          Instant at) {

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The first value of a header, looked up case-insensitively, or null. */
        public String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    /** A scripted answer: status, headers, body, and how long to wait before answering. */
    public record Reply(int status, Map<String, String> headers, String body, Duration delay) {

        public static Reply status(int status) {
            return new Reply(status, Map.of(), "", Duration.ZERO);
        }

        public Reply withHeader(String name, String value) {
            Map<String, String> all = new TreeMap<>(headers);
            all.put(name, value);
            return new Reply(status, all, body, delay);
        }

        public Reply withBody(String text) {
            return new Reply(status, headers, text, delay);
        }

        public Reply after(Duration wait) {
            return new Reply(status, headers, body, wait);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "http-receiver");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Request> requests = new ArrayList<>();
    private final Deque<Reply> script = new ArrayDeque<>();
    private final List<Map.Entry<Predicate<Request>, Deque<Reply>>> scriptsFor = new ArrayList<>();

    private HttpReceiver(HttpServer server) {
        this.server = server;
    }

    /** Starts a receiver on a free loopback port. */
    public static HttpReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            HttpReceiver receiver = new HttpReceiver(server);
            server.createContext("/", receiver::handle);
            server.setExecutor(receiver.executor);
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base URL, e.g. {@code http://127.0.0.1:40123}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A URL on this receiver for {@code path} (which starts with a slash). */
    public String url(String path) {
        return baseUrl() + path;
    }

    /** Queues answers for the next requests, in order. */
    public synchronized HttpReceiver enqueue(Reply... replies) {
        script.addAll(List.of(replies));
        return this;
    }

    /**
     * Queues answers for the next requests that {@code matches} accepts, in order, ahead of the general script (a
     * receiver shared by several tests: each scripts its own requests, told apart by their path or body).
     */
    public synchronized HttpReceiver enqueueFor(Predicate<Request> matches, Reply... replies) {
        scriptsFor.add(Map.entry(matches, new ArrayDeque<>(List.of(replies))));
        return this;
    }

    /** A snapshot of every request so far, oldest first. */
    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The requests to one path, oldest first. */
    public synchronized List<Request> requests(String path) {
        return requests.stream().filter(request -> request.path().equals(path)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
            Reply reply;
            synchronized (this) {
                Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                        exchange.getRequestURI().getRawQuery(), headers, body, Instant.now());
                requests.add(request);
                reply = scriptsFor.stream().filter(scripted -> !scripted.getValue().isEmpty()
                        && scripted.getKey().test(request)).findFirst().map(scripted -> scripted.getValue().poll()).orElse(null);
                if (reply == null) {
                    reply = script.isEmpty() ? Reply.status(200).withBody("ok") : script.poll();
                }
            }
            if (!reply.delay().isZero()) {
                try {
                    Thread.sleep(reply.delay().toMillis()); // a scripted slow or hanging target
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            byte[] answer = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(reply.status(), answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
