package io.vigil.notifier;

import java.util.UUID;

/** A channel id the notifier's view does not hold (or holds as deleted). */
public class UnknownChannelException extends RuntimeException {

    public UnknownChannelException(UUID id) {
        super("channel " + id + " is not known to the notifier");
    }
}
