package io.vigil.notifier.scheduling;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.vigil.contracts.ChannelType;
import io.vigil.notifier.Channel;
import io.vigil.notifier.Notification;
import io.vigil.notifier.SendResult;
import io.vigil.notifier.TargetCheck;
import io.vigil.notifier.channel.ChannelSender;
import io.vigil.notifier.config.NotifierConfig;
import io.vigil.notifier.service.DeliveryStore;
import io.vigil.notifier.service.DeliveryStore.Claimed;
import io.vigil.outbox.DeadlineLoop;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one choke point of delivery: on the shared {@link DeadlineLoop} (asleep until the next due delivery, a new flip
 * or a finished send, retried with backoff when the database is away), claims due deliveries, re-checks the target against the
 * target policy at send time ({@link TargetCheck}), sends through the channel's sender on a worker thread (never a
 * consumer's or the event loop's context: the mailer blocks), records every attempt with its retry
 * decision and its outcome for {@code vigil.deliveries.v1} (through the outbox, in the same transaction).
 * Several instances share the work through
 * the database's claims and rate limits.
 */
@ApplicationScoped
public class Dispatcher {

    /** The outcome of a test send, for the internal API. */
    public record TestOutcome(SendResult result, long durationMs) {
    }

    private final DeliveryStore store;
    private final NotifierConfig config;
    private final InstantSource clock;
    private final MeterRegistry metrics;
    private final TargetCheck targetCheck;
    private final Map<ChannelType, ChannelSender> senders = new EnumMap<>(ChannelType.class);
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile ExecutorService workers;
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
        int concurrency = Math.max(1, config.dispatch().concurrency());
        AtomicInteger counter = new AtomicInteger();
        workers = Executors.newFixedThreadPool(concurrency, runnable -> {
            Thread thread = new Thread(runnable, "vigil-sender-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        loop = new DeadlineLoop("vigil-dispatcher", clock, this::claimDue);
        loop.start();
    }

    /** Stops claiming; sends in flight get the send timeout to finish and be recorded. */
    public synchronized void stop() {
        if (loop == null) {
            return;
        }
        loop.stop(false, Duration.ofSeconds(5));
        loop = null;
        workers.shutdown();
        try {
            workers.awaitTermination(config.dispatch().sendTimeout().toMillis() + 2000, TimeUnit.MILLISECONDS);
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
     * True while the dispatcher's loop runs and no pass of it has been stuck for longer than {@code stuckAfter}
     * (a pass that fails, the database away, is retried: that is alive).
     */
    public boolean live(Duration stuckAfter) {
        DeadlineLoop current = loop;
        return current != null && current.live(stuckAfter);
    }

    /** Sends a test message to a channel now, through the same bookkeeping as every delivery. */
    public TestOutcome sendTest(Channel channel) {
        Claimed claimed = store.createTest(channel, clock.instant());
        return attempt(claimed);
    }

    /**
     * One pass of the loop: claims as many due deliveries as there are free senders and hands them over. Answers
     * at once when every free sender got one (more may be due); otherwise at the next due time, at most the poll
     * interval away; a new flip or a finished send nudges it sooner. A failure (the database away) is the loop's to
     * retry with backoff.
     */
    private Instant claimDue() {
        int concurrency = Math.max(1, config.dispatch().concurrency());
        Instant now = clock.instant();
        int free = concurrency - inFlight.get();
        if (free > 0) {
            List<Claimed> claimed = store.claim(now, free);
            for (Claimed delivery : claimed) {
                inFlight.incrementAndGet();
                workers.execute(() -> {
                    try {
                        attempt(delivery);
                    } finally {
                        inFlight.decrementAndGet();
                        wake();
                    }
                });
            }
            if (claimed.size() == free) {
                return now;
            }
        }
        Instant poll = now.plusMillis(Math.max(10, config.dispatch().pollInterval().toMillis()));
        Instant nextDue = store.nextDueAfter(now);
        return nextDue == null || nextDue.isAfter(poll) ? poll : nextDue;
    }

    private TestOutcome attempt(Claimed claimed) {
        Instant started = clock.instant();
        long t0 = System.nanoTime();
        SendResult result;
        boolean sending = false;
        try {
            Notification notification = claimed.channel() == null || claimed.channel().deleted() ? null
                    : store.notification(claimed, started);
            if (notification == null && claimed.channel() != null && !claimed.channel().deleted()) {
                store.cancel(claimed);
                return new TestOutcome(SendResult.failed("nothing to send"), 0);
            }
            if (claimed.channel() != null && !claimed.channel().deleted() && !awaitTargetSlot(claimed)) {
                return new TestOutcome(SendResult.retry("the target's rate limit did not allow a message yet"), 0);
            }
            sending = true;
            result = send(claimed, notification);
        } catch (RuntimeException e) {
            Log.warnf("delivery %s: send failed unexpectedly (%s)", claimed.id(), e.getClass().getSimpleName());
            result = SendResult.retry("internal error: " + e.getClass().getSimpleName());
        }
        if (sending) {
            try {
                store.finishSend(claimed.channel(), clock.instant());
            } catch (RuntimeException e) {
                // the stamp then holds the target busy until the send timeout; the outcome stands
                Log.warnf("delivery %s: could not mark its target's send finished (%s)", claimed.id(), e.getMessage());
            }
        }
        long durationMs = (System.nanoTime() - t0) / 1_000_000;
        record(claimed, result, started, durationMs);
        metrics.counter("vigil.notifier.deliveries", "channel_type", claimed.channelType(),
                "outcome", result.outcome().code()).increment();
        Log.infof("delivery %s (%s, %s channel %s): %s%s", claimed.id(), claimed.kind().code(), claimed.channelType(),
                claimed.channelId(), result.outcome().code(), result.httpStatus() == null ? "" : " HTTP " + result.httpStatus());
        return new TestOutcome(result, durationMs);
    }

    /**
     * Records the attempt, trying again while the database is away, but only while this instance's claim surely holds
     * (half the lease margin after the send started): past it the claim's expiry is what gets the delivery retried, by
     * any instance, with the same eventId. So a short outage repeats no message, and a long one loses none.
     */
    private void record(Claimed claimed, SendResult result, Instant started, long durationMs) {
        Instant giveUp = started.plus(config.dispatch().leaseMargin().dividedBy(2));
        long backoff = 50;
        while (true) {
            try {
                store.recordAttempt(claimed, result, started, durationMs, clock.instant());
                return;
            } catch (RuntimeException e) {
                if (!clock.instant().plusMillis(backoff).isBefore(giveUp)) {
                    Log.errorf("delivery %s: could not record the attempt (%s); it will be retried when its claim expires",
                            claimed.id(), e.getMessage());
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

    private SendResult send(Claimed claimed, Notification notification) {
        Channel channel = claimed.channel();
        if (channel == null || channel.deleted()) {
            return SendResult.failed("the channel was deleted");
        }
        Optional<String> refusal = targetCheck.refusal(channel);
        if (refusal.isPresent()) {
            return SendResult.failed(refusal.get());
        }
        ChannelSender sender = senders.get(channel.type());
        if (sender == null) {
            return SendResult.failed("no sender for channel type " + channel.type().json());
        }
        return sender.send(channel, notification, config.dispatch().sendTimeout());
    }
}
