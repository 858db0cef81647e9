package io.vigil.notifier.channel.email;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.vigil.contracts.ChannelType;
import io.vigil.notifier.Channel;
import io.vigil.notifier.Notification;
import io.vigil.notifier.SendResult;
import io.vigil.notifier.channel.ChannelSender;
import io.vigil.notifier.config.NotifierConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Email through the Quarkus mailer: subject {@code DOWN | <name>} / {@code UP | <name>}, a plain-text
 * and an HTML part from the Qute templates {@code mail/alert.txt} and {@code mail/alert.html} (the HTML
 * one escapes everything it inserts), sent through the reactive mailer, bounded by the send timeout.
 */
@ApplicationScoped
public class EmailSender implements ChannelSender {

    private final ReactiveMailer mailer;
    private final Template text;
    private final Template html;
    private final NotifierConfig config;

    public EmailSender(ReactiveMailer mailer, @Location("mail/alert.txt") Template text,
                       @Location("mail/alert.html") Template html, NotifierConfig config) {
        this.mailer = mailer;
        this.text = text;
        this.html = html;
        this.config = config;
    }

    @Override
    public ChannelType type() {
        return ChannelType.EMAIL;
    }

    @Override
    public CompletionStage<SendResult> send(Channel channel, Notification notification, Duration timeout) {
        List<String> to = channel.recipients();
        if (to.isEmpty()) {
            return CompletableFuture.completedFuture(SendResult.failed("the channel has no recipients (config.to)"));
        }
        Map<String, Object> data = model(notification);
        Mail mail = new Mail()
                .setFrom(config.mailFrom())
                .setTo(to)
                // a name with line breaks (refused by the admin API, but records are not trusted) must not add headers
                .setSubject(notification.title().replaceAll("[\\r\\n]+", " "))
                .setText(text.instance().data(data).render())
                .setHtml(html.instance().data(data).render());
        mail.addHeader("X-Vigil-Event-Id", notification.eventId().toString());
        // the mailer keeps its SMTP connections open and reuses them, so a burst goes over one (or a few) of them
        return mailer.send(mail)
                .ifNoItem().after(timeout).fail()
                .map(sent -> SendResult.delivered(null))
                .onFailure().recoverWithItem(e -> e instanceof io.smallrye.mutiny.TimeoutException
                        ? SendResult.retry("the SMTP server did not answer within " + timeout.toMillis() + " ms")
                        : SendResult.retry("SMTP error: " + e.getClass().getSimpleName()))
                .subscribeAsCompletionStage();
    }

    private static Map<String, Object> model(Notification n) {
        Map<String, Object> data = new java.util.HashMap<>();
        data.put("title", n.title());
        data.put("summary", n.summary());
        data.put("facts", n.facts().stream().map(fact -> Map.of("label", fact[0], "value", fact[1])).toList());
        data.put("entries", n.entries().stream().map(Notification.Entry::line).toList());
        data.put("link", n.link());
        data.put("body", n.lastPingBody() == null || n.lastPingBody().isEmpty() ? null : n.lastPingBody());
        data.put("eventId", n.eventId().toString());
        data.put("colour", n.colour());
        return data;
    }
}
