package io.vigil.ingest.messaging;

import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pings handed to the producer and not yet acknowledged (or failed): the oldest of them holds
 * this instance's watermark back, so a watermark never passes a ping that may still land behind it
 * (DESIGN.md). Registered from every event loop, released from the producer's callback thread.
 */
public final class PendingPings {

    /** A ping in flight; {@code notAfter} is read from the clock before the ping's received-at. */
    public static final class Entry {
        private final Instant notAfter;

        private Entry(Instant notAfter) {
            this.notAfter = notAfter;
        }
    }

    private final Set<Entry> pending = ConcurrentHashMap.newKeySet();

    /** Registers a ping about to be built; {@code now} must be read before its received-at. */
    public Entry register(Instant now) {
        Entry entry = new Entry(now);
        pending.add(entry);
        return entry;
    }

    /** The ping was acknowledged or failed: it no longer holds the watermark. */
    public void release(Entry entry) {
        pending.remove(entry);
    }

    /**
     * The watermark for a beat at {@code now} (read before this call): the oldest lower bound among
     * pings still pending, or {@code now}. A ping that registers later reads its received-at later,
     * so it is never older than the watermark.
     */
    public Instant watermark(Instant now) {
        Instant watermark = now;
        for (Entry entry : pending) {
            if (entry.notAfter.isBefore(watermark)) {
                watermark = entry.notAfter;
            }
        }
        return watermark;
    }

    /** The number of pings sent and not yet acknowledged. */
    public int size() {
        return pending.size();
    }
}
