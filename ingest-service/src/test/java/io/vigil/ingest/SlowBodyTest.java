package io.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vigil.contracts.TokenHash;
import io.vigil.testkit.KafkaResource;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Every ping body has a read deadline (the test profile's {@code body-timeout} is 3 s): a body that does not
 * arrive in time is answered 408 and its connection closed, for a known token and for an unknown one; the body
 * of an unknown token is read and thrown away, and answered 404 only once it has all arrived.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
class SlowBodyTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    TokenRegistry registry;

    @TestHTTPResource("/")
    URI base;

    @Test
    void aBodyThatStopsArrivingIsAnswered408() throws Exception {
        Broker broker = new Broker(bootstrap);
        Broker.Monitor monitor = broker.register();
        await().atMost(Duration.ofSeconds(10)).until(() -> registry.byTokenHash(TokenHash.of(monitor.token())) != null);
        for (String token : new String[] {monitor.token(), "unknown-" + UUID.randomUUID()}) {
            try (Socket socket = new Socket(base.getHost(), base.getPort())) {
                socket.setSoTimeout(15_000);
                OutputStream out = socket.getOutputStream();
                out.write(("POST /ping/" + token + " HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.write(new byte[100]);
                out.flush();
                long start = System.nanoTime();
                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                Duration waited = Duration.ofNanos(System.nanoTime() - start);
                assertThat(answer).as("answer for %s", token).startsWith("HTTP/1.1 408").contains("Connection: close")
                        .contains("Ping-Body-Limit: ");
                assertThat(waited).isBetween(Duration.ofMillis(2_500), Duration.ofSeconds(12));
            }
        }
        assertThat(broker.pings(monitor.id())).isEmpty();
    }

    @Test
    void anUnknownTokensBodyIsDrainedAndTheConnectionStaysUsable() throws Exception {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            int size = 300 * 1024;
            out.write(("POST /ping/unknown-" + UUID.randomUUID() + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + size + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(new byte[size - 1]);
            out.flush();
            assertThat(in.available()).as("no answer before the body's last byte").isZero();
            out.write(0);
            out.flush();
            String first = head(in);
            assertThat(first).startsWith("HTTP/1.1 404").doesNotContain("Connection: close");
            // the same connection carries the next request: the body was read to its end
            out.write("GET /ping/unknown-again-0123456789 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            assertThat(head(in)).startsWith("HTTP/1.1 404");
        }
    }

    /** Reads one answer: its head and its Content-Length body; returns the head. */
    private static String head(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        String text = head.toString();
        int at = text.toLowerCase().indexOf("content-length:");
        if (at >= 0) {
            int length = Integer.parseInt(text.substring(at + 15, text.indexOf("\r\n", at)).trim());
            in.readNBytes(length);
        }
        return text;
    }
}
