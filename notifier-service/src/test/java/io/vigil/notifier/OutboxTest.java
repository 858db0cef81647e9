package io.vigil.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vigil.contracts.ChannelType;
import io.vigil.contracts.DeliveryAttempted;
import io.vigil.contracts.Topics;
import io.vigil.outbox.Outbox;
import io.vigil.outbox.OutboxEvent;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import io.vigil.testkit.SmtpResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Outcomes travel through the outbox: what a committed attempt wrote there reaches the topic, in order. */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SmtpResource.class, restrictToAnnotatedClass = false)
class OutboxTest {

    @Inject
    Outbox outbox;

    @Test
    void outcomesLeftInTheOutboxAreRelayedInOrderAndRemoved() {
        UUID channel = UUID.randomUUID();
        List<DeliveryAttempted> events = IntStream.range(0, 5).mapToObj(i -> new DeliveryAttempted(DeliveryAttempted.SCHEMA,
                UUID.randomUUID(), UUID.randomUUID(), null, null, channel, ChannelType.WEBHOOK, "test", "SENT",
                Instant.now(), "delivered", 200, null, i)).toList();
        // as if the notifier had committed the attempts and died before anything reached Kafka
        QuarkusTransaction.requiringNew().run(() -> events.forEach(event ->
                outbox.enqueue(Topics.DELIVERIES, channel.toString(), event)));

        await().atMost(Duration.ofSeconds(15)).until(() -> Fixtures.outcomesFor(channel).size() == events.size());
        assertThat(Fixtures.outcomesFor(channel)).extracting(DeliveryAttempted::eventId)
                .containsExactlyElementsOf(events.stream().map(DeliveryAttempted::eventId).toList());
        await().atMost(Duration.ofSeconds(5)).until(() -> QuarkusTransaction.requiringNew()
                .call(() -> OutboxEvent.count("key", channel.toString())) == 0);
    }

    @Test
    void anAttemptThatRollsBackLeavesNoOutcome() {
        UUID channel = UUID.randomUUID();
        DeliveryAttempted event = new DeliveryAttempted(DeliveryAttempted.SCHEMA, UUID.randomUUID(), UUID.randomUUID(),
                null, null, channel, ChannelType.WEBHOOK, "test", "SENT", Instant.now(), "delivered", 200, null, 1);
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
            outbox.enqueue(Topics.DELIVERIES, channel.toString(), event);
            throw new IllegalStateException("the attempt's transaction fails after the outcome was written");
        })).isInstanceOf(IllegalStateException.class);
        UUID marker = UUID.randomUUID();
        DeliveryAttempted after = new DeliveryAttempted(DeliveryAttempted.SCHEMA, UUID.randomUUID(), UUID.randomUUID(),
                null, null, marker, ChannelType.WEBHOOK, "test", "SENT", Instant.now(), "delivered", 200, null, 1);
        // same key, so same partition: had the rolled-back outcome been sent, it would be read before this one
        QuarkusTransaction.requiringNew().run(() -> outbox.enqueue(Topics.DELIVERIES, channel.toString(), after));

        await().atMost(Duration.ofSeconds(15)).until(() -> Fixtures.outcomesFor(marker).size() == 1);
        assertThat(Fixtures.outcomesFor(channel)).isEmpty();
    }
}
