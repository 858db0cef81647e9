package io.vigil.bench.alerts;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The baseline: a plain HTTP client posting the webhook bodies to the receiver with a fixed number of requests in
 * flight (each of {@code concurrency} lanes sends its next body when the previous one was answered), no database, no
 * broker. Two of them, the faster one is the baseline: a Vert.x client (the notifier's own HTTP stack, with a pool as
 * large as the concurrency) and the JDK's {@link HttpClient} (HTTP/1.1).
 */
abstract class PlainClient implements AutoCloseable {

    /** One request: the path on the receiver, the body, and the event id header the notifier sends along. */
    record Post(String path, byte[] body, String eventId) {
    }

    /** The outcome of one run: requests answered 2xx and the others (an error or another status). */
    record Outcome(int ok, int failed) {
    }

    final String name;

    PlainClient(String name) {
        this.name = name;
    }

    /** Posts every body with {@code concurrency} in flight; returns when every one was answered or failed. */
    Outcome run(List<Post> posts, int concurrency, Duration limit) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger lanes = new AtomicInteger(concurrency);
        CompletableFuture<Void> done = new CompletableFuture<>();
        for (int lane = 0; lane < concurrency; lane++) {
            sendNext(posts, next, ok, failed, lanes, done);
        }
        done.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        return new Outcome(ok.get(), failed.get());
    }

    private void sendNext(List<Post> posts, AtomicInteger next, AtomicInteger ok, AtomicInteger failed,
                          AtomicInteger lanes, CompletableFuture<Void> done) {
        int i = next.getAndIncrement();
        if (i >= posts.size()) {
            if (lanes.decrementAndGet() == 0) {
                done.complete(null);
            }
            return;
        }
        send(posts.get(i)).whenComplete((status, error) -> {
            if (error == null && status >= 200 && status < 300) {
                ok.incrementAndGet();
            } else {
                failed.incrementAndGet();
            }
            sendNext(posts, next, ok, failed, lanes, done);
        });
    }

    /** Sends one request; completes with the answer's status once its body was read. */
    abstract CompletableFuture<Integer> send(Post post);

    /** The Vert.x HTTP client, HTTP/1.1 keep-alive, a pool of {@code concurrency} connections. */
    static PlainClient vertx(Vertx vertx, int port, int concurrency) {
        io.vertx.core.http.HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
                .setTcpNoDelay(true).setDefaultHost("127.0.0.1").setDefaultPort(port),
                new PoolOptions().setHttp1MaxSize(concurrency));
        return new PlainClient("plain Vert.x client") {
            @Override
            CompletableFuture<Integer> send(Post post) {
                CompletableFuture<Integer> answer = new CompletableFuture<>();
                client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
                                .setURI(post.path())
                                .putHeader("Content-Type", "application/json; charset=utf-8")
                                .putHeader("User-Agent", "Vigil-Notifier/1")
                                .putHeader("X-Vigil-Event-Id", post.eventId()))
                        .compose(request -> request.send(Buffer.buffer(post.body())))
                        .compose(response -> response.body().map(ignored -> response))
                        .map(HttpClientResponse::statusCode)
                        .onComplete(result -> {
                            if (result.succeeded()) {
                                answer.complete(result.result());
                            } else {
                                answer.completeExceptionally(result.cause());
                            }
                        });
                return answer;
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }

    /** The JDK's HTTP client, HTTP/1.1 (it keeps connections alive and opens as many as are in flight). */
    static PlainClient jdk(int port) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        String base = "http://127.0.0.1:" + port;
        return new PlainClient("plain JDK HttpClient") {
            @Override
            CompletableFuture<Integer> send(Post post) {
                HttpRequest request = HttpRequest.newBuilder(URI.create(base + post.path()))
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json; charset=utf-8")
                        .header("User-Agent", "Vigil-Notifier/1")
                        .header("X-Vigil-Event-Id", post.eventId())
                        .POST(HttpRequest.BodyPublishers.ofByteArray(post.body())).build();
                return client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).thenApply(HttpResponse::statusCode);
            }

            @Override
            public void close() {
                // the JDK client of Java 17 has no close; its threads are daemons
            }
        };
    }
}
