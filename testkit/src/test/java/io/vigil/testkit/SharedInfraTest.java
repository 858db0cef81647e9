package io.vigil.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.contracts.TopicLayout;
import io.vigil.contracts.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class SharedInfraTest {

    @Test
    void brokerAcceptsAndAcksRecordsOnVigilsTopics() throws Exception {
        EmbeddedKafka kafka = SharedInfra.kafka();
        try (Admin admin = kafka.admin()) {
            TopicLayout.ensure(admin, 4, (short) 1);
            TopicLayout.ensure(admin, 4, (short) 1); // idempotent
            assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS)).contains(Topics.PINGS, Topics.MONITORS);
        }
        Properties props = new Properties();
        props.put("bootstrap.servers", kafka.bootstrapServers());
        props.put("acks", "all");
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            var metadata = producer.send(new ProducerRecord<>(Topics.FLIPS, "k", "v")).get(10, TimeUnit.SECONDS);
            assertThat(metadata.offset()).isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    void postgresAnswersQueries() throws Exception {
        EmbeddedPostgresServer postgres = SharedInfra.postgres();
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), EmbeddedPostgresServer.USER,
                EmbeddedPostgresServer.PASSWORD);
             ResultSet result = connection.createStatement().executeQuery("select current_database()")) {
            assertThat(result.next()).isTrue();
            assertThat(result.getString(1)).isEqualTo("vigil");
        }
    }

    @Test
    void receiverRecordsRequestsAndAnswersFromItsScript() throws Exception {
        try (HttpReceiver receiver = HttpReceiver.start()) {
            receiver.enqueue(HttpReceiver.Reply.status(429).withHeader("Retry-After", "3"));
            HttpClient client = HttpClient.newHttpClient();
            HttpRequest request = HttpRequest.newBuilder(URI.create(receiver.url("/hook")))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}")).build();

            HttpResponse<String> first = client.send(request, HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> second = client.send(request, HttpResponse.BodyHandlers.ofString());

            assertThat(first.statusCode()).isEqualTo(429);
            assertThat(first.headers().firstValue("Retry-After")).contains("3");
            assertThat(second.statusCode()).isEqualTo(200);
            assertThat(receiver.requests("/hook")).hasSize(2)
                    .first().satisfies(r -> assertThat(r.bodyText()).isEqualTo("{\"a\":1}"));
        }
    }

    @Test
    void smtpServerKeepsMessages() throws Exception {
        SmtpServer smtp = SharedInfra.smtp();
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", String.valueOf(smtp.port()));
        var session = jakarta.mail.Session.getInstance(props);
        var message = new jakarta.mail.internet.MimeMessage(session);
        message.setFrom("vigil@example.com");
        message.setRecipients(jakarta.mail.Message.RecipientType.TO, "smtp-test@example.com");
        message.setSubject("DOWN | x");
        message.setText("body");
        jakarta.mail.Transport.send(message);
        assertThat(smtp.messagesTo("smtp-test@example.com")).hasSize(1);
    }
}
