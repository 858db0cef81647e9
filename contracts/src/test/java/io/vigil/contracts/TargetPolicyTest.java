package io.vigil.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicInteger;
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

    @Test
    void refusesAddressesThatCarryAPrivateIpv4OrAreReserved() {
        assertThat(strict.refusal("http://[64:ff9b::7f00:1]/hook")).as("NAT64 of 127.0.0.1").isPresent();
        assertThat(strict.refusal("http://[64:ff9b::808:808]/hook")).as("NAT64, whatever it embeds").isPresent();
        assertThat(strict.refusal("http://[64:ff9b:1::a00:1]/hook")).as("local-use NAT64").isPresent();
        assertThat(strict.refusal("http://[::127.0.0.1]/hook")).as("IPv4-compatible loopback").isPresent();
        assertThat(strict.refusal("http://[::8.8.8.8]/hook")).as("IPv4-compatible, deprecated").isPresent();
        assertThat(strict.refusal("http://[2002:a00:1::1]/hook")).as("6to4 of 10.0.0.1").isPresent();
        assertThat(strict.refusal("http://[2002:7f00:1::]/hook")).as("6to4 of 127.0.0.1").isPresent();
        assertThat(strict.refusal("http://[2002:a9fe:a9fe::1]/hook")).as("6to4 of 169.254.169.254").isPresent();
        assertThat(strict.refusal("http://[2002:808:808::1]/hook")).as("6to4 of 8.8.8.8").isEmpty();
        assertThat(strict.refusal("http://198.18.0.1/hook")).as("benchmarking").isPresent();
        assertThat(strict.refusal("http://198.19.255.254/hook")).as("benchmarking").isPresent();
        assertThat(strict.refusal("http://198.20.0.1/hook")).isEmpty();
        assertThat(strict.refusal("http://192.0.0.8/hook")).as("IETF protocol assignments").isPresent();
        assertThat(strict.refusal("http://240.0.0.1/hook")).as("reserved").isPresent();
        assertThat(strict.refusal("http://255.255.255.255/hook")).as("broadcast").isPresent();
        assertThat(strict.refusal("http://0.0.0.0/hook")).isPresent();
    }

    @Test
    void readsNumericHostsTheWayInetAtonDoes() {
        assertThat(strict.refusal("http://2130706433/hook")).as("decimal 127.0.0.1").isPresent();
        assertThat(strict.refusal("http://0177.0.0.1/hook")).as("octal 127.0.0.1").isPresent();
        assertThat(strict.refusal("http://0x7f.1/hook")).as("hex, two parts").isPresent();
        assertThat(strict.refusal("http://017700000001/hook")).as("one octal number").isPresent();
        assertThat(strict.refusal("http://10.1/hook")).as("10.0.0.1").isPresent();
        assertThat(strict.refusal("http://0251.0376.0251.0376/hook")).as("octal 169.254.169.254").isPresent();
        assertThat(strict.refusal("http://134744072/hook")).as("decimal 8.8.8.8").isEmpty();
        assertThat(strict.refusal("http://1.2.3.256/hook")).isPresent();
        assertThat(strict.refusal("http://99999999999/hook")).contains("has a numeric host that is not a valid IPv4 address");
        assertThat(TargetPolicy.numericIpv4("0177.0.0.1")).containsExactly(127, 0, 0, 1);
        assertThat(TargetPolicy.numericIpv4("2130706433")).containsExactly(127, 0, 0, 1);
        assertThat(TargetPolicy.numericIpv4("0x7f.0.1")).containsExactly(127, 0, 0, 1);
        assertThat(TargetPolicy.numericIpv4("hooks.example")).isNull();
        assertThat(TargetPolicy.numericIpv4("1e100.net")).isNull();
        assertThat(strict.refusal("http://a.0x7f/hook")).as("a number last: an address, and not a valid one").isPresent();
    }

    @Test
    void refusesLoopbackNamesAndLiteralsInEveryForm() {
        assertThat(strict.refusal("http://localhost./hook")).as("trailing dot").isPresent();
        assertThat(strict.refusal("http://LOCALHOST/hook")).isPresent();
        assertThat(strict.refusal("http://api.localhost/hook")).isPresent();
        assertThat(strict.refusal("http://metadata.google.internal./x")).isPresent();
        assertThat(strict.refusal("http://[::1]:8443/hook")).as("an IPv6 literal in brackets").isPresent();
        assertThat(strict.refusal("http://[0:0:0:0:0:0:0:1]/hook")).isPresent();
        assertThat(strict.refusal("http://[::ffff:127.0.0.1]/hook")).isPresent();
        assertThat(strict.refusal("http://[::ffff:7f00:1]/hook")).isPresent();
        assertThat(strict.refusal("http://[fe80::1]/hook")).isPresent();
        assertThat(strict.refusal("http://[::]/hook")).isPresent();
        assertThat(strict.refusal("http://[2606:4700:4700::1111]/hook")).isEmpty();
    }

    @Test
    void checksEveryAddressANameResolvesToAndAnswersTheCheckedOne() throws Exception {
        InetAddress publicOne = InetAddress.getByName("93.184.215.14");
        InetAddress privateOne = InetAddress.getByName("10.0.0.7");
        TargetPolicy mixed = new TargetPolicy(false, name -> new InetAddress[] {publicOne, privateOne});
        assertThat(mixed.check("https://hooks.example/x").refusal()).contains("private");

        AtomicInteger lookups = new AtomicInteger();
        TargetPolicy rebinding = new TargetPolicy(false, name -> lookups.getAndIncrement() == 0
                ? new InetAddress[] {publicOne} : new InetAddress[] {privateOne});
        TargetPolicy.Checked checked = rebinding.check("https://hooks.example:8443/services/T0/B0?x=1");
        assertThat(checked.refused()).isFalse();
        assertThat(lookups).hasValue(1);
        assertThat(checked.target().address()).isEqualTo(publicOne);
        assertThat(checked.target().host()).isEqualTo("hooks.example");
        assertThat(checked.target().hostHeader()).isEqualTo("hooks.example:8443");
        assertThat(checked.target().port()).isEqualTo(8443);
        assertThat(checked.target().https()).isTrue();
        assertThat(checked.target().requestUri()).isEqualTo("/services/T0/B0?x=1");

        TargetPolicy.Target literal = strict.check("http://[2606:4700:4700::1111]").target();
        assertThat(literal.hostHeader()).isEqualTo("[2606:4700:4700::1111]");
        assertThat(literal.requestUri()).isEqualTo("/");
        assertThat(literal.port()).isEqualTo(80);
    }

    @Test
    void withPrivateTargetsAllowedANameIsStillResolvedOnceForTheConnection() {
        AtomicInteger lookups = new AtomicInteger();
        TargetPolicy open = new TargetPolicy(true, name -> {
            lookups.incrementAndGet();
            return new InetAddress[] {InetAddress.getLoopbackAddress()};
        });
        assertThat(open.refusal("http://receiver.test:9000/hook")).isEmpty();
        assertThat(lookups).as("no lookup to accept a channel").hasValue(0);
        assertThat(open.check("http://receiver.test:9000/hook").target().address()).isEqualTo(InetAddress.getLoopbackAddress());
        assertThat(lookups).hasValue(1);
        assertThat(open.check("http://127.0.0.1:9000/hook").target().address().getHostAddress()).isEqualTo("127.0.0.1");
    }
}
