package io.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.contracts.MonitorRegistered;
import io.vigil.contracts.TokenHash;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TokenRegistryTest {

    private final TokenRegistry registry = new TokenRegistry();

    @Test
    void ignoresARecordOlderThanTheVersionHeld() {
        UUID id = UUID.randomUUID();
        registry.apply(new MonitorRegistered(id, "backup", TokenHash.of("new-token-0123456789"), 5));
        assertThat(registry.apply(new MonitorRegistered(id, "backup", TokenHash.of("old-token-0123456789"), 4))).isFalse();
        assertThat(registry.byTokenHash(TokenHash.of("new-token-0123456789"))).isNotNull();
        assertThat(registry.byTokenHash(TokenHash.of("old-token-0123456789"))).isNull();
    }

    @Test
    void rotationAndRenameDropTheOldTokenAndSlug() {
        UUID id = UUID.randomUUID();
        registry.apply(new MonitorRegistered(id, "a", TokenHash.of("token-one-0123456789"), 1));
        registry.apply(new MonitorRegistered(id, "b", TokenHash.of("token-two-0123456789"), 2));
        assertThat(registry.byTokenHash(TokenHash.of("token-one-0123456789"))).isNull();
        assertThat(registry.bySlugAndToken("a", "token-two-0123456789")).isNull();
        assertThat(registry.bySlugAndToken("b", "token-two-0123456789").monitorId()).isEqualTo(id);
        assertThat(registry.bySlugAndToken("b", "token-one-0123456789")).isNull();
    }

    @Test
    void tombstoneDeletes() {
        UUID id = UUID.randomUUID();
        registry.apply(new MonitorRegistered(id, "gone", TokenHash.of("token-gone-0123456789"), 1));
        registry.delete(id);
        assertThat(registry.byTokenHash(TokenHash.of("token-gone-0123456789"))).isNull();
        assertThat(registry.bySlugAndToken("gone", "token-gone-0123456789")).isNull();
        assertThat(registry.size()).isZero();
    }
}
