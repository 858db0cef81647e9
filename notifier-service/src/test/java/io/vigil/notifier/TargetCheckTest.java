package io.vigil.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.contracts.ChannelType;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TargetCheckTest {

    private static Channel channel(ChannelType type, Map<String, Object> config) {
        return new Channel(UUID.randomUUID(), "c", type, config, Channel.DEFAULT_NOTIFY_ON, null, 1, false);
    }

    @Test
    void privateTargetsAreRefusedAtSendTimeUnlessAllowed() {
        TargetCheck strict = new TargetCheck(false);
        Channel loopback = channel(ChannelType.SLACK, Map.of("webhookUrl", "http://127.0.0.1:9/hook/secret-token"));
        Channel metadata = channel(ChannelType.WEBHOOK, Map.of("url", "http://169.254.169.254/latest"));
        Channel privateNet = channel(ChannelType.TEAMS, Map.of("webhookUrl", "https://10.1.2.3/x"));
        for (Channel channel : List.of(loopback, metadata, privateNet)) {
            assertThat(strict.refusal(channel)).get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                    .startsWith("target refused").contains("VIGIL_ALLOW_PRIVATE_TARGETS").doesNotContain("secret-token");
        }
        assertThat(new TargetCheck(true).refusal(loopback)).isEmpty();
        assertThat(strict.refusal(channel(ChannelType.EMAIL, Map.of("to", List.of("a@example.com"))))).isEmpty();
        assertThat(strict.refusal(channel(ChannelType.WEBHOOK, Map.of("url", "ftp://example.com/x")))).isPresent();
    }
}
