package io.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClientOriginTest {

    private final TrustedProxies withPrivateRanges = TrustedProxies.of(List.of("127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12",
            "192.168.0.0/16", "fc00::/7"));

    @Test
    void believesForwardedHeadersOnlyFromTrustedProxies() {
        assertThat(ClientOrigin.of("10.1.2.3", "http", "198.51.100.4:8080, 10.0.0.9", "https", withPrivateRanges))
                .isEqualTo(new ClientOrigin("198.51.100.4", "https"));
        assertThat(ClientOrigin.of("203.0.113.9", "http", "198.51.100.4", "https", withPrivateRanges))
                .isEqualTo(new ClientOrigin("203.0.113.9", "http"));
        assertThat(ClientOrigin.of("172.32.0.1", "http", "198.51.100.4", null, withPrivateRanges).remoteAddr()).isEqualTo("172.32.0.1");
        assertThat(ClientOrigin.of("172.31.255.1", "http", "198.51.100.4", null, withPrivateRanges).remoteAddr()).isEqualTo("198.51.100.4");
        assertThat(ClientOrigin.of("0:0:0:0:0:0:0:1", "http", "[2001:db8::1]:443", null, withPrivateRanges).remoteAddr()).isEqualTo("[2001:db8::1]:443");
        assertThat(ClientOrigin.of("fd00::5", "http", "2001:db8::1", null, withPrivateRanges).remoteAddr()).isEqualTo("2001:db8::1");
        assertThat(ClientOrigin.of("127.0.0.1", "http", null, null, withPrivateRanges)).isEqualTo(new ClientOrigin("127.0.0.1", "http"));
    }

    @Test
    void refusesMalformedBlocks() {
        assertThatThrownBy(() -> TrustedProxies.of(List.of("example.com"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TrustedProxies.of(List.of("10.0.0.0/33"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(TrustedProxies.of(List.of("198.51.100.7")).trusts("198.51.100.7")).isTrue();
        assertThat(TrustedProxies.of(List.of("198.51.100.7")).trusts("198.51.100.8")).isFalse();
    }
}
