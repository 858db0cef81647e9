package io.vigil.ingest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.vigil.contracts.PingReceived;
import io.vigil.contracts.TokenHash;
import io.vigil.contracts.PingType;
import io.vigil.testkit.EmbeddedKafka;
import io.vigil.testkit.FreePorts;
import io.vigil.testkit.KafkaResource;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Ingest on a broker of its own, which the test stops: pings are then answered 503 within the bound,
 * and the service stays ready and live; once the broker is back (same port and data), pings are
 * answered 200 again and new monitors arrive, with no restart. Its trusted proxies exclude loopback, so forwarded headers from the
 * test client are ignored.
 */
@QuarkusTest
@TestProfile(BrokerOutageTest.OwnBroker.class)
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
class BrokerOutageTest {

    /** A dedicated broker, a short ack bound and a trusted-proxy list without loopback. */
    public static class OwnBroker implements QuarkusTestProfile {

        private static final String BOOTSTRAP = "vigil.test.outage-broker.bootstrap";
        private static final String HANDLE = "vigil.test.outage-broker";
        private static final String DIR = "vigil.test.outage-broker.dir";
        private static final String PORT = "vigil.test.outage-broker.port";

        /**
         * The profile and the test class may be loaded by different class loaders: the broker is kept
         * in the JVM's system properties (as an {@link AutoCloseable}) so both see the same one.
         */
        static synchronized String bootstrap() {
            if (System.getProperty(BOOTSTRAP) == null) {
                try {
                    Path dir = Files.createTempDirectory("vigil-outage-kafka-");
                    System.setProperty(DIR, dir.toString());
                    System.setProperty(PORT, Integer.toString(FreePorts.take()));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                startBroker();
            }
            return System.getProperty(BOOTSTRAP);
        }

        /** Starts the broker on its port and data directory (again, after {@link #stopBroker()}). */
        static synchronized void startBroker() {
            EmbeddedKafka broker = EmbeddedKafka.start(Path.of(System.getProperty(DIR)), Integer.parseInt(System.getProperty(PORT)));
            System.getProperties().put(HANDLE, broker);
            System.setProperty(BOOTSTRAP, broker.bootstrapServers());
        }

        static synchronized void stopBroker() throws Exception {
            ((AutoCloseable) System.getProperties().get(HANDLE)).close();
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("vigil.ingest.kafka-bootstrap", bootstrap(),
                    "vigil.ingest.ack-timeout", "500ms",
                    "vigil.ingest.retry-after-seconds", "3",
                    "vigil.ingest.trusted-proxies", "198.51.100.0/24");
        }
    }

    @Inject
    TokenRegistry registry;

    @Test
    void ignoresForwardedHeadersFromAnUntrustedPeerThenAnswers503WhileTheBrokerIsGoneAndStaysReadyThen200WhenItIsBack() throws Exception {
        Broker broker = new Broker(OwnBroker.bootstrap());
        Broker.Monitor monitor = broker.register();
        await().atMost(Duration.ofSeconds(15)).until(() -> registry.byTokenHash(TokenHash.of(monitor.token())) != null);

        given().header("X-Forwarded-For", "203.0.113.7").header("X-Forwarded-Proto", "https")
                .get("/ping/" + monitor.token()).then().statusCode(200);
        List<PingReceived> pings = broker.pings(monitor.id());
        assertThat(pings).hasSize(1);
        assertThat(pings.get(0).remoteAddr()).isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
        assertThat(pings.get(0).scheme()).isEqualTo("http");

        OwnBroker.stopBroker();

        long start = System.nanoTime();
        Response response = given().get("/ping/" + monitor.token() + "/fail");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.header("Retry-After")).isEqualTo("3");
        assertThat(response.header("Cache-Control")).isEqualTo("no-cache");
        assertThat(response.header("Ping-Body-Limit")).isEqualTo("102400");
        assertThat(took).isLessThan(Duration.ofMillis(2500)); // the bound is 500 ms: never a hang
        given().get("/api/push/" + monitor.token()).then().statusCode(503).body(containsString("\"ok\":false"));

        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().body(containsString("vigil_pings_total{outcome=\"unavailable\"} 2.0"));

        // The broker back on its port and data: pings are answered 200 again, with no restart of ingest.
        OwnBroker.startBroker();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/ping/" + monitor.token() + "/log").then().statusCode(200));
        assertThat(broker.pings(monitor.id())).extracting(PingReceived::type).contains(PingType.SUCCESS, PingType.LOG);
        Broker.Monitor later = broker.register();
        await().atMost(Duration.ofSeconds(30)).until(() -> registry.byTokenHash(TokenHash.of(later.token())) != null);
        given().get("/ping/" + later.token()).then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
    }
}
