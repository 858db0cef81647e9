package io.vigil.testkit;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The local run's infrastructure, started by run.sh: a Kafka broker, PostgreSQL and an SMTP sink,
 * their data kept under {@code .vigil/} so a restart keeps monitors. Each part is skipped when the
 * environment points the services elsewhere ({@code VIGIL_KAFKA_BOOTSTRAP}, {@code VIGIL_DB_URL},
 * {@code VIGIL_SMTP_HOST}). Mail that reaches the sink is written to {@code .vigil/mail/*.eml}.
 * Prints {@code DEVSTACK READY} when everything answers; stops cleanly on SIGINT or SIGTERM.
 */
public final class DevStack {

    private DevStack() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(env("VIGIL_HOME", ".vigil")).toAbsolutePath();
        List<AutoCloseable> started = new ArrayList<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (int i = started.size() - 1; i >= 0; i--) {
                try {
                    started.get(i).close();
                } catch (Exception e) {
                    System.err.println("devstack: stopping " + started.get(i).getClass().getSimpleName() + " failed: " + e.getMessage());
                }
            }
            System.out.println("devstack stopped");
            stopped.countDown();
        }, "devstack-stop"));

        if (System.getenv("VIGIL_KAFKA_BOOTSTRAP") == null) {
            int port = Integer.parseInt(env("VIGIL_DEVSTACK_KAFKA_PORT", "19092"));
            EmbeddedKafka kafka = EmbeddedKafka.start(home.resolve("kafka"), port);
            started.add(kafka);
            System.out.println("devstack: Kafka at " + kafka.bootstrapServers());
        }
        if (System.getenv("VIGIL_DB_URL") == null) {
            int port = Integer.parseInt(env("VIGIL_DEVSTACK_DB_PORT", "15432"));
            EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(home.resolve("postgres"), port, "vigil");
            started.add(postgres);
            System.out.println("devstack: PostgreSQL at " + postgres.jdbcUrl());
        }
        if (System.getenv("VIGIL_SMTP_HOST") == null) {
            int port = Integer.parseInt(env("VIGIL_DEVSTACK_SMTP_PORT", "2525"));
            SmtpServer smtp = SmtpServer.start(port);
            started.add(smtp);
            MailSpool spool = new MailSpool(smtp, home.resolve("mail"));
            started.add(spool);
            spool.start();
            System.out.println("devstack: SMTP sink at 127.0.0.1:" + port + ", mail kept in " + home.resolve("mail"));
        }
        System.out.println("DEVSTACK READY");
        stopped.await();
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** Writes each message the sink receives to a file and says so on stdout. */
    private static final class MailSpool implements AutoCloseable {

        private final SmtpServer smtp;
        private final Path dir;
        private final Thread thread;
        private volatile boolean running = true;

        MailSpool(SmtpServer smtp, Path dir) {
            this.smtp = smtp;
            this.dir = dir;
            this.thread = new Thread(this::run, "devstack-mail-spool");
            this.thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        private void run() {
            int written = 0;
            DateTimeFormatter stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(java.time.ZoneOffset.UTC);
            while (running) {
                List<MimeMessage> messages = smtp.messages();
                for (; written < messages.size(); written++) {
                    MimeMessage message = messages.get(written);
                    try {
                        Files.createDirectories(dir);
                        Path file = dir.resolve(stamp.format(Instant.now()) + "-" + written + ".eml");
                        try (OutputStream out = Files.newOutputStream(file)) {
                            message.writeTo(out);
                        }
                        System.out.println("devstack: mail to " + String.join(", ", recipients(message)) + ": "
                                + message.getSubject() + " (" + file + ")");
                    } catch (IOException | MessagingException e) {
                        System.err.println("devstack: cannot keep a mail: " + e.getMessage());
                    }
                }
                try {
                    Thread.sleep(500); // polling GreenMail's store: it offers no callback
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private static List<String> recipients(MimeMessage message) throws MessagingException {
            return message.getAllRecipients() == null ? List.of()
                    : java.util.Arrays.stream(message.getAllRecipients()).map(Object::toString).toList();
        }

        @Override
        public void close() {
            running = false;
            thread.interrupt();
        }
    }
}
