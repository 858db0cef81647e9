package io.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.contracts.Json;
import io.vigil.contracts.MonitorRegistered;
import io.vigil.contracts.TokenHash;
import io.vigil.contracts.Topics;
import io.vigil.testkit.FreePorts;
import io.vigil.testkit.SharedInfra;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Ingest never buffers for strangers: the packaged service on a 64 MiB heap holds 2,000 concurrent slow
 * uploads to unknown tokens (each has sent 64 KiB of a 100 KiB body and stalls), and real pings are still
 * answered 200 meanwhile. Were their bodies kept, 2,000 x 64 KiB = 125 MiB would not fit in that heap.
 */
class IngestSmallHeapIT {

    private static final int STRANGERS = 2_000;
    private static final int SENT = 64 * 1024;

    @Test
    void twoThousandSlowUploadsToUnknownTokensDoNotStopRealPings() throws Exception {
        int port = FreePorts.take();
        String token = "real-" + UUID.randomUUID();
        UUID monitor = UUID.randomUUID();
        List<Socket> strangers = new ArrayList<>();
        try (ServiceProcess ingest = ServiceProcess.start("ingest-service", port,
                Map.of("VIGIL_KAFKA_BOOTSTRAP", SharedInfra.kafka().bootstrapServers(), "VIGIL_INGEST_PORT", String.valueOf(port),
                        "VIGIL_PING_BODY_TIMEOUT", "5m"), "64m")) {
            register(monitor, token); // once ingest has made the topics
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            URI ping = URI.create(ingest.baseUrl() + "/ping/" + token);
            await().atMost(Duration.ofSeconds(30)).until(() -> status(http, ping) == 200);

            byte[] part = new byte[SENT];
            for (int i = 0; i < STRANGERS; i++) {
                Socket socket = new Socket("127.0.0.1", port);
                strangers.add(socket);
                OutputStream out = socket.getOutputStream();
                out.write(("POST /ping/stranger-" + UUID.randomUUID() + " HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
                        + "Content-Length: " + 100 * 1024 + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(part);
                out.flush();
            }
            // all 2,000 are still open, each stalled in the middle of its body
            for (int i = 0; i < 20; i++) {
                assertThat(status(http, ping)).as("real ping %d while %d strangers upload", i, STRANGERS).isEqualTo(200);
            }
            assertThat(ingest.isAlive()).isTrue();
            assertThat(ingest.log()).doesNotContain("OutOfMemoryError");
            assertThat(strangers).noneMatch(Socket::isClosed);
        } finally {
            for (Socket socket : strangers) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing is best effort
                }
            }
        }
    }

    private static int status(HttpClient http, URI uri) {
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString("ok"))
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Registers a monitor on the token registry topic, as the evaluator would. */
    private static void register(UUID monitor, String token) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.kafka().bootstrapServers());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.MONITORS, monitor.toString(),
                    Json.write(new MonitorRegistered(monitor, "small-heap-" + monitor, TokenHash.of(token), 1)))).get();
        }
    }
}
