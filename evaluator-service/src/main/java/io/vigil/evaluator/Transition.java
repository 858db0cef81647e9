package io.vigil.evaluator;

import io.vigil.contracts.Status;
import java.time.Duration;
import java.time.Instant;

/**
 * A status change a rule caused: the engine stores it as a {@link Flip} and relays it as a
 * {@code MonitorFlipped}.
 *
 * @param sequence   the monitor's flip sequence after this flip
 * @param at         when it happened (the due time for LATE, due + grace for DOWN, the ping or request time otherwise)
 * @param reason     the reason code of API.md section 2
 * @param reasonText the reason for people, as alerts show it
 * @param downtime   on a flip out of DOWN, how long the monitor was down; else null
 */
public record Transition(long sequence, Status from, Status to, String reason, String reasonText, Instant at,
                         Duration downtime) {
}
