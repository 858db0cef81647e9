package io.vigil.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.contracts.Status;
import io.vigil.notifier.channel.slack.SlackSender;
import io.vigil.notifier.channel.teams.TeamsSender;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DigestMessageTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Notification digestOf(int monitors) {
        List<Notification.Entry> entries = new ArrayList<>();
        for (int i = 0; i < monitors; i++) {
            entries.add(new Notification.Entry("job-" + i + "-<x>", Status.DOWN, "missed check-in: due 10:00:00Z, grace 5m",
                    Instant.parse("2026-11-23T10:05:00Z"), "http://localhost:8081/api/v1/monitors/" + i));
        }
        return Notification.digest(UUID.randomUUID(), entries, Instant.parse("2026-11-23T10:05:10Z"));
    }

    @Test
    void aLargeSlackDigestNamesEveryMonitorWithinSlacksLimits() throws Exception {
        JsonNode message = JSON.readTree(SlackSender.message(digestOf(1000)));
        JsonNode blocks = message.get("attachments").get(0).get("blocks");
        assertThat(blocks.size()).isLessThanOrEqualTo(50);
        StringBuilder all = new StringBuilder();
        for (JsonNode block : blocks) {
            if (block.get("type").asText().equals("section")) {
                assertThat(block.get("text").get("text").asText().length()).isLessThanOrEqualTo(3000);
                all.append(block.get("text").get("text").asText()).append('\n');
            }
        }
        for (int i = 0; i < 1000; i++) {
            assertThat(all).contains("job-" + i + "-&lt;x&gt;");
        }
        assertThat(message.get("text").asText()).startsWith("Alert storm: 1000 monitors");
        assertThat(message.get("attachments").get(0).get("color").asText()).isEqualTo("#d0312d");
    }

    @Test
    void aTeamsDigestNamesEveryMonitor() {
        String card = TeamsSender.message(digestOf(300));
        for (int i = 0; i < 300; i++) {
            assertThat(card).contains("job-" + i + "-<x>");
        }
    }
}
