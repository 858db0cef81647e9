package io.vigil.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.vigil.contracts.ChannelType;
import io.vigil.contracts.DeliveryAttempted;
import io.vigil.testkit.HttpReceiver;
import io.vigil.testkit.HttpReceiver.Reply;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import io.vigil.testkit.SmtpResource;
import java.io.IOException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SmtpResource.class, restrictToAnnotatedClass = false)
class RetryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpReceiver receiver = HttpReceiver.start();

    @AfterEach
    void close() {
        receiver.close();
    }

    private String eventId(HttpReceiver.Request request) {
        try {
            return JSON.readTree(request.body()).get("eventId").asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aServerErrorIsRetriedWithTheSameEventIdAndEveryAttemptIsPublished() {
        receiver.enqueue(Reply.status(500), Reply.status(503));
        UUID channel = Fixtures.webhook(receiver.url("/flaky"));
        Fixtures.Monitor monitor = new Fixtures.Monitor("flaky", channel);
        Fixtures.publish(monitor.down());

        await().atMost(Duration.ofSeconds(15)).until(() -> receiver.requests("/flaky").size() == 3);
        List<HttpReceiver.Request> requests = receiver.requests("/flaky");
        assertThat(requests).extracting(this::eventId).containsOnly(eventId(requests.get(0)));

        await().atMost(Duration.ofSeconds(15)).until(() -> Fixtures.outcomesFor(channel).size() == 3);
        List<DeliveryAttempted> outcomes = Fixtures.outcomesFor(channel);
        assertThat(outcomes).extracting(DeliveryAttempted::outcome).containsExactly("retry", "retry", "delivered");
        assertThat(outcomes).extracting(DeliveryAttempted::status).containsExactly("PENDING", "PENDING", "SENT");
        assertThat(outcomes).extracting(DeliveryAttempted::httpStatus).containsExactly(500, 503, 200);
        assertThat(outcomes).extracting(DeliveryAttempted::monitorId).containsOnly(monitor.id);
        assertThat(outcomes).extracting(DeliveryAttempted::kind).containsOnly("alert");
        assertThat(outcomes.get(0).error()).isEqualTo("target answered HTTP 500");
        assertThat(outcomes.get(0).deliveryId().toString()).isEqualTo(eventId(requests.get(0)));

        // the delivery and its attempt rows say the same (written for the batch, one statement each)
        UUID deliveryId = outcomes.get(0).deliveryId();
        Delivery delivery = QuarkusTransaction.requiringNew().call(() -> Delivery.findById(deliveryId));
        assertThat(delivery.status).isEqualTo(DeliveryStatus.SENT);
        assertThat(delivery.attemptCount).isEqualTo(3);
        assertThat(delivery.lastHttpStatus).isEqualTo(200);
        assertThat(delivery.lastError).isNull();
        assertThat(delivery.leaseUntil).isNull();
        // the database keeps microseconds
        assertThat(delivery.firstAttemptAt).isCloseTo(outcomes.get(0).at(), within(1, ChronoUnit.MICROS));
        assertThat(delivery.lastAttemptAt).isCloseTo(outcomes.get(2).at(), within(1, ChronoUnit.MICROS));
        List<Attempt> attempts = QuarkusTransaction.requiringNew().call(() ->
                Attempt.<Attempt>list("deliveryId = ?1 order by at", deliveryId));
        assertThat(attempts).extracting(attempt -> attempt.outcome).containsExactly("retry", "retry", "delivered");
        assertThat(attempts).extracting(attempt -> attempt.httpStatus).containsExactly(500, 503, 200);
        assertThat(attempts).extracting(attempt -> attempt.error)
                .containsExactly("target answered HTTP 500", "target answered HTTP 503", null);
        for (int i = 0; i < attempts.size(); i++) {
            assertThat(attempts.get(i).at).isCloseTo(outcomes.get(i).at(), within(1, ChronoUnit.MICROS));
            assertThat(attempts.get(i).durationMs).isEqualTo(outcomes.get(i).durationMs());
        }
    }

    @Test
    void aRecoveryWaitsBehindItsMonitorsRetryingDownAlert() {
        receiver.enqueue(Reply.status(500), Reply.status(502));
        UUID channel = Fixtures.webhook(receiver.url("/ordered"));
        Fixtures.Monitor monitor = new Fixtures.Monitor("ordered", channel);
        Fixtures.publish(monitor.down());
        Fixtures.publish(monitor.up());

        await().atMost(Duration.ofSeconds(15)).until(() -> receiver.requests("/ordered").size() == 4);
        assertThat(receiver.requests("/ordered")).extracting(request -> request.bodyText().contains("\"status\":\"UP\""))
                .containsExactly(false, false, false, true);
    }

    @Test
    void tooManyRequestsWaitsForRetryAfter() {
        receiver.enqueue(Reply.status(429).withHeader("Retry-After", "2"));
        UUID channel = Fixtures.webhook(receiver.url("/busy"));
        Fixtures.publish(new Fixtures.Monitor("busy", channel).down());

        await().atMost(Duration.ofSeconds(15)).until(() -> receiver.requests("/busy").size() == 2);
        List<HttpReceiver.Request> requests = receiver.requests("/busy");
        // the backoff alone would retry after about 0.2 s
        assertThat(Duration.between(requests.get(0).at(), requests.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(1950));
    }

    @Test
    void aHugeRetryAfterIsRecordedAndClampedToTheGiveUpTime() {
        receiver.enqueue(Reply.status(429).withHeader("Retry-After", "9223372036854775807"));
        UUID channel = Fixtures.webhook(receiver.url("/forever"));
        Fixtures.Monitor monitor = new Fixtures.Monitor("forever", channel);
        Fixtures.publish(monitor.down());

        await().atMost(Duration.ofSeconds(15)).until(() -> Fixtures.outcomesFor(channel).size() == 1);
        DeliveryAttempted outcome = Fixtures.outcomesFor(channel).get(0);
        assertThat(outcome.outcome()).isEqualTo("retry");
        assertThat(outcome.status()).isEqualTo("PENDING");
        assertThat(outcome.httpStatus()).isEqualTo(429);
        Delivery delivery = QuarkusTransaction.requiringNew().call(() -> Delivery.findById(outcome.deliveryId()));
        // the test profile gives up after two minutes
        assertThat(delivery.nextAttemptAt).isEqualTo(delivery.firstAttemptAt.plus(Duration.ofMinutes(2)));
        assertThat(delivery.leaseUntil).isNull();

        // the channel is not blocked: another monitor's alert still goes out
        Fixtures.publish(new Fixtures.Monitor("after-forever", channel).down());
        await().atMost(Duration.ofSeconds(15)).until(() -> receiver.requests("/forever").size() == 2);
    }

    @Test
    void aRedirectFromAWebhookSlackOrTeamsTargetFailsAtOnceNamingTheLocation() {
        UUID webhook = Fixtures.webhook(receiver.url("/moved-hook"));
        UUID slack = Fixtures.slack(receiver.url("/moved-slack"));
        UUID teams = Fixtures.channel(ChannelType.TEAMS, Map.of("webhookUrl", receiver.url("/moved-teams")), null, null);
        receiver.enqueue(Reply.status(301).withHeader("Location", "https://elsewhere.example/new?sig=abc"),
                Reply.status(302).withHeader("Location", "https://elsewhere.example/new?sig=abc"),
                Reply.status(308).withHeader("Location", "https://elsewhere.example/new?sig=abc"));
        Fixtures.publish(new Fixtures.Monitor("moved", webhook, slack, teams).down());

        for (UUID channel : List.of(webhook, slack, teams)) {
            await().atMost(Duration.ofSeconds(15)).until(() -> Fixtures.outcomesFor(channel).size() == 1);
            DeliveryAttempted outcome = Fixtures.outcomesFor(channel).get(0);
            assertThat(outcome.outcome()).isEqualTo("failed");
            assertThat(outcome.status()).isEqualTo("FAILED");
            assertThat(outcome.httpStatus()).isBetween(301, 308);
            assertThat(outcome.error()).endsWith("(a redirect, not followed; Location: https://elsewhere.example/new)");
        }
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> receiver.requests().size() == 3);
    }

    @Test
    void notFoundFailsAtOnceWithoutRetrying() {
        receiver.enqueue(Reply.status(404));
        UUID channel = Fixtures.webhook(receiver.url("/gone"));
        Fixtures.publish(new Fixtures.Monitor("gone", channel).down());

        await().atMost(Duration.ofSeconds(15)).until(() -> Fixtures.outcomesFor(channel).size() == 1);
        DeliveryAttempted outcome = Fixtures.outcomesFor(channel).get(0);
        assertThat(outcome.outcome()).isEqualTo("failed");
        assertThat(outcome.status()).isEqualTo("FAILED");
        assertThat(outcome.httpStatus()).isEqualTo(404);
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> receiver.requests("/gone").size() == 1);
    }

    @Test
    void aTargetThatHangsPastTheTimeoutIsRetried() {
        receiver.enqueue(Reply.status(200).after(Duration.ofSeconds(3)));
        UUID channel = Fixtures.webhook(receiver.url("/slow"));
        Fixtures.publish(new Fixtures.Monitor("slow", channel).down());

        await().atMost(Duration.ofSeconds(15)).until(() -> Fixtures.outcomesFor(channel).size() == 2);
        List<DeliveryAttempted> outcomes = Fixtures.outcomesFor(channel);
        assertThat(outcomes.get(0).outcome()).isEqualTo("retry");
        assertThat(outcomes.get(0).error()).contains("no answer within 1000 ms");
        assertThat(outcomes.get(0).durationMs()).isBetween(900L, 2900L);
        assertThat(outcomes.get(1).outcome()).isEqualTo("delivered");
        assertThat(receiver.requests("/slow")).hasSize(2);
    }
}
