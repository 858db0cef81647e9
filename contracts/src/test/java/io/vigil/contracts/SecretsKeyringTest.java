package io.vigil.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SecretsKeyringTest {

    private static String newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    @Test
    void aSealedChannelRecordHoldsNoSecretAndOpensToTheSameSettings() {
        SecretsKeyring keys = SecretsKeyring.of(newKey(), "");
        UUID id = UUID.randomUUID();
        Map<String, Object> config = Map.of("url", "https://hooks.example/x", "secret", "s3cr3t-value",
                "headers", Map.of("Authorization", "Bearer very-secret-token"));
        ChannelChanged change = new ChannelChanged(id, "ops", ChannelType.WEBHOOK, config, List.of(Status.DOWN), null, 3);

        byte[] onTheTopic = Json.write(change.sealedWith(keys));
        String text = new String(onTheTopic, StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("s3cr3t-value", "very-secret-token", "hooks.example", "\"config\"")
                .contains("\"sealedConfig\":\"v1." + keys.currentKeyId() + ".");

        ChannelChanged read = Json.read(onTheTopic, ChannelChanged.class);
        assertThat(open(read, keys).config()).isEqualTo(config);
    }

    @Test
    void aRotatedKeyringOpensWhatTheOldKeySealedAndSealsWithTheNewKey() throws Exception {
        String oldKey = newKey();
        String newKey = newKey();
        SecretsKeyring before = SecretsKeyring.of(oldKey, null);
        SecretsKeyring after = SecretsKeyring.of(newKey, oldKey);
        UUID id = UUID.randomUUID();
        String sealedBefore = before.seal("{\"a\":1}".getBytes(StandardCharsets.UTF_8), id.toString());

        assertThat(new String(after.open(sealedBefore, id.toString()), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
        assertThat(after.seal(new byte[] {1}, id.toString())).startsWith("v1." + after.currentKeyId() + ".");
        assertThat(after.currentKeyId()).isNotEqualTo(before.currentKeyId());
        assertThat(after.keyIds()).containsExactly(after.currentKeyId(), before.currentKeyId());
        // once the old key is dropped, what it sealed does not open, and says which key it needs
        assertThatThrownBy(() -> SecretsKeyring.of(newKey, "").open(sealedBefore, id.toString()))
                .isInstanceOf(SecretsKeyring.SealException.class).hasMessageContaining(before.currentKeyId());
    }

    @Test
    void aSealedValueOpensOnlyForItsOwnChannelAndUnaltered() {
        SecretsKeyring keys = SecretsKeyring.of(newKey(), null);
        String sealed = keys.seal("{\"secret\":\"x\"}".getBytes(StandardCharsets.UTF_8), "channel-a");
        assertThatThrownBy(() -> keys.open(sealed, "channel-b")).isInstanceOf(SecretsKeyring.SealException.class);
        char last = sealed.charAt(sealed.length() - 2);
        String altered = sealed.substring(0, sealed.length() - 2) + (last == 'A' ? 'B' : 'A') + sealed.charAt(sealed.length() - 1);
        assertThatThrownBy(() -> keys.open(altered, "channel-a")).isInstanceOf(SecretsKeyring.SealException.class);
        assertThatThrownBy(() -> keys.open("plain text", "channel-a")).isInstanceOf(SecretsKeyring.SealException.class);
    }

    @Test
    void aMissingOrShortKeyIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> SecretsKeyring.of("", null)).hasMessageContaining("VIGIL_SECRETS_KEY is not set");
        assertThatThrownBy(() -> SecretsKeyring.of(Base64.getEncoder().encodeToString(new byte[16]), null))
                .hasMessageContaining("VIGIL_SECRETS_KEY holds 16 bytes");
        assertThatThrownBy(() -> SecretsKeyring.of("not base64 !", null)).hasMessageContaining("not base64");
        assertThatThrownBy(() -> SecretsKeyring.of(newKey(), "short")).hasMessageContaining("VIGIL_SECRETS_PREVIOUS_KEYS");
    }

    private static ChannelChanged open(ChannelChanged change, SecretsKeyring keys) {
        try {
            return change.openedWith(keys);
        } catch (SecretsKeyring.SealException e) {
            throw new AssertionError(e);
        }
    }
}
