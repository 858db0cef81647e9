package io.vigil.notifier.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vigil.contracts.Json;
import io.vigil.contracts.MonitorFlipped;
import io.vigil.contracts.Topics;
import io.vigil.notifier.RejectedRecord;
import io.vigil.notifier.config.NotifierConfig;
import io.vigil.notifier.scheduling.Dispatcher;
import io.vigil.notifier.service.FlipIntake;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code vigil.flips.v1} (channel {@code flips}, group {@code vigil-notifier}, batches): each batch
 * becomes deliveries in one database transaction, and only then is it acknowledged, so its offsets are committed
 * after its deliveries are recorded (at least once; a batch read again finds its flips taken in and creates
 * nothing). A record that cannot be parsed is set aside in the dead-letter table in that same transaction; a
 * failure to record is retried with backoff ({@link BatchRetry}), never skipped.
 */
@ApplicationScoped
public class FlipConsumer {

    private final FlipIntake intake;
    private final Dispatcher dispatcher;
    private final InstantSource clock;
    private final MeterRegistry metrics;
    private final BatchRetry retry;

    public FlipConsumer(FlipIntake intake, Dispatcher dispatcher, InstantSource clock, MeterRegistry metrics,
                        NotifierConfig config) {
        this.intake = intake;
        this.dispatcher = dispatcher;
        this.clock = clock;
        this.metrics = metrics;
        this.retry = new BatchRetry("flip consumer", config);
    }

    @Incoming("flips")
    public Uni<Void> consume(ConsumerRecords<String, byte[]> records) {
        List<MonitorFlipped> flips = new ArrayList<>(records.count());
        List<RejectedRecord> rejected = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            String problem = null;
            try {
                MonitorFlipped flip = record.value() == null ? null : Json.read(record.value(), MonitorFlipped.class);
                problem = incomplete(flip);
                if (problem == null) {
                    flips.add(flip);
                }
            } catch (IllegalArgumentException e) {
                problem = RejectedRecord.malformed("MonitorFlipped", e);
            }
            if (problem != null) {
                rejected.add(RejectedRecord.of(record, problem));
            }
        }
        return retry.run(() -> intake.take(flips, rejected, clock.instant())).invoke(taken -> {
            if (taken.setAside() > 0) {
                metrics.counter("vigil.notifier.dead.letters", "topic", Topics.FLIPS).increment(taken.setAside());
            }
            if (taken.deliveries() > 0) {
                dispatcher.wake();
            }
        }).replaceWithVoid();
    }

    /** What a parsed flip lacks to be routed at all, or null when it is complete. */
    private static String incomplete(MonitorFlipped flip) {
        if (flip == null) {
            return "not a MonitorFlipped record: no value";
        }
        if (flip.eventId() == null || flip.monitor() == null || flip.monitor().id() == null || flip.status() == null) {
            return "incomplete MonitorFlipped record: it needs eventId, monitor.id and status";
        }
        return null;
    }

    /** True while the last batch could not be recorded (it is being retried). */
    public boolean failing() {
        return retry.failing();
    }

    /** True when recording one batch has been running for longer than the stall bound. */
    public boolean stalled() {
        return retry.stalled();
    }

    /** The last failure to record a batch, or null. */
    public String lastFailure() {
        return retry.lastFailure();
    }
}
