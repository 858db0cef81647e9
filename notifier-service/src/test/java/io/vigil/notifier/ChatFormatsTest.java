package io.vigil.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vigil.contracts.ChannelType;
import io.vigil.contracts.MonitorFlipped;
import io.vigil.testkit.HttpReceiver;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import io.vigil.testkit.SmtpResource;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SmtpResource.class, restrictToAnnotatedClass = false)
class ChatFormatsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpReceiver receiver = HttpReceiver.start();

    @AfterEach
    void close() {
        receiver.close();
    }

    @Test
    void slackGetsARedDownAlertAndAGreenRecoveryWithTheEscapedPingBody() throws Exception {
        UUID channel = Fixtures.slack(receiver.url("/slack"));
        Fixtures.Monitor monitor = new Fixtures.Monitor("nightly-backup", channel);
        MonitorFlipped down = Fixtures.publish(monitor.flip(io.vigil.contracts.Status.DOWN, "exit-status 3", "exit status 3",
                "<b>error</b> & ```rm``` done"));

        await().atMost(Duration.ofSeconds(15)).until(() -> receiver.requests("/slack").size() == 1);
        JsonNode message = JSON.readTree(receiver.requests("/slack").get(0).body());
        assertThat(message.get("text").asText()).contains(monitor.name).contains("DOWN").contains("exit status 3");
        JsonNode attachment = message.get("attachments").get(0);
        assertThat(attachment.get("color").asText()).isEqualTo("#d0312d");
        JsonNode blocks = attachment.get("blocks");
        assertThat(blocks.get(0).get("type").asText()).isEqualTo("header");
        assertThat(blocks.get(0).get("text").get("text").asText()).isEqualTo("DOWN | " + monitor.name);
        String fields = blocks.get(1).get("fields").toString();
        assertThat(fields).contains("exit status 3").contains("Last seen").contains("DOWN (was NEW)");
        String all = blocks.toString();
        assertThat(all).contains(down.link());
        String body = blocks.get(blocks.size() - 1).get("text").get("text").asText();
        assertThat(body).startsWith("*Last ping body*\n```").endsWith("```")
                .contains("&lt;b&gt;error&lt;/b&gt; &amp;").doesNotContain("<b>");

        Fixtures.publish(monitor.up());
        await().atMost(Duration.ofSeconds(15)).until(() -> receiver.requests("/slack").size() == 2);
        JsonNode recovery = JSON.readTree(receiver.requests("/slack").get(1).body());
        assertThat(recovery.get("attachments").get(0).get("color").asText()).isEqualTo("#2eb67d");
        assertThat(recovery.get("text").asText()).contains(monitor.name).contains("UP");
        assertThat(recovery.get("attachments").get(0).get("blocks").toString()).contains("Down for").contains("12m");
    }

    @Test
    void teamsGetsAnAdaptiveCard() throws Exception {
        UUID channel = Fixtures.channel(ChannelType.TEAMS, Map.of("webhookUrl", receiver.url("/teams")), null, null);
        Fixtures.Monitor monitor = new Fixtures.Monitor("etl", channel);
        MonitorFlipped down = Fixtures.publish(monitor.down());

        await().atMost(Duration.ofSeconds(15)).until(() -> receiver.requests("/teams").size() == 1);
        JsonNode message = JSON.readTree(receiver.requests("/teams").get(0).body());
        assertThat(message.get("type").asText()).isEqualTo("message");
        JsonNode attachment = message.get("attachments").get(0);
        assertThat(attachment.get("contentType").asText()).isEqualTo("application/vnd.microsoft.card.adaptive");
        JsonNode card = attachment.get("content");
        assertThat(card.get("type").asText()).isEqualTo("AdaptiveCard");
        assertThat(card.get("version").asText()).isEqualTo("1.4");
        assertThat(card.get("body").get(0).get("text").asText()).contains("DOWN").contains("etl");
        assertThat(card.get("body").get(0).get("color").asText()).isEqualTo("Attention");
        assertThat(card.get("body").toString()).contains("missed check-in").contains("backup failed: disk full")
                .contains("Last seen");
        assertThat(card.get("actions").get(0).get("url").asText()).isEqualTo(down.link());
    }
}
