package io.vigil.ingest.messaging;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import io.vigil.contracts.Json;
import io.vigil.contracts.MonitorRegistered;
import io.vigil.contracts.PingKeyRegistered;
import io.vigil.ingest.TokenRegistry;
import io.vigil.ingest.health.Progress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Default;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Follows the compacted token registry ({@code vigil.monitors.v1}, channel {@code registry}) into
 * the {@link TokenRegistry}: a consumer group of this instance alone (a unique group id, no commits,
 * {@code auto.offset.reset=earliest}), so every instance reads every partition from its beginning,
 * and partitions added to the topic later are assigned to it (read from their beginning) at the
 * rebalance the consumer's metadata refresh starts. Its rebalance listener keeps the positions of
 * partitions it had, so a rebalance never replays a partition (which would bring a deleted monitor
 * back until its tombstone is read again).
 * <p>
 * A job on the consumer's polling thread ({@link #probe()}) reads the end offsets to reach at the
 * first assignment and the positions after, for {@link #caughtUp()}, and proves the polling thread
 * alive for the liveness check.
 */
@ApplicationScoped
@Default
@Identifier("vigil-registry") // the channel's consumer-rebalance-listener.name
public class RegistryConsumer implements KafkaConsumerRebalanceListener {

    /** The channel, as application.properties configures it. */
    public static final String CHANNEL = "registry";
    private static final Duration BROKER_WAIT = Duration.ofSeconds(2);

    private final TokenRegistry registry;
    private final KafkaClientService clients;
    private final InstantSource clock;
    private final RegistryProgress progress = new RegistryProgress();
    private final Progress polling;
    private final Progress applying;
    /** Positions of partitions revoked from this consumer, to resume them where they were. */
    private final Map<TopicPartition, Long> kept = new ConcurrentHashMap<>();

    public RegistryConsumer(TokenRegistry registry, KafkaClientService clients, InstantSource clock) {
        this.registry = registry;
        this.clients = clients;
        this.clock = clock;
        this.polling = Progress.beating("the token registry consumer's polling thread", clock);
        this.applying = Progress.onDemand("the token registry consumer", clock);
    }

    /** Applies one poll's registry records; a record that cannot be read is logged and skipped. */
    @Incoming(CHANNEL)
    public void apply(ConsumerRecords<String, byte[]> records) {
        applying.busy();
        try {
            for (ConsumerRecord<String, byte[]> record : records) {
                apply(record);
                progress.applied(new TopicPartition(record.topic(), record.partition()), record.offset(), clock.instant());
            }
        } finally {
            applying.done();
        }
    }

    /** Whether the view holds everything the topic held when this instance started. */
    public boolean caughtUp() {
        return progress.caughtUp();
    }

    /** Progress of the polling thread (probe answered) and of the record applier (batch not stuck). */
    public Set<Progress> progress() {
        return Set.of(polling, applying);
    }

    /** Reads the goal (first time) and the positions on the polling thread, between two polls. */
    @Scheduled(every = "${vigil.ingest.registry-check:1s}", identity = "registry-probe",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void probe() {
        KafkaConsumer<String, byte[]> consumer = clients.getConsumer(CHANNEL);
        if (consumer == null) {
            return;
        }
        consumer.runOnPollingThread(this::observe).subscribe().with(
                positions -> progress.positions(positions, clock.instant()),
                error -> Log.debugf("token registry probe: %s", error.toString()));
    }

    /** On the polling thread: it is alive; the goal once, then where each partition is. */
    Map<TopicPartition, Long> observe(Consumer<String, byte[]> consumer) {
        polling.beat();
        Set<TopicPartition> assignment = consumer.assignment();
        Map<TopicPartition, Long> positions = new HashMap<>();
        if (assignment.isEmpty()) {
            return positions;
        }
        try {
            if (!progress.hasGoal()) {
                progress.assigned(consumer.beginningOffsets(assignment, BROKER_WAIT), consumer.endOffsets(assignment, BROKER_WAIT));
            }
            for (TopicPartition partition : assignment) {
                positions.put(partition, consumer.position(partition, BROKER_WAIT));
            }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            // the broker is away: the next probe asks again
        }
        return positions;
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            try {
                kept.put(partition, consumer.position(partition, BROKER_WAIT));
            } catch (RuntimeException e) {
                Log.debugf("no position kept for %s: %s", partition, e.toString());
            }
        }
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        int resumed = 0;
        for (TopicPartition partition : partitions) {
            Long position = kept.remove(partition);
            if (position != null) {
                consumer.seek(partition, position);
                resumed++;
            }
        }
        Log.infof("token registry: %d partitions assigned (%d resumed where they were, the others from their beginning)",
                partitions.size(), resumed);
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        UUID monitorId;
        try {
            monitorId = UUID.fromString(record.key());
        } catch (RuntimeException e) {
            Log.warnf("skipping a registry record without a monitor id key at %s-%d@%d", record.topic(), record.partition(), record.offset());
            return;
        }
        if (record.value() == null) {
            registry.delete(monitorId);
            Log.debugf("monitor %s deleted from the token registry", monitorId);
            return;
        }
        try {
            MonitorRegistered registered = Json.read(record.value(), MonitorRegistered.class);
            if (registered.monitorId() == null && applyPingKey(record, monitorId)) {
                return;
            }
            if (registered.monitorId() == null || !registered.monitorId().equals(monitorId)) {
                Log.warnf("skipping a registry record whose key and monitor id differ at %s-%d@%d", record.topic(), record.partition(), record.offset());
                return;
            }
            registry.apply(registered);
        } catch (IllegalArgumentException e) {
            Log.warnf("skipping a malformed registry record at %s-%d@%d", record.topic(), record.partition(), record.offset());
        }
    }

    /** A ping key record (keyed by the ping key's id) into the registry; false when the record is none. */
    private boolean applyPingKey(ConsumerRecord<String, byte[]> record, UUID pingKeyId) {
        PingKeyRegistered key = Json.read(record.value(), PingKeyRegistered.class);
        if (key.pingKeyId() == null || !key.pingKeyId().equals(pingKeyId)) {
            return false;
        }
        registry.apply(key);
        return true;
    }
}
