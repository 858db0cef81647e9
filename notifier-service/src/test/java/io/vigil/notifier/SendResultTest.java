package io.vigil.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SendResultTest {

    @Test
    void aRedirectIsAPermanentFailureNamingWhereItPointed() {
        for (int status : new int[] {301, 302, 303, 307, 308}) {
            SendResult result = SendResult.ofHttp(status, "5", "https://elsewhere.example/new/hook");
            assertThat(result.outcome()).isEqualTo(SendResult.Outcome.FAILED);
            assertThat(result.httpStatus()).isEqualTo(status);
            assertThat(result.retryAfter()).isNull();
            assertThat(result.error()).isEqualTo("target answered HTTP " + status
                    + " (a redirect, not followed; Location: https://elsewhere.example/new/hook)");
        }
        assertThat(SendResult.ofHttp(304, null, null).error()).isEqualTo("target answered HTTP 304 (a redirect, not followed)");
    }

    @Test
    void theRecordedLocationLosesCredentialsQueriesAndControlCharacters() {
        assertThat(SendResult.redirectTarget("https://user:pw@evil.example:8443/a/b?token=xyz#frag"))
                .isEqualTo("https://evil.example:8443/a/b");
        assertThat(SendResult.redirectTarget("/relative\r\nX-Injected: 1")).isEqualTo("/relativeX-Injected: 1");
        assertThat(SendResult.redirectTarget("https://x.example/" + "a".repeat(1000))).hasSize(301);
        assertThat(SendResult.redirectTarget("  ")).isNull();
    }

    @Test
    void serverErrorsTooManyRequestsAndTimeoutsAreRetriedOtherClientErrorsAreNot() {
        assertThat(SendResult.ofHttp(503, "10").outcome()).isEqualTo(SendResult.Outcome.RETRY);
        assertThat(SendResult.ofHttp(429, "10").retryAfter()).isEqualTo("10");
        assertThat(SendResult.ofHttp(408, null).outcome()).isEqualTo(SendResult.Outcome.RETRY);
        assertThat(SendResult.ofHttp(410, null).outcome()).isEqualTo(SendResult.Outcome.FAILED);
        assertThat(SendResult.ofHttp(204, null).outcome()).isEqualTo(SendResult.Outcome.DELIVERED);
    }
}
