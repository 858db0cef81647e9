package io.vigil.testkit;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** A real SMTP server (GreenMail) on loopback that keeps every message it receives. */
public final class SmtpServer implements AutoCloseable {

    private final GreenMail greenMail;
    private final int port;

    private SmtpServer(GreenMail greenMail, int port) {
        this.greenMail = greenMail;
        this.port = port;
    }

    public static SmtpServer start(int port) {
        ServerSetup setup = new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
        setup.setServerStartupTimeout(10_000);
        GreenMail greenMail = new GreenMail(setup);
        greenMail.start();
        return new SmtpServer(greenMail, port);
    }

    public static SmtpServer startTemporary() {
        SmtpServer server = start(FreePorts.take());
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "smtp-stop"));
        return server;
    }

    public int port() {
        return port;
    }

    /** Every message received so far. */
    public List<MimeMessage> messages() {
        return List.of(greenMail.getReceivedMessages());
    }

    /** The messages addressed to {@code recipient}: tests use a recipient of their own. */
    public List<MimeMessage> messagesTo(String recipient) {
        return messages().stream().filter(message -> isTo(message, recipient)).toList();
    }

    private static boolean isTo(MimeMessage message, String recipient) {
        try {
            Address[] to = message.getAllRecipients();
            return to != null && Arrays.stream(to).anyMatch(address -> address.toString().contains(recipient));
        } catch (MessagingException e) {
            return false;
        }
    }

    /** The Quarkus mailer settings that send to this server. */
    public Map<String, String> quarkusConfig() {
        return Map.of(
                "quarkus.mailer.host", "127.0.0.1",
                "quarkus.mailer.port", String.valueOf(port),
                "quarkus.mailer.mock", "false",
                "quarkus.mailer.tls", "false",
                "quarkus.mailer.start-tls", "DISABLED");
    }

    @Override
    public void close() {
        greenMail.stop();
    }
}
