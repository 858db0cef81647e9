package io.vigil.notifier.channel.mattermost;

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
 * Mattermost incoming webhooks: POSTs the Slack-compatible attachments message ({@link SlackAttachments}) to the channel's secret
 * {@code webhookUrl}: the summary as {@code text} and one attachment coloured by status with the title, a link to the
 * monitor, the facts as fields and the last ping body in a code block.
 */
@ApplicationScoped
public class MattermostSender implements ChannelSender {

    private final HttpTransport http;

    public MattermostSender(HttpTransport http) {
        this.http = http;
    }

    @Override
    public ChannelType type() {
        return ChannelType.MATTERMOST;
    }

    @Override
    public CompletionStage<SendResult> send(Channel channel, Notification notification, Duration timeout) {
        return http.post(channel, "webhookUrl", SlackAttachments.message(notification), timeout);
    }
}
