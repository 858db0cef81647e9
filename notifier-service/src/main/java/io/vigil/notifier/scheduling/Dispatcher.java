package io.vigil.notifier.scheduling;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.vigil.contracts.ChannelType;
import io.vigil.notifier.Channel;
import io.vigil.notifier.DeliveryKind;
import io.vigil.notifier.Notification;
import io.vigil.notifier.SendResult;
import io.vigil.notifier.TargetCheck;
import io.vigil.notifier.channel.ChannelSender;
import io.vigil.notifier.config.NotifierConfig;
import io.vigil.notifier.service.DeliveryStore;
import io.vigil.notifier.service.DeliveryStore.Claimed;
import io.vigil.notifier.service.DeliveryStore.Finished;
import io.vigil.outbox.DeadlineLoop;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one choke point of delivery, shaped for throughput (docs/alert-throughput.md). On the shared {@link DeadlineLoop}
 * (asleep until the next due delivery, a new flip or a finished send; retried with backoff when the database is away)
 * it claims due deliveries in large batches, each with its message already built, up to the instance's limit of sends
 * in flight and each target's own limit. A worker thread re-checks the target against the target policy at send time
 * ({@link TargetCheck}), waits for a rate-limited target's slot, and starts the send, which does not block (the
 * Vert.x client, the reactive mailer). Finished attempts queue for the recorder thread, which records a batch of them,
 * with their retry decisions and their outcomes for {@code vigil.deliveries.v1} (through the outbox), in one
 * transaction. Several instances share the work through the database's claims and rate limits.
 */
@ApplicationScoped
public class Dispatcher {

    /** The outcome of a test send, for the internal API. */
    public record TestOutcome(SendResult result, long durationMs) {
    }

    /** An attempt's result and timing; a null result means nothing was attempted (given back or cancelled). */
    private record Attempted(SendResult result, Instant startedAt, long durationMs) {
    }

    private final DeliveryStore store;
    private final NotifierConfig config;
    private final InstantSource clock;
    private final MeterRegistry metrics;
    private final TargetCheck targetCheck;
    private final Map<ChannelType, ChannelSender> senders = new EnumMap<>(ChannelType.class);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<String, AtomicInteger> inFlightByTarget = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Finished> finished = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean recording = new AtomicBoolean();
    private final Object idle = new Object();
    private volatile ExecutorService workers;
    private volatile ExecutorService recorder;
    /** Marks rate-limited targets' sends answered: never queued behind workers waiting out another target's limit. */
    private volatile ExecutorService stamps;
    private volatile DeadlineLoop loop;

    public Dispatcher(DeliveryStore store, NotifierConfig config, InstantSource clock,
                      MeterRegistry metrics, Instance<ChannelSender> senders) {
        this.store = store;
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
        this.targetCheck = new TargetCheck(config.allowPrivateTargets());
        senders.forEach(sender -> this.senders.put(sender.type(), sender));
    }

    /** Starts claiming and sending. */
    public synchronized void start() {
        if (loop != null) {
            return;
        }
        workers = Executors.newFixedThreadPool(Math.max(1, config.dispatch().workers()), threads("vigil-sender-"));
        recorder = Executors.newSingleThreadExecutor(threads("vigil-recorder-"));
        stamps = Executors.newSingleThreadExecutor(threads("vigil-send-stamps-"));
        loop = new DeadlineLoop("vigil-dispatcher", clock, this::claimDue);
        loop.start();
    }

