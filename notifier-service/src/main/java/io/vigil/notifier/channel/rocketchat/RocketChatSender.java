package io.vigil.notifier.channel.rocketchat;

import io.vigil.contracts.ChannelType;
import io.vigil.notifier.Channel;
import io.vigil.notifier.Notification;
import io.vigil.notifier.SendResult;
import io.vigil.notifier.channel.ChannelSender;
import io.vigil.notifier.channel.HttpTransport;
import io.vigil.notifier.channel.slack.SlackAttachments;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * Rocket.Chat incoming webhook integrations: POSTs the Slack-compatible attachments message ({@link SlackAttachments}) to the channel's secret
 * {@code webhookUrl}: the summary as {@code text} and one attachment coloured by status with the title, a link to the
 * monitor, the facts as fields and the last ping body in a code block.
 */
@ApplicationScoped
public class RocketChatSender implements ChannelSender {

    private final HttpTransport http;

    public RocketChatSender(HttpTransport http) {
        this.http = http;
    }

    @Override
    public ChannelType type() {
        return ChannelType.ROCKETCHAT;
    }

    @Override
    public CompletionStage<SendResult> send(Channel channel, Notification notification, Duration timeout) {
        return http.post(channel, "webhookUrl", SlackAttachments.message(notification), timeout);
    }
}
