package io.vigil.notifier.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PfxOptions;
import io.vigil.contracts.TargetPolicy;
import io.vigil.notifier.SendResult;
import io.vigil.testkit.HttpReceiver;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The transport connects to the address the target policy checked, and nowhere else, keeping the names. */
class HttpTransportTest {

    private final Vertx vertx = Vertx.vertx();
    private final HttpReceiver receiver = HttpReceiver.start();
    private final byte[] body = "{\"version\":1}".getBytes(StandardCharsets.UTF_8);

    @AfterEach
    void close() throws Exception {
        receiver.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** A name that answers the receiver's address to the first lookup and a private one to every later lookup. */
    private static TargetPolicy.Lookup rebinding(AtomicInteger lookups) throws Exception {
        InetAddress first = InetAddress.getByName("127.0.0.1");
        InetAddress later = InetAddress.getByName("10.255.255.1");
        return name -> lookups.getAndIncrement() == 0 ? new InetAddress[] {first} : new InetAddress[] {later};
    }

    @Test
    void connectsToTheCheckedAddressWithoutASecondLookupKeepingTheHostHeader() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        HttpTransport transport = new HttpTransport(vertx, new TargetPolicy(true, rebinding(lookups)), new HttpClientOptions());
        int port = Integer.parseInt(receiver.baseUrl().substring(receiver.baseUrl().lastIndexOf(':') + 1));

        SendResult result = transport.send("http://hooks.rebind.invalid:" + port + "/services/T0?x=1", "POST",
                Map.of("X-Team", "ops"), body, Duration.ofSeconds(5));

        assertThat(result.outcome()).as(String.valueOf(result.error())).isEqualTo(SendResult.Outcome.DELIVERED);
        assertThat(lookups).as("one lookup: the checked one").hasValue(1);
        HttpReceiver.Request request = receiver.requests("/services/T0").get(0);
        assertThat(request.header("Host")).isEqualTo("hooks.rebind.invalid:" + port);
        assertThat(request.query()).isEqualTo("x=1");
        assertThat(request.header("X-Team")).isEqualTo("ops");
        assertThat(request.body()).isEqualTo(body);
    }

    @Test
    void refusesATargetWhenAnyResolvedAddressIsPrivate() throws Exception {
        InetAddress[] both = {InetAddress.getByName("93.184.215.14"), InetAddress.getByName("127.0.0.1")};
        HttpTransport transport = new HttpTransport(vertx, new TargetPolicy(false, name -> both), new HttpClientOptions());

        SendResult result = transport.send(receiver.url("/x").replace("127.0.0.1", "hooks.mixed.invalid"), "POST",
                Map.of(), body, Duration.ofSeconds(5));

        assertThat(result.outcome()).isEqualTo(SendResult.Outcome.FAILED);
        assertThat(result.error()).startsWith("target refused: the URL resolves to a loopback, private");
        assertThat(receiver.requests()).isEmpty();
    }

    @Test
    void refusesHeadersThatWouldInjectLines() {
        HttpTransport transport = new HttpTransport(vertx, new TargetPolicy(true), new HttpClientOptions());
        SendResult result = transport.send(receiver.url("/inject"), "POST", Map.of("X-A", "1\r\nX-Injected: yes"), body,
                Duration.ofSeconds(5));
        assertThat(result.outcome()).isEqualTo(SendResult.Outcome.FAILED);
        assertThat(result.error()).isEqualTo("a configured header is not valid");
        assertThat(receiver.requests()).isEmpty();
    }

    /** A self-signed certificate for {@code name} in a fresh PKCS#12 file (the JDK's keytool: no extra library). */
    private static PfxOptions certificateFor(String name) throws Exception {
        Path dir = Files.createTempDirectory("vigil-tls");
        Path store = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
                "-ext", "SAN=dns:" + name, "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor()).as(output).isZero();
        store.toFile().deleteOnExit();
        dir.toFile().deleteOnExit();
        return new PfxOptions().setPath(store.toString()).setPassword("changeit");
    }

    @Test
    void overTlsTheServerNameAndTheCertificateCheckUseTheUrlsHost() throws Exception {
        PfxOptions certificate = certificateFor("hooks.sni.invalid");
        AtomicReference<String> indicated = new AtomicReference<>();
        AtomicReference<String> host = new AtomicReference<>();
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setSni(true)
                        .setKeyCertOptions(certificate).setHost("127.0.0.1").setPort(0))
                .requestHandler(request -> {
                    indicated.set(request.connection().indicatedServerName());
                    host.set(request.getHeader("Host"));
                    request.response().setStatusCode(204).end();
                });
        server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        try {
            AtomicInteger lookups = new AtomicInteger();
            HttpTransport transport = new HttpTransport(vertx, new TargetPolicy(true, rebinding(lookups)),
                    new HttpClientOptions().setTrustOptions(certificate));

            SendResult result = transport.send("https://hooks.sni.invalid:" + server.actualPort() + "/hook", "POST",
                    Map.of(), body, Duration.ofSeconds(5));

            assertThat(result.outcome()).as(String.valueOf(result.error())).isEqualTo(SendResult.Outcome.DELIVERED);
            assertThat(indicated.get()).isEqualTo("hooks.sni.invalid");
            assertThat(host.get()).isEqualTo("hooks.sni.invalid:" + server.actualPort());
            assertThat(lookups).hasValue(1);

            // the same address under a name the certificate does not carry: the certificate check fails
            SendResult wrongName = new HttpTransport(vertx, new TargetPolicy(true,
                    name -> new InetAddress[] {InetAddress.getByName("127.0.0.1")}),
                    new HttpClientOptions().setTrustOptions(certificate))
                    .send("https://other.invalid:" + server.actualPort() + "/hook", "POST", Map.of(), body, Duration.ofSeconds(5));
            assertThat(wrongName.outcome()).isEqualTo(SendResult.Outcome.RETRY);
        } finally {
            server.close();
        }
    }

    @Test
    void answersTheBodyWhenAskedUpToSixteenKibibytes() throws Exception {
        HttpTransport transport = new HttpTransport(vertx, new TargetPolicy(true), new HttpClientOptions());
        receiver.enqueue(HttpReceiver.Reply.status(400).withBody("{\"ok\":false}"),
                HttpReceiver.Reply.status(200).withBody("x".repeat(HttpTransport.MAX_BODY + 1)),
                HttpReceiver.Reply.status(200).withBody("after"));

        HttpTransport.Answer small = transport.exchangeAsync(receiver.url("/a"), "POST", Map.of(), body, HttpTransport.JSON,
                Duration.ofSeconds(5)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        HttpTransport.Answer large = transport.exchangeAsync(receiver.url("/b"), "POST", Map.of(), body, HttpTransport.JSON,
                Duration.ofSeconds(5)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        SendResult next = transport.send(receiver.url("/c"), "POST", Map.of(), body, Duration.ofSeconds(5));

        assertThat(small.result().outcome()).isEqualTo(SendResult.Outcome.FAILED);
        assertThat(small.result().httpStatus()).isEqualTo(400);
        assertThat(small.body()).isEqualTo("{\"ok\":false}");
        assertThat(large.result().outcome()).isEqualTo(SendResult.Outcome.DELIVERED);
        assertThat(large.body()).as("past the cap").isNull();
        assertThat(next.outcome()).as("the client still works").isEqualTo(SendResult.Outcome.DELIVERED);
    }
}
