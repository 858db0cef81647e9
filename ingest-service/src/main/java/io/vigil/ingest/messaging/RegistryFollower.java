package io.vigil.ingest.messaging;

import io.quarkus.logging.Log;
import io.vigil.contracts.Json;
import io.vigil.contracts.MonitorRegistered;
import io.vigil.contracts.Topics;
import io.vigil.ingest.TokenRegistry;
import io.vigil.ingest.config.IngestConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Follows the compacted {@link Topics#MONITORS} topic from offset 0 with {@code assign()} (no
 * consumer group: every instance reads everything) into the {@link TokenRegistry}, and keeps
 * following it. {@link #caughtUp()} turns true once the end offsets read at start are reached and
 * stays true, so a broker outage later does not make the service unready. Partitions added to the
 * topic later are picked up within {@code vigil.ingest.registry-refresh} and read from their beginning.
 */
@ApplicationScoped
public class RegistryFollower {

    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration BROKER_WAIT = Duration.ofSeconds(10);

    private final TokenRegistry registry;
    private final String topic;
    private final Duration refresh;
    private final Supplier<Consumer<String, byte[]>> consumers;
    private volatile boolean caughtUp;
    private volatile boolean running;
    private volatile Consumer<String, byte[]> consumer;
    private Thread thread;
    /** The end offsets read at start; null until the partitions are assigned. Follower thread only. */
    private Map<TopicPartition, Long> end;
    private Set<TopicPartition> assigned = Set.of();
    private long lastRefresh;

    @Inject
    public RegistryFollower(IngestConfig config, TokenRegistry registry) {
        this(registry, Topics.MONITORS, config.registryRefresh(), () -> new KafkaConsumer<>(consumerProps(config.kafkaBootstrap(), config.registryRefresh())));
    }

    /** A follower of {@code topic} on consumers from {@code consumers} (tests: a private topic, a mock consumer). */
    RegistryFollower(TokenRegistry registry, String topic, Duration refresh, Supplier<Consumer<String, byte[]>> consumers) {
        this.registry = registry;
        this.topic = topic;
        this.refresh = refresh;
        this.consumers = consumers;
    }

    static Properties consumerProps(String bootstrap, Duration refresh) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "vigil-ingest-registry-" + UUID.randomUUID());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // A new monitor must be pingable within a second: with fetch.min.bytes=1 the broker answers a
        // waiting fetch as soon as a record arrives, so the wait only bounds idle fetches.
        props.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "1");
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "500");
        // partitionsFor() answers from the consumer's metadata: refreshing it as often as the partition
        // check runs is what lets the follower see partitions added to the topic.
        props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, Long.toString(Math.max(100, refresh.toMillis())));
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return props;
    }

    /** Whether the view holds everything the topic held when this instance started. */
    public boolean caughtUp() {
        return caughtUp;
    }

    /** Starts the follower thread; returns at once. */
    public synchronized void start() {
        consumer = consumers.get();
        running = true;
        thread = new Thread(this::run, "vigil-registry-follower");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        Consumer<String, byte[]> c = consumer;
        try {
            while (running && !assignFromStart(c)) {
                pause(); // the topic is not described yet
            }
            while (running) {
                try {
                    pollOnce(c);
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    Log.warnf("token registry follower: %s; retrying", e.toString());
                    pause();
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            Log.errorf(e, "the token registry follower stopped");
        } finally {
            c.close(Duration.ofSeconds(1));
        }
    }

    private static void pause() {
        try {
            Thread.sleep(1000); // a broker error: back off before polling again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        }
    }

    /**
     * Assigns every partition of the topic from its beginning and reads the end offsets to reach
     * before the view counts as caught up; false when the broker does not describe the topic yet.
     */
    boolean assignFromStart(Consumer<String, byte[]> c) {
        try {
            List<TopicPartition> partitions = partitionsOf(c);
            if (partitions.isEmpty()) {
                return false;
            }
            c.assign(partitions);
            c.seekToBeginning(partitions);
            end = c.endOffsets(partitions, BROKER_WAIT);
            assigned = Set.copyOf(partitions);
            lastRefresh = System.nanoTime();
            return true;
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            Log.warnf("waiting for the broker to describe %s", topic);
            return false;
        }
    }

    /** One poll: applies what arrived, notes when the start's end offsets are reached, picks up new partitions. */
    void pollOnce(Consumer<String, byte[]> c) {
        for (ConsumerRecord<String, byte[]> record : c.poll(POLL)) {
            apply(record);
        }
        if (!caughtUp && reached(c, end)) {
            caughtUp = true;
            Log.infof("token registry caught up: %d monitors", registry.size());
        }
        if (System.nanoTime() - lastRefresh >= refresh.toNanos()) {
            lastRefresh = System.nanoTime();
            followAddedPartitions(c);
        }
    }

    private void followAddedPartitions(Consumer<String, byte[]> c) {
        List<TopicPartition> added = partitionsOf(c).stream().filter(p -> !assigned.contains(p)).toList();
        if (added.isEmpty()) {
            return;
        }
        Set<TopicPartition> all = new HashSet<>(assigned);
        all.addAll(added);
        c.assign(all); // partitions kept keep their positions
        c.seekToBeginning(added);
        assigned = Set.copyOf(all);
        Log.infof("%s has %d new partitions: following them from the beginning", topic, added.size());
    }

    private List<TopicPartition> partitionsOf(Consumer<String, byte[]> c) {
        List<PartitionInfo> infos = c.partitionsFor(topic, BROKER_WAIT);
        return infos == null ? List.of() : infos.stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
    }

    private static boolean reached(Consumer<String, byte[]> c, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (c.position(e.getKey(), Duration.ofSeconds(5)) < e.getValue()) {
                return false;
            }
        }
        return true;
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
            if (registered.monitorId() == null || !registered.monitorId().equals(monitorId)) {
                Log.warnf("skipping a registry record whose key and monitor id differ at %s-%d@%d", record.topic(), record.partition(), record.offset());
                return;
            }
            registry.apply(registered);
        } catch (IllegalArgumentException e) {
            Log.warnf("skipping a malformed registry record at %s-%d@%d", record.topic(), record.partition(), record.offset());
        }
    }

    /** Stops the follower thread and closes its consumer. */
    public synchronized void stop() {
        running = false;
        Consumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
