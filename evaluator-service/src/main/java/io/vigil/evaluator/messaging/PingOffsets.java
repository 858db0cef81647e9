package io.vigil.evaluator.messaging;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import io.vigil.evaluator.PartitionOffset;
import io.vigil.evaluator.service.Sweep;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The {@code vigil-pings} channel's rebalance listener: offsets live in PostgreSQL with the pings they applied,
 * so each assigned partition is sought to its stored offset (its beginning when none is stored) before a record
 * of it is read; nothing is committed to Kafka on revocation.
 */
@ApplicationScoped
@Identifier(PingOffsets.NAME)
public class PingOffsets implements KafkaConsumerRebalanceListener {

    /** The name in {@code mp.messaging.incoming.vigil-pings.consumer-rebalance-listener.name}. */
    public static final String NAME = "vigil-pings-offsets";

    private static final long FIRST_BACKOFF_MS = 100;
    private static final long MAX_BACKOFF_MS = 5_000;

    private final Sweep sweep;
    private final Set<Integer> assigned = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    public PingOffsets(Sweep sweep) {
        this.sweep = sweep;
    }

    /** The partitions this instance applies now. */
    public Set<Integer> assignedPartitions() {
        return Set.copyOf(assigned);
    }

    void stopping(@Observes ShutdownEvent event) {
        stopping = true;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        partitions.forEach(tp -> assigned.add(tp.partition()));
        seekToStored(consumer, partitions);
        Log.infof("applying pings of partition(s) %s", partitions.stream().map(TopicPartition::partition).toList());
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        partitions.forEach(tp -> assigned.remove(tp.partition()));
    }

    /** Seeks to the stored offsets, retrying while the database is away: records must not be read from elsewhere. */
    private void seekToStored(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        long backoff = FIRST_BACKOFF_MS;
        while (true) {
            try {
                Map<Integer, PartitionOffset> stored = sweep.partitions();
                for (TopicPartition tp : partitions) {
                    PartitionOffset po = stored.get(tp.partition());
                    if (po != null) {
                        consumer.seek(tp, po.nextOffset);
                    } else {
                        consumer.seekToBeginning(List.of(tp));
                    }
                }
                return;
            } catch (RuntimeException e) {
                if (stopping) {
                    throw e;
                }
                Log.errorf("cannot read the stored offsets of %s yet, retrying: %s", partitions, e.getMessage());
                try {
                    Thread.sleep(backoff); // on the polling thread: nothing of these partitions is read meanwhile
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
            }
        }
    }
}
