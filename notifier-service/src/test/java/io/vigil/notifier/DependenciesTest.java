package io.vigil.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vigil.contracts.ChannelType;
import io.vigil.contracts.DeliveryAttempted;
import io.vigil.contracts.MonitorFlipped;
import io.vigil.contracts.Status;
import io.vigil.testkit.HttpReceiver;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import io.vigil.testkit.SmtpResource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Dependencies at the notifier: a LATE or DOWN held for a parent ({@code suppressedBy}) is recorded as suppressed and
 * sent nowhere, nor is the recovery that ends it; a held DOWN's release ({@code releaseOf}) is an alert like any DOWN,
 * in the monitor's order, sent once.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SmtpResource.class, restrictToAnnotatedClass = false)
class DependenciesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpReceiver receiver = HttpReceiver.start();

    @AfterEach
    void close() {
        receiver.close();
    }

    private List<JsonNode> events(String path) {
        return receiver.requests(path).stream().map(request -> {
            try {
                return JSON.readTree(request.body());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).toList();
    }

    /** The alerts at {@code path} as monitor:status, once per eventId (a send repeated after a lease ran out counts once). */
    private List<String> alerts(String path) {
        Map<String, String> distinct = new java.util.LinkedHashMap<>();
        events(path).stream().filter(event -> "alert".equals(event.get("type").asText()))
                .forEach(event -> distinct.putIfAbsent(event.get("eventId").asText(),
                        event.get("monitor").get("name").asText() + ":" + event.get("status").asText()));
        return List.copyOf(distinct.values());
    }

    private static <T> java.util.function.Predicate<T> distinctBy(java.util.function.Function<T, String> key) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        return item -> seen.add(key.apply(item));
    }

    private static MonitorFlipped heldBy(MonitorFlipped f, UUID parent) {
        return new MonitorFlipped(f.version(), f.eventId(), f.sequence(), f.monitor(), f.previousStatus(), f.status(), f.reason(),
                f.reasonText(), f.occurredAt(), f.detectedAt(), f.lastPingAt(), f.downtime(), f.link(), f.lastPingBody(),
                f.channels(), parent, null);
    }

    private static MonitorFlipped releaseOf(MonitorFlipped held, String parentName) {
        return new MonitorFlipped(held.version(), UUID.randomUUID(), held.sequence(), held.monitor(), held.previousStatus(),
                held.status(), held.reason(), held.reasonText() + " (held while " + parentName + " was down)", held.occurredAt(),
                Instant.now(), held.lastPingAt(), null, held.link(), held.lastPingBody(), held.channels(), null, held.eventId());
    }

    @Test
    void heldAlertsAreRecordedNotSentAndAReleaseAlertsOnceInOrder() {
        UUID channel = Fixtures.channel(ChannelType.WEBHOOK, Map.of("url", receiver.url("/deps")),
                List.of(Status.LATE, Status.DOWN, Status.UP), null);
        Fixtures.Monitor parent = new Fixtures.Monitor("db", channel);
        Fixtures.Monitor stillDown = new Fixtures.Monitor("app", channel);
        Fixtures.Monitor recovered = new Fixtures.Monitor("web", channel);
        Fixtures.publish(parent.up());
        Fixtures.publish(stillDown.up());
        Fixtures.publish(recovered.up());
        Fixtures.publish(parent.down());
        Fixtures.publish(heldBy(stillDown.flip(Status.LATE, "missed", "missed check-in: due 10:00:00Z", null), parent.id));
        MonitorFlipped heldDown = Fixtures.publish(heldBy(stillDown.down(), parent.id));
        Fixtures.publish(heldBy(recovered.down(), parent.id));
        Fixtures.publish(recovered.up()); // ends a held DOWN: nobody heard of the problem
        Fixtures.publish(parent.up());
        MonitorFlipped release = releaseOf(heldDown, parent.name);
        Fixtures.publish(release);
        Fixtures.publish(release); // redelivered: sent once
        Fixtures.publish(stillDown.up()); // its recovery goes where the released alert went

        await().atMost(Duration.ofSeconds(20)).until(() -> alerts("/deps").size() >= 4);
        assertThat(alerts("/deps")).containsExactlyInAnyOrder(parent.name + ":DOWN", parent.name + ":UP",
                stillDown.name + ":DOWN", stillDown.name + ":UP");
        List<JsonNode> app = events("/deps").stream()
                .filter(event -> stillDown.name.equals(event.get("monitor").get("name").asText()))
                .filter(distinctBy(event -> event.get("eventId").asText())).toList();
        assertThat(app).extracting(event -> event.get("status").asText()).containsExactly("DOWN", "UP");
        assertThat(app.get(0).get("reasonText").asText()).isEqualTo("missed check-in: due 10:00:00Z, grace 5m (held while "
                + parent.name + " was down)");
        assertThat(app.get(0).get("previousStatus").asText()).isEqualTo("LATE");
        assertThat(Instant.parse(app.get(0).get("occurredAt").asText()))
                .isEqualTo(heldDown.occurredAt().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));

        await().atMost(Duration.ofSeconds(10)).until(() -> Fixtures.outcomesFor(channel).stream()
                .filter(outcome -> "SUPPRESSED".equals(outcome.status())).count() == 3);
        List<DeliveryAttempted> suppressed = Fixtures.outcomesFor(channel).stream()
                .filter(outcome -> "SUPPRESSED".equals(outcome.status())).toList();
        assertThat(suppressed).allSatisfy(outcome -> {
            assertThat(outcome.outcome()).isEqualTo("suppressed");
            assertThat(outcome.suppressedBy()).isEqualTo(parent.id);
            assertThat(outcome.kind()).isEqualTo("alert");
        });
        assertThat(suppressed).extracting(DeliveryAttempted::monitorId)
                .containsExactlyInAnyOrder(stillDown.id, stillDown.id, recovered.id);
        assertThat(alerts("/deps")).hasSize(4);
    }
}
