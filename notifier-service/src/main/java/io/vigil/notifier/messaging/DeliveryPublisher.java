package io.vigil.notifier.messaging;

import io.quarkus.logging.Log;
import io.vigil.contracts.DeliveryAttempted;
import io.vigil.contracts.Json;
import io.vigil.contracts.Topics;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes every attempt's outcome on {@code vigil.deliveries.v1}, keyed by monitor id (by channel
 * id for a test message, which has no monitor). Sent after the attempt is committed; a failure to
 * publish is logged and does not undo the delivery.
 */
@ApplicationScoped
public class DeliveryPublisher {

    private final KafkaProducer<String, byte[]> producer;

    public DeliveryPublisher(KafkaSettings settings) {
        this.producer = new KafkaProducer<>(settings.producer());
    }

    public void publish(List<DeliveryAttempted> events) {
        for (DeliveryAttempted event : events) {
            String key = (event.monitorId() != null ? event.monitorId() : event.channelId()).toString();
            producer.send(new ProducerRecord<>(Topics.DELIVERIES, key, Json.write(event)), (metadata, error) -> {
                if (error != null) {
                    Log.warnf("could not publish the outcome of delivery %s: %s", event.deliveryId(), error.getMessage());
                }
            });
        }
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
