package io.vigil.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TargetPolicyTest {

    private final TargetPolicy strict = new TargetPolicy(false);

    @Test
    void refusesLoopbackPrivateLinkLocalAndMetadataTargets() {
        assertThat(strict.refusal("http://127.0.0.1:9000/hook")).isPresent();
        assertThat(strict.refusal("http://localhost/hook")).isPresent();
        assertThat(strict.refusal("http://10.1.2.3/hook")).isPresent();
        assertThat(strict.refusal("http://192.168.0.10/hook")).isPresent();
        assertThat(strict.refusal("http://172.16.5.4/hook")).isPresent();
        assertThat(strict.refusal("http://169.254.169.254/latest/meta-data")).isPresent();
        assertThat(strict.refusal("http://[::1]/hook")).isPresent();
        assertThat(strict.refusal("http://[fd00::1]/hook")).isPresent();
        assertThat(strict.refusal("http://[::ffff:10.0.0.1]/hook")).isPresent();
        assertThat(strict.refusal("http://100.64.0.1/hook")).isPresent();
    }

    @Test
    void acceptsPublicAddressesAndAnythingWhenPrivateTargetsAreAllowed() {
        assertThat(strict.refusal("https://8.8.8.8/hook")).isEmpty();
        assertThat(new TargetPolicy(true).refusal("http://127.0.0.1:9000/hook")).isEmpty();
    }

    @Test
    void refusesWhatIsNotAnHttpUrl() {
        assertThat(strict.refusal("ftp://8.8.8.8/x")).contains("must be an http or https URL");
        assertThat(strict.refusal("not a url")).isPresent();
        assertThat(new TargetPolicy(true).refusal("http:///nohost")).isPresent();
    }
}
