package io.vigil.ingest.messaging;

import io.smallrye.reactive.messaging.ClientCustomizer;
import io.vigil.ingest.config.IngestConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.eclipse.microprofile.config.Config;

/**
 * The settings of the {@code pings} channel's producer that follow from the service's own: its
 * timeouts from the 503 bound ({@code VIGIL_PING_ACK_TIMEOUT}), so a ping answered 503 is seldom
 * written later, its largest request from the body limit, its linger. The connector's own re-send of
 * a failed record is off ({@code retries=0} on the channel: a ping not acked within the bound was
 * answered 503 and its sender retries), while the Kafka client keeps its internal retries within the
 * delivery timeout, which the idempotent producer needs.
 */
@ApplicationScoped
public class ProducerSettings implements ClientCustomizer<Map<String, Object>> {

    private final IngestConfig config;

    public ProducerSettings(IngestConfig config) {
        this.config = config;
    }

    @Override
    public Map<String, Object> customize(String channel, Config channelConfig, Map<String, Object> kafka) {
        if (!PingWriter.CHANNEL.equals(channel)) {
            return kafka;
        }
        long ackMs = config.ackTimeout().toMillis();
        int linger = config.lingerMs();
        int requestTimeout = (int) Math.max(500, ackMs - linger - 100);
        kafka.put(ProducerConfig.LINGER_MS_CONFIG, Integer.toString(linger));
        kafka.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(requestTimeout));
        kafka.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(Math.max(ackMs, requestTimeout + linger)));
        kafka.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(Math.max(1024 * 1024, PingWriter.maxRecordSize(config.bodyLimit()))));
        kafka.remove(ProducerConfig.RETRIES_CONFIG);
        return kafka;
    }
}
