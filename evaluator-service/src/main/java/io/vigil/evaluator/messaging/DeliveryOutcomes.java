package io.vigil.evaluator.messaging;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Blocking;
import io.vigil.contracts.DeliveryAttempted;
import io.vigil.contracts.Json;
import io.vigil.evaluator.service.DeadLetters;
import io.vigil.evaluator.service.Notifications;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code vigil.deliveries.v1} in batches (the {@code vigil-deliveries} channel, group
 * {@value #GROUP}) and records each attempt for the admin API. The batch is stored before it is acknowledged
 * (then committed); a redelivered record is recognised by its eventId. A store that fails (the database away)
 * is retried with backoff, never skipped; a record that cannot be parsed becomes a dead letter.
 */
@ApplicationScoped
public class DeliveryOutcomes {

    /** The consumer group of the delivery-outcome consumer. */
    public static final String GROUP = "vigil-evaluator-deliveries";

    private static final long FIRST_BACKOFF_MS = 200;
    private static final long MAX_BACKOFF_MS = 5_000;

    private final Notifications notifications;
    private final DeadLetters deadLetters;
    private volatile boolean stopping;

    public DeliveryOutcomes(Notifications notifications, DeadLetters deadLetters) {
        this.notifications = notifications;
        this.deadLetters = deadLetters;
    }

    @Incoming("vigil-deliveries")
    @Blocking
    public void consume(ConsumerRecords<String, byte[]> records) {
        List<DeliveryAttempted> attempts = new ArrayList<>();
        List<ConsumerRecord<String, byte[]>> unreadable = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            if (record.value() == null) {
                continue; // not a record anyone writes; nothing to keep
            }
            try {
                attempts.add(Json.read(record.value(), DeliveryAttempted.class));
            } catch (IllegalArgumentException e) {
                unreadable.add(record);
            }
        }
        long backoff = FIRST_BACKOFF_MS;
        while (!stopping) {
            try {
                unreadable.forEach(r -> deadLetters.record(r, "not a delivery attempt"));
                int stored = notifications.record(attempts);
                Log.debugf("recorded %d delivery attempts", stored);
                return;
            } catch (RuntimeException e) {
                Log.warnf("cannot record delivery attempts yet (%s); retrying", e.getClass().getSimpleName());
                try {
                    Thread.sleep(backoff); // backoff while the database is away
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    break;
                }
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
            }
        }
        throw new IllegalStateException("stopping before the delivery attempts were recorded"); // not acknowledged
    }

    void stopping(@Observes ShutdownEvent event) {
        stopping = true;
    }
}
