package io.vigil.testkit;

/**
 * The one broker, PostgreSQL and SMTP server of a test JVM, each started on first use and stopped
 * when the JVM exits. Tests never stop them: they make their own data instead.
 */
public final class SharedInfra {

    private static EmbeddedKafka kafka;
    private static EmbeddedPostgresServer postgres;
    private static SmtpServer smtp;

    private SharedInfra() {
    }

    public static synchronized EmbeddedKafka kafka() {
        if (kafka == null) {
            kafka = EmbeddedKafka.startTemporary();
        }
        return kafka;
    }

    public static synchronized EmbeddedPostgresServer postgres() {
        if (postgres == null) {
            postgres = EmbeddedPostgresServer.startTemporary("vigil");
        }
        return postgres;
    }

    public static synchronized SmtpServer smtp() {
        if (smtp == null) {
            smtp = SmtpServer.startTemporary();
        }
        return smtp;
    }
}
