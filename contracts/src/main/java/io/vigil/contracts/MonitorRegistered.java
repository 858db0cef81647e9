package io.vigil.contracts;

import java.util.UUID;

/**
 * A token registry entry on the compacted {@link Topics#MONITORS} topic, keyed by monitor id; a
 * deleted monitor is a tombstone (null value). Only the SHA-256 of the token travels (see
 * {@link TokenHash}). {@code version} grows with every change of the monitor; consumers ignore a
 * record older than the one they hold.
 */
public record MonitorRegistered(UUID monitorId, String slug, String tokenHash, long version) {
}
