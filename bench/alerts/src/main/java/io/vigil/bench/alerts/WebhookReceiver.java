package io.vigil.bench.alerts;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The webhook receiver of the benchmark: a Vert.x HTTP server on loopback that answers every request {@code 200} with
 * no body at once and keeps, per request, only what the counts need: the arrival time, the channel (from the path
 * {@code /hook/<channel>}), the bench's alert key (from {@code lastPingBody}, {@code "alerts-bench <key>"}), the
 * event's {@code eventId} and the connection it came on. Requests are counted into the current {@link Phase} (the
 * notifier's run, then each baseline client); with no phase (a warm-up) they are answered and forgotten.
 */
final class WebhookReceiver implements AutoCloseable {

    /** The marker in a webhook body that names the bench's alert. */
    static final String KEY_PREFIX = "alerts-bench ";

    private static final String KEY_FIELD = "\"lastPingBody\":\"" + KEY_PREFIX;
    private static final String EVENT_ID_FIELD = "\"eventId\":\"";

    /**
     * What one sender delivered to the receiver: per alert key the number of arrivals, the first arrival's time and
     * body; the distinct eventIds; the connections used; and how many arrivals were out of their monitor's flip order.
     */
    static final class Phase {
        final String name;
        final int[] expectedChannel;
        final int monitors;
        final AtomicIntegerArray arrivals;
        final AtomicLongArray firstArrivalMicros;
        final AtomicReferenceArray<byte[]> firstBody;
        final AtomicIntegerArray lastRound;
        final AtomicInteger distinct = new AtomicInteger();
        final AtomicInteger requests = new AtomicInteger();
        final AtomicInteger unexpected = new AtomicInteger();
        final AtomicInteger outOfOrder = new AtomicInteger();
        final AtomicLong lastArrivalMicros = new AtomicLong();
        final Set<String> eventIds = ConcurrentHashMap.newKeySet();
        final Set<HttpConnection> connections = ConcurrentHashMap.newKeySet();

        /**
         * @param expectedChannel per alert key, the channel it must arrive on
         * @param monitors        the key's monitor is {@code key % monitors}, its flip round {@code key / monitors}
         */
        Phase(String name, int[] expectedChannel, int monitors) {
            this.name = name;
            this.expectedChannel = expectedChannel;
            this.monitors = monitors;
            this.arrivals = new AtomicIntegerArray(expectedChannel.length);
            this.firstArrivalMicros = new AtomicLongArray(expectedChannel.length);
            this.firstBody = new AtomicReferenceArray<>(expectedChannel.length);
            this.lastRound = new AtomicIntegerArray(monitors);
            for (int i = 0; i < monitors; i++) {
                lastRound.set(i, -1);
            }
        }

        int expected() {
            return expectedChannel.length;
        }

        /** Arrivals beyond the first of an alert (a repeat of its eventId, or a second event for it). */
        int duplicated() {
            int total = 0;
            for (int i = 0; i < arrivals.length(); i++) {
                total += Math.max(0, arrivals.get(i) - 1);
            }
            return total;
        }

        void record(int channel, int key, String eventId, HttpConnection connection, long atMicros) {
            requests.incrementAndGet();
            connections.add(connection);
            if (eventId != null) {
                eventIds.add(eventId);
            }
            if (key < 0 || key >= expectedChannel.length || expectedChannel[key] != channel) {
                unexpected.incrementAndGet();
                return;
            }
            if (arrivals.getAndIncrement(key) == 0) {
                firstArrivalMicros.set(key, atMicros);
                distinct.incrementAndGet();
            }
            int round = key / monitors;
            int before = lastRound.getAndAccumulate(key % monitors, round, Math::max);
            if (before > round) {
                outOfOrder.incrementAndGet();
            }
            lastArrivalMicros.accumulateAndGet(atMicros, Math::max);
        }
    }

    private final Vertx vertx;
    private final HttpServer server;
    private volatile Phase phase;

    private WebhookReceiver(Vertx vertx) {
        this.vertx = vertx;
        this.server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)
                .setIdleTimeout(0).setTcpNoDelay(true));
        server.requestHandler(this::handle);
    }

    /** Starts a receiver on a free loopback port, on {@code vertx}'s event loops. */
    static WebhookReceiver start(Vertx vertx) throws Exception {
        WebhookReceiver receiver = new WebhookReceiver(vertx);
        receiver.server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        return receiver;
    }

    int port() {
        return server.actualPort();
    }

    /** The webhook URL of a channel. */
    String url(int channel) {
        return "http://127.0.0.1:" + port() + "/hook/" + channel;
    }

    /** Counts what arrives from now on into {@code next} (null: answer and forget). */
    void countInto(Phase next) {
        phase = next;
    }

    private void handle(HttpServerRequest request) {
        request.body().onComplete(body -> {
            long at = micros(Instant.now());
            Phase current = phase;
            if (current != null && body.succeeded()) {
                String path = request.path();
                int channel = path.startsWith("/hook/") ? parseInt(path, 6) : -1;
                Buffer buffer = body.result();
                String text = buffer.toString(StandardCharsets.ISO_8859_1);
                int key = -1;
                int k = text.indexOf(KEY_FIELD);
                if (k >= 0) {
                    key = parseInt(text, k + KEY_FIELD.length());
                }
                String eventId = null;
                int e = text.indexOf(EVENT_ID_FIELD);
                if (e >= 0 && e + EVENT_ID_FIELD.length() + 36 <= text.length()) {
                    eventId = text.substring(e + EVENT_ID_FIELD.length(), e + EVENT_ID_FIELD.length() + 36);
                }
                if (key >= 0 && key < current.expected() && current.firstBody.get(key) == null) {
                    current.firstBody.compareAndSet(key, null, buffer.getBytes());
                }
                current.record(channel, key, eventId, request.connection(), at);
            }
            request.response().setStatusCode(200).end();
        });
    }

    /** The non-negative decimal at {@code from}, or -1 when there is none. */
    private static int parseInt(String text, int from) {
        int value = 0;
        int i = from;
        while (i < text.length() && i - from < 9) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                break;
            }
            value = value * 10 + (c - '0');
            i++;
        }
        return i == from ? -1 : value;
    }

    static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    Vertx vertx() {
        return vertx;
    }
}