    /** Stops claiming; sends in flight get the send timeout to finish, and every finished one is recorded. */
    public synchronized void stop() {
        if (loop == null) {
            return;
        }
        loop.stop(false, Duration.ofSeconds(5));
        loop = null;
        long deadline = System.nanoTime() + config.dispatch().sendTimeout().plusSeconds(2).toNanos();
        synchronized (idle) {
            while (inFlight.get() > 0 && System.nanoTime() < deadline) {
                try {
                    idle.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        workers.shutdown();
        stamps.shutdown();
        recorder.execute(this::recordFinished);
        recorder.shutdown();
        try {
            recorder.awaitTermination(config.dispatch().leaseMargin().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Looks for due deliveries now rather than at the next poll. */
    public void wake() {
        DeadlineLoop current = loop;
        if (current != null) {
            current.nudge();
        }
    }

    /**
     * True while the dispatcher's loop runs and no pass of it has been stuck for longer than {@code stuckAfter}, and no
     * finished attempt has waited that long to be recorded (a pass that fails, the database away, is retried: that is
     * alive).
     */
    public boolean live(Duration stuckAfter) {
        DeadlineLoop current = loop;
        Finished oldest = finished.peek();
        boolean recorderStuck = oldest != null && oldest.startedAt()
                .plus(config.dispatch().sendTimeout()).plus(stuckAfter).isBefore(clock.instant());
        return current != null && current.live(stuckAfter) && !recorderStuck;
    }

    /** Sends a test message to a channel now, through the same bookkeeping as every delivery, and records it. */
    public TestOutcome sendTest(Channel channel) {
        Claimed claimed = store.createTest(channel, clock.instant());
        Attempted attempted = attempt(claimed).toCompletableFuture().join();
        SendResult result = attempted.result() == null ? SendResult.failed("nothing to send") : attempted.result();
        store.recordAttempt(claimed, result, attempted.startedAt(), attempted.durationMs(), clock.instant());
        count(claimed, result);
        return new TestOutcome(result, attempted.durationMs());
    }

    /**
     * One pass of the loop: claims as many due deliveries as there are free send slots (at most a claim batch), and
     * hands them to the workers. Answers at once when it got all it asked for (more may be due); otherwise at the next
     * due time, at most the poll interval away; a new flip, a finished send or a recorded batch nudges it sooner.
     */
    private Instant claimDue() {
        Instant now = clock.instant();
        int capacity = Math.max(1, config.dispatch().concurrency());
        int batch = Math.max(1, config.dispatch().claimBatch());
        int sending = inFlight.get();
        int free = capacity - sending;
        if (sending > 0 && free < refillAt(capacity, batch)) {
            // a claim costs about as much for a few rows as for hundreds: let the busy slots free up (each finished
            // send nudges this loop) instead of claiming them back one by one
            return now.plusMillis(Math.max(10, config.dispatch().pollInterval().toMillis()));
        }
        if (free > 0) {
            int wanted = Math.min(free, batch);
            int perTarget = Math.max(1, config.dispatch().perTargetConcurrency());
            Map<String, Integer> takenNow = new HashMap<>();
            List<Claimed> claimed = store.claim(now, wanted, channel -> {
                String target = DeliveryStore.targetKey(channel);
                AtomicInteger busy = inFlightByTarget.get(target);
                int taken = takenNow.getOrDefault(target, 0);
                if ((busy == null ? 0 : busy.get()) + taken >= perTarget) {
                    return false;
                }
                takenNow.put(target, taken + 1);
                return true;
            });
            for (Claimed delivery : claimed) {
                inFlight.incrementAndGet();
                String target = delivery.channel() == null ? null : DeliveryStore.targetKey(delivery.channel());
                if (target != null) {
                    inFlightByTarget.computeIfAbsent(target, key -> new AtomicInteger()).incrementAndGet();
                }
                workers.execute(() -> attempt(delivery).whenComplete((attempted, error) -> finish(delivery, target,
                        attempted != null ? attempted : new Attempted(
                                SendResult.retry("internal error: " + error.getClass().getSimpleName()), clock.instant(), 0))));
            }
            if (claimed.size() == wanted) {
                return now;
            }
        }
        Instant poll = now.plusMillis(Math.max(10, config.dispatch().pollInterval().toMillis()));
        Instant nextDue = store.nextDueAfter(now);
        return nextDue == null || nextDue.isAfter(poll) ? poll : nextDue;
    }

    /**
     * How many send slots must be free, while others are busy, before the dispatcher claims again: a quarter of the
     * slots, at most a claim batch.
     */
    static int refillAt(int capacity, int claimBatch) {
        return Math.max(1, Math.min(capacity, claimBatch) / 4);
    }

    /**
     * Prepares and starts one attempt (on a worker thread; the send itself does not hold it). Completes with a null
     * result when nothing was attempted: an empty digest or a vanished flip (cancelled), or a rate-limited target whose
     * slot is too far off (given back).
     */
    private CompletionStage<Attempted> attempt(Claimed claimed) {
        Instant started = clock.instant();
        long t0 = System.nanoTime();
        try {
            Channel channel = claimed.channel();
            if (channel == null || channel.deleted()) {
                return done(SendResult.failed("the channel was deleted"), started, t0);
            }
            Notification message = claimed.kind() == DeliveryKind.DIGEST ? store.digest(claimed, started) : claimed.message();
            if (message == null) {
                store.cancel(claimed);
                return done(null, started, t0);
            }
            Optional<String> refusal = targetCheck.refusal(channel);
            if (refusal.isPresent()) {
                return done(SendResult.failed(refusal.get()), started, t0);
            }
            ChannelSender sender = senders.get(channel.type());
            if (sender == null) {
                return done(SendResult.failed("no sender for channel type " + channel.type().json()), started, t0);
            }
            boolean limited = !store.spacing(channel).isZero();
            if (limited && !awaitTargetSlot(claimed)) {
                return done(null, started, t0);
            }
            CompletionStage<SendResult> sent = sender.send(channel, message, config.dispatch().sendTimeout());
            if (limited) {
                // the answer arrives on the event loop: the stamp is a database write, so it moves off it
                sent = sent.whenCompleteAsync((result, error) -> markSendFinished(claimed), stamps);
            }
            return sent.handle((result, error) -> new Attempted(result != null ? result
                    : SendResult.retry("internal error: " + error.getClass().getSimpleName()),
                    started, (System.nanoTime() - t0) / 1_000_000));
        } catch (RuntimeException e) {
            Log.warnf("delivery %s: send failed unexpectedly (%s)", claimed.id(), e.getClass().getSimpleName());
            return done(SendResult.retry("internal error: " + e.getClass().getSimpleName()), started, t0);
        }
    }

    private static CompletionStage<Attempted> done(SendResult result, Instant started, long t0) {
        return CompletableFuture.completedFuture(new Attempted(result, started, (System.nanoTime() - t0) / 1_000_000));
    }

    private void markSendFinished(Claimed claimed) {
        try {
            store.finishSend(claimed.channel(), clock.instant());
        } catch (RuntimeException e) {
            // the stamp then holds the target busy until the send timeout; the outcome stands
            Log.warnf("delivery %s: could not mark its target's send finished (%s)", claimed.id(), e.getMessage());
        }
    }

    /** A send is over (on whichever thread completed it): frees its slots and queues its outcome for recording. */
    private void finish(Claimed claimed, String target, Attempted attempted) {
        if (attempted.result() != null) {
            finished.add(new Finished(claimed, attempted.result(), attempted.startedAt(), attempted.durationMs()));
            count(claimed, attempted.result());
        }
        if (target != null) {
            AtomicInteger busy = inFlightByTarget.get(target);
            if (busy != null && busy.decrementAndGet() <= 0) {
                inFlightByTarget.remove(target, busy);
            }
        }
        if (inFlight.decrementAndGet() == 0) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
        if (recording.compareAndSet(false, true)) {
            ExecutorService current = recorder;
            if (current != null && !current.isShutdown()) {
                current.execute(this::recordFinished);
            } else {
                recording.set(false);
            }
        }
        wake();
    }

    /** On the recorder thread: records what has finished, a batch per transaction, until nothing is left. */
    private void recordFinished() {
        try {
            while (true) {
                List<Finished> batch = new ArrayList<>();
                int limit = Math.max(1, config.dispatch().claimBatch());
                for (Finished next; batch.size() < limit && (next = finished.poll()) != null; ) {
                    batch.add(next);
                }
                if (batch.isEmpty()) {
                    recording.set(false);
                    // an attempt that finished after the last poll and saw the flag still set is ours to record
                    if (finished.isEmpty() || !recording.compareAndSet(false, true)) {
                        return;
                    }
                    continue;
                }
                record(batch);
                wake(); // each recorded delivery may free the next one of its monitor and channel
            }
        } catch (RuntimeException e) {
            recording.set(false);
            Log.errorf("recording finished attempts failed unexpectedly (%s); the rest are recorded with the next ones",
                    e.toString());
        }
    }

    /**
     * Records a batch in one transaction, trying again while the database is away, but only while this instance's
     * claims surely hold (half the lease margin after the oldest send started): past it a claim's expiry is what gets
     * the delivery retried, by any instance, with the same eventId. So a short outage repeats no message, and a long
     * one loses none. A batch that fails is recorded one by one, so no attempt can keep the others from being recorded.
     */
    private void record(List<Finished> batch) {
        Instant giveUp = batch.stream().map(Finished::startedAt).min(Instant::compareTo).orElseThrow()
                .plus(config.dispatch().leaseMargin().dividedBy(2));
        long backoff = 50;
        while (true) {
            try {
                store.recordAttempts(batch, clock.instant());
                return;
            } catch (RuntimeException e) {
                if (batch.size() > 1) {
                    for (Finished one : batch) {
                        record(List.of(one));
                    }
                    return;
                }
                if (!clock.instant().plusMillis(backoff).isBefore(giveUp)) {
                    Log.errorf("delivery %s: could not record the attempt (%s); it will be retried when its claim expires",
                            batch.get(0).claimed().id(), e.getMessage());
                    return;
                }
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = Math.min(backoff * 2, 2000);
            }
        }
    }

    private void count(Claimed claimed, SendResult result) {
        metrics.counter("vigil.notifier.deliveries", "channel_type", claimed.channelType(),
                "outcome", result.outcome().code()).increment();
        if (result.outcome() == SendResult.Outcome.DELIVERED) {
            Log.debugf("delivery %s (%s, %s channel %s): delivered%s", claimed.id(), claimed.kind().code(),
                    claimed.channelType(), claimed.channelId(), result.httpStatus() == null ? "" : " HTTP " + result.httpStatus());
        } else {
            Log.infof("delivery %s (%s, %s channel %s): %s%s: %s", claimed.id(), claimed.kind().code(), claimed.channelType(),
                    claimed.channelId(), result.outcome().code(), result.httpStatus() == null ? "" : " HTTP " + result.httpStatus(),
                    result.error());
        }
    }

    /**
     * Waits (briefly: only the jitter between claim and send) until the target's last message was
     * answered at least its spacing ago, and marks this send in flight. When the wait would be long the delivery is given
     * back unattempted and false is answered.
     */
    private boolean awaitTargetSlot(Claimed claimed) {
        long limit = 2 * store.spacing(claimed.channel()).toMillis() + 500;
        long waited = 0;
        while (true) {
            Instant now = clock.instant();
            Instant retryAt = store.stampSend(claimed.channel(), now);
            if (retryAt == null) {
                return true;
            }
            long wait = Math.max(1, retryAt.toEpochMilli() - now.toEpochMilli());
            if (waited + wait > limit) {
                store.release(claimed, retryAt);
                return false;
            }
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                store.release(claimed, retryAt);
                return false;
            }
            waited += wait;
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
