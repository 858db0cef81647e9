package io.vigil.notifier.channel;

import io.vigil.contracts.ChannelType;
import io.vigil.notifier.Channel;
import io.vigil.notifier.Notification;
import io.vigil.notifier.SendResult;
import java.time.Duration;

/**
 * Builds one channel type's message and sends it, once; the dispatcher owns attempts, retries and
 * bookkeeping. Implementations never log URLs, secrets or bodies.
 */
public interface ChannelSender {

    ChannelType type();

    /** Sends {@code notification} to {@code channel} within {@code timeout}; never throws for a failed send. */
    SendResult send(Channel channel, Notification notification, Duration timeout);
}
