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

    /** A storm of {@code monitors} monitors with 120-character names (each distinct, none a prefix of another). */
    private static Notification stormOf(int monitors) {
        List<Notification.Entry> entries = new ArrayList<>();
        for (int i = 0; i < monitors; i++) {
            entries.add(new Notification.Entry(longName(i), Status.DOWN, "missed check-in: due 10:00:00Z, grace 5m",
                    Instant.parse("2026-11-23T10:05:00Z"), "http://vigil.example:8081/api/v1/monitors/" + UUID.randomUUID()));
        }
        return Notification.digest(UUID.randomUUID(), entries, Instant.parse("2026-11-23T10:05:10Z"));
    }

    private static String longName(int i) {
        String head = String.format("storm-%04d-", i);
        return head + "x".repeat(119 - head.length()) + "!";
    }

    /** How many of the storm's monitors a message names; they must be the first ones. */
    private static int named(String message, int monitors) {
        int named = 0;
        while (named < monitors && message.contains(longName(named))) {
            named++;
        }
        for (int i = named; i < monitors; i++) {
            assertThat(message).doesNotContain(String.format("storm-%04d-", i));
        }
        return named;
    }

    private static int more(String text) {
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("… and (\\d+) more").matcher(text);
        assertThat(matcher.find()).as("says how many more").isTrue();
        return Integer.parseInt(matcher.group(1));
    }

    @Test
    void aSlackDigestOfTwoThousandMonitorsStaysWithinSlacksLimitsAndCountsTheRest() throws Exception {
        String payload = SlackSender.message(stormOf(2000));
        JsonNode message = JSON.readTree(payload);
        JsonNode blocks = message.get("attachments").get(0).get("blocks");
        assertThat(blocks.size()).isLessThanOrEqualTo(50);
        int characters = message.get("text").asText().length();
        for (JsonNode block : blocks) {
            String text = block.get("text").get("text").asText();
            if (block.get("type").asText().equals("section")) {
                assertThat(text.length()).isLessThanOrEqualTo(3000);
            }
            characters += text.length();
        }
        assertThat(characters).isLessThanOrEqualTo(40_000);
        assertThat(message.get("text").asText().length()).isLessThanOrEqualTo(3000);
        assertThat(message.get("text").asText()).startsWith("Alert storm: 2000 monitors changed status: ");
        String last = blocks.get(blocks.size() - 1).get("text").get("text").asText();
        int named = named(payload.replace(message.get("text").asText(), ""), 2000);
        assertThat(named).isGreaterThan(200);
        assertThat(named + more(last)).isEqualTo(2000);
        assertThat(last).endsWith("more: <http://vigil.example:8081/api/v1/monitors|see the monitor list>");
        System.out.printf("Slack digest of 2000 monitors: %d bytes, %d blocks, %d characters of text, %d named%n",
                payload.getBytes(java.nio.charset.StandardCharsets.UTF_8).length, blocks.size(), characters, named);
    }

    @Test
    void aTeamsDigestOfTwoThousandMonitorsStaysBelow28KilobytesAndCountsTheRest() throws Exception {
        String payload = TeamsSender.message(stormOf(2000));
        int bytes = payload.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        assertThat(bytes).isLessThan(28 * 1000);
        JsonNode card = JSON.readTree(payload).get("attachments").get(0).get("content");
        JsonNode body = card.get("body");
        String last = body.get(body.size() - 1).get("text").asText();
        int named = named(payload.replace(body.get(1).get("text").asText(), ""), 2000);
        assertThat(named).isGreaterThan(100);
        assertThat(named + more(last)).isEqualTo(2000);
        assertThat(last).endsWith("more: [see the monitor list](http://vigil.example:8081/api/v1/monitors)");
        assertThat(card.get("actions").get(0).get("url").asText()).isEqualTo("http://vigil.example:8081/api/v1/monitors");
        System.out.printf("Teams digest of 2000 monitors: %d bytes, %d named%n", bytes, named);
    }

    @Test
    void theOneLineSummaryOfAStormIsShort() {
        String summary = stormOf(2000).summary();
        assertThat(summary.length()).isLessThanOrEqualTo(Notification.SUMMARY_LIMIT + 30);
        assertThat(summary).startsWith("Alert storm: 2000 monitors changed status: " + longName(0) + " DOWN");
        assertThat(more(summary)).isEqualTo(2000 - named(summary, 2000));
    }

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
