package io.vigil.contracts;

import java.util.UUID;

/**
 * A ping key on the compacted {@link Topics#MONITORS} topic, keyed by the ping key's id; a deleted key is a
 * tombstone (null value) under that id. Only the SHA-256 of the key travels (see {@link TokenHash}), as for
 * ping tokens. Ingest tells it from a {@link MonitorRegistered} by its {@code pingKeyId} field; an ingest that
 * predates ping keys skips it (it has no {@code monitorId}). {@code version} grows with every change of the key.
 */
public record PingKeyRegistered(UUID pingKeyId, String keyHash, long version) {

    /** The JSON field that only this record of the topic carries. */
    public static final String DISCRIMINATOR = "pingKeyId";
}
