package io.vigil.ingest.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The watermark rule: it stays at the oldest ping not yet acknowledged, and moves to now once none is. */
class PendingPingsTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final PendingPings pending = new PendingPings();

    @Test
    void watermarkStaysAtTheOldestUnackedPingThenMovesToNow() {
        assertThat(pending.watermark(T0)).isEqualTo(T0);
        PendingPings.Entry first = pending.register(T0);
        PendingPings.Entry second = pending.register(T0.plusMillis(300));
        assertThat(pending.size()).isEqualTo(2);

        assertThat(pending.watermark(T0.plusSeconds(1))).isEqualTo(T0);
        pending.release(first); // acknowledged, or failed: it no longer holds the watermark
        assertThat(pending.watermark(T0.plusSeconds(1))).isEqualTo(T0.plusMillis(300));
        pending.release(second);
        assertThat(pending.watermark(T0.plusSeconds(2))).isEqualTo(T0.plusSeconds(2));
        assertThat(pending.size()).isZero();
    }

    @Test
    void releasingTwiceOrAnotherEntryChangesNothing() {
        PendingPings.Entry entry = pending.register(T0);
        pending.release(entry);
        pending.release(entry);
        assertThat(pending.size()).isZero();
        assertThat(pending.watermark(T0.plusSeconds(1))).isEqualTo(T0.plusSeconds(1));
    }
}
