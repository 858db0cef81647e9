package io.vigil.notifier.channel;

import io.vigil.contracts.ChannelType;
import io.vigil.notifier.Channel;
import io.vigil.notifier.Notification;
import io.vigil.notifier.SendResult;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * Builds one channel type's message and sends it, once, without blocking on the answer; the dispatcher owns attempts,
 * retries and bookkeeping. Called on a dispatcher worker thread (building the message and checking the target may
 * block briefly: a name lookup). Implementations never log URLs, secrets or bodies.
 */
public interface ChannelSender {

    ChannelType type();

    /**
     * Sends {@code notification} to {@code channel}; the stage completes within about {@code timeout} with the outcome,
     * never exceptionally for a failed send.
     */
    CompletionStage<SendResult> send(Channel channel, Notification notification, Duration timeout);
}
