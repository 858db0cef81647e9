package io.vigil.ingest.health;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.vigil.ingest.messaging.RegistryConsumer;
import io.vigil.ingest.scheduling.Watermarks;
import io.vigil.testkit.KafkaResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code /q/health/live} turns DOWN when a loop stops moving for the liveness timeout (2 s here) and
 * UP again once it moves: the watermark beat stopped, the registry consumer's polling thread held.
 */
@QuarkusTest
@TestProfile(LivenessTest.ShortTimeout.class)
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
class LivenessTest {

    /** A 2 s liveness timeout, the registry probed every second. */
    public static class ShortTimeout implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("vigil.ingest.liveness-timeout", "2s");
        }
    }

    @Inject
    Watermarks watermarks;

    @Inject
    KafkaClientService clients;

    private static void awaitLive(int status, String body) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                given().get("/q/health/live").then().statusCode(status).body(containsString(body)));
    }

    @Test
    void aWatermarkBeatThatStopsTurnsLivenessDownUntilItBeatsAgain() {
        awaitLive(200, "ingest-loops");
        watermarks.pause();
        try {
            awaitLive(503, "the watermark beat last moved at");
        } finally {
            watermarks.resume();
        }
        awaitLive(200, "\"status\": \"UP\"");
    }

    @Test
    void aRegistryConsumerWhosePollingThreadHangsTurnsLivenessDownUntilItPollsAgain() throws Exception {
        awaitLive(200, "ingest-loops");
        CountDownLatch release = new CountDownLatch(1);
        clients.getConsumer(RegistryConsumer.CHANNEL).runOnPollingThread(consumer -> {
            try {
                release.await(60, TimeUnit.SECONDS); // a poll loop that hangs
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }).subscribe().with(v -> { }, e -> { });
        try {
            // "... last moved at <t>", or "... has not run since <start>" when the hang came before its first probe
            awaitLive(503, "\"the token registry consumer's polling thread\": \"the token registry consumer's polling thread ");
        } finally {
            release.countDown();
        }
        awaitLive(200, "\"status\": \"UP\"");
    }
}
