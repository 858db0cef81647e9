package io.vigil.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The outage tests' levers: servers stopped and started again on the same port and data; the SASL listener. */
class RestartAndSaslTest {

    @Test
    void postgresComesBackOnTheSamePortWithItsData() throws Exception {
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.startTemporary("restart");
        try {
            String table = "t_" + UUID.randomUUID().toString().replace("-", "");
            try (Connection connection = connect(postgres); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE " + table + " (n int)");
                statement.execute("INSERT INTO " + table + " VALUES (42)");
            }
            int port = postgres.port();

            postgres.stop();
            assertThat(postgres.isRunning()).isFalse();
            assertThatThrownBy(() -> connect(postgres).close()).isInstanceOf(SQLException.class);

            postgres.restart();
            assertThat(postgres.port()).isEqualTo(port);
            try (Connection connection = connect(postgres); Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT n FROM " + table)) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getInt(1)).isEqualTo(42);
            }
        } finally {
            postgres.close();
        }
    }

    @Test
    void kafkaComesBackOnTheSamePortWithItsRecords() throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.startTemporary();
        try {
            String topic = "restart-" + UUID.randomUUID();
            try (Admin admin = kafka.admin()) {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            Map<String, Object> producerConfig = new HashMap<>();
            producerConfig.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            producerConfig.put("acks", "all");
            try (var producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(topic, "k", "before")).get(10, TimeUnit.SECONDS);
            }

            kafka.stop();
            assertThat(kafka.isRunning()).isFalse();
            try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    "default.api.timeout.ms", 2000, "request.timeout.ms", 1000))) {
                assertThatThrownBy(() -> admin.listTopics().names().get(5, TimeUnit.SECONDS)).isNotNull();
            }

            kafka.restart();
            try (var producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(topic, "k", "after")).get(30, TimeUnit.SECONDS);
            }
            assertThat(read(kafka.bootstrapServers(), Map.of(), topic, 2)).containsExactly("before", "after");
        } finally {
            kafka.close();
        }
    }

    @Test
    void saslListenerAdmitsItsUserAndRefusesAWrongPassword() throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.startTemporary(true);
        try {
            String topic = "sasl-" + UUID.randomUUID();
            try (Admin admin = Admin.create(kafka.saslClientConfig())) {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            Map<String, Object> producerConfig = new HashMap<>(kafka.saslClientConfig());
            producerConfig.put("acks", "all");
            try (var producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(topic, "k", "v")).get(10, TimeUnit.SECONDS);
            }
            assertThat(read(kafka.saslBootstrapServers(), kafka.saslClientConfig(), topic, 1)).containsExactly("v");

            Map<String, Object> wrong = new HashMap<>(kafka.saslClientConfig());
            wrong.put(SaslConfigs.SASL_JAAS_CONFIG, EmbeddedKafka.plainJaasConfig(EmbeddedKafka.SASL_USER, "wrong"));
            try (Admin admin = Admin.create(wrong)) {
                assertThatThrownBy(() -> admin.listTopics().names().get(30, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SaslAuthenticationException.class);
            }
            // The plain listener stays as it was.
            try (Admin admin = kafka.admin()) {
                assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains(topic);
            }
        } finally {
            kafka.close();
        }
    }

    private static Connection connect(EmbeddedPostgresServer postgres) throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), EmbeddedPostgresServer.USER, EmbeddedPostgresServer.PASSWORD);
    }

    private static List<String> read(String bootstrap, Map<String, Object> security, String topic, int count) {
        Properties props = new Properties();
        props.putAll(security);
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<String> values = new java.util.ArrayList<>();
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.size() < count && System.nanoTime() < until) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    values.add(record.value());
                }
            }
            return values;
        }
    }
}
