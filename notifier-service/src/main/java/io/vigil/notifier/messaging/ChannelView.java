package io.vigil.notifier.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vigil.contracts.ChannelChanged;
import io.vigil.contracts.Json;
import io.vigil.contracts.SecretsKeyring;
import io.vigil.contracts.Topics;
import io.vigil.notifier.RejectedRecord;
import io.vigil.notifier.config.NotifierConfig;
import io.vigil.notifier.scheduling.Dispatcher;
import io.vigil.notifier.service.ChannelIntake;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Follows the compacted {@code vigil.channels.v1} into the channel table (channel {@code channels}: a group id
 * of its own per start and {@code auto.offset.reset=earliest}, so every start reads the topic from offset 0).
 * Each batch is applied in one transaction, retried with backoff until it is ({@link BatchRetry}); a record
 * that cannot be parsed is set aside in the dead-letter table. Caught up once it has applied every record up to
 * the end offsets the notifier saw at start ({@link #startingFrom}).
 */
@ApplicationScoped
public class ChannelView {

    private final ChannelIntake intake;
    private final Dispatcher dispatcher;
    private final InstantSource clock;
    private final MeterRegistry metrics;
    private final BatchRetry retry;
    /** Per partition with records at start: the end offset then. */
    private final SecretsKeyring keys;
    private volatile Map<Integer, Long> endAtStart;
    /** Per partition: the offset after the last record applied. */
    private final Map<Integer, Long> applied = new ConcurrentHashMap<>();

    public ChannelView(ChannelIntake intake, Dispatcher dispatcher, InstantSource clock, MeterRegistry metrics,
                       NotifierConfig config, SecretsKeyring keys) {
        this.keys = keys;
        this.intake = intake;
        this.dispatcher = dispatcher;
        this.clock = clock;
        this.metrics = metrics;
        this.retry = new BatchRetry("channel view", config);
    }

    /**
     * The end offsets of the topic's partitions that held records when the notifier started. The channel records
     * are written by an idempotent, non-transactional producer, so a partition's last offset is a record and compaction
     * never removes it (it is in the active segment): the view reaches it.
     */
    void startingFrom(Map<Integer, Long> endOffsets) {
        endAtStart = Map.copyOf(endOffsets);
    }

    @Incoming("channels")
    public Uni<Void> consume(ConsumerRecords<String, byte[]> records) {
        List<ChannelIntake.Change> changes = new ArrayList<>(records.count());
        List<RejectedRecord> rejected = new ArrayList<>();
        Map<Integer, Long> reached = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            reached.merge(record.partition(), record.offset() + 1, Math::max);
            UUID id = channelId(record.key());
            String problem = id == null ? "a channel record's key must be a channel id" : null;
            if (id != null) {
                try {
                    ChannelChanged change = record.value() == null ? null : Json.read(record.value(), ChannelChanged.class);
                    problem = incomplete(id, change);
                    if (problem == null) {
                        changes.add(new ChannelIntake.Change(id, change == null ? null : change.openedWith(keys)));
                    }
                } catch (IllegalArgumentException e) {
                    problem = RejectedRecord.malformed("ChannelChanged", e);
                } catch (SecretsKeyring.SealException e) {
                    // not readable here: sealed under a key this notifier lacks, or altered (set aside, visibly)
                    problem = "channel settings cannot be opened: " + e.getMessage();
                }
            }
            if (problem != null) {
                rejected.add(RejectedRecord.of(record, problem));
            }
        }
        return retry.run(() -> intake.apply(changes, rejected, clock.instant())).invoke(taken -> {
            reached.forEach((partition, offset) -> applied.merge(partition, offset, Math::max));
            if (taken.setAside() > 0) {
                metrics.counter("vigil.notifier.dead.letters", "topic", Topics.CHANNELS).increment(taken.setAside());
            }
            if (taken.deliveries() > 0) {
                dispatcher.wake();
            }
        }).replaceWithVoid();
    }

    /** What a parsed channel record lacks to be applied, or null (a tombstone is complete). */
    private static String incomplete(UUID id, ChannelChanged change) {
        if (change == null) {
            return null;
        }
        if (change.type() == null) {
            return "incomplete ChannelChanged record: no type";
        }
        if (change.notifyOn() != null && change.notifyOn().contains(null)) {
            return "incomplete ChannelChanged record: notifyOn holds an unknown status";
        }
        if (!id.equals(change.channelId())) {
            // its sealed settings are bound to channelId: a record moved under another key is refused
            return "a channel record's channelId must be its key";
        }
        return null;
    }

    private static UUID channelId(String key) {
        try {
            return key == null ? null : UUID.fromString(key);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** True once the view has applied every record that was on the topic when the notifier started. */
    public boolean caughtUp() {
        Map<Integer, Long> end = endAtStart;
        return end != null && end.entrySet().stream().allMatch(e -> applied.getOrDefault(e.getKey(), -1L) >= e.getValue());
    }

    /** True while the last batch could not be applied (it is being retried). */
    public boolean failing() {
        return retry.failing();
    }

    /** True when applying one batch has been running for longer than the stall bound. */
    public boolean stalled() {
        return retry.stalled();
    }

    /** The last failure to apply a batch, or null. */
    public String lastFailure() {
        return retry.lastFailure();
    }
}
