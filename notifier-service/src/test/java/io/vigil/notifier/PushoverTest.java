package io.vigil.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vigil.contracts.ChannelType;
import io.vigil.contracts.DeliveryAttempted;
import io.vigil.contracts.MonitorFlipped;
import io.vigil.contracts.Status;
import io.vigil.testkit.HttpReceiver;
import io.vigil.testkit.HttpReceiver.Reply;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import io.vigil.testkit.SmtpResource;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SmtpResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = ProviderResource.class, restrictToAnnotatedClass = false)
class PushoverTest {

    private static final String PATH = "/pushover/1/messages.json";

    private final HttpReceiver pushover = ProviderResource.receiver();
    private final String appToken = "app" + UUID.randomUUID().toString().replace("-", "");
    private final String userKey = "user" + UUID.randomUUID().toString().replace("-", "");

    private UUID channel(Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>(Map.of("appToken", appToken, "userKey", userKey));
        config.putAll(extra);
        return Fixtures.channel(ChannelType.PUSHOVER, config, null, null);
    }

    /** The forms this test's user key was sent. */
    private List<Map<String, String>> forms() {
        return pushover.requests(PATH).stream().map(PushoverTest::form).filter(form -> userKey.equals(form.get("user"))).toList();
    }

    private boolean mine(HttpReceiver.Request request) {
        return userKey.equals(form(request).get("user"));
    }

    private static Map<String, String> form(HttpReceiver.Request request) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : request.bodyText().split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    @Test
    void aDownAlertAndItsRecoveryArePostedAsAForm() {
        UUID channel = channel(Map.of());
        Fixtures.Monitor monitor = new Fixtures.Monitor("nightly-backup", channel);
        MonitorFlipped down = Fixtures.publish(monitor.down());

        await().atMost(Duration.ofSeconds(15)).until(() -> forms().size() == 1);
        HttpReceiver.Request request = pushover.requests(PATH).stream().filter(this::mine).findFirst().orElseThrow();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.query()).isNull();
        assertThat(request.header("Content-Type")).startsWith("application/x-www-form-urlencoded");
        Map<String, String> form = forms().get(0);
        assertThat(form.keySet()).containsExactly("token", "user", "title", "message", "url", "url_title", "priority");
        assertThat(form).containsEntry("token", appToken).containsEntry("title", "DOWN | " + monitor.name)
                .containsEntry("url", down.link()).containsEntry("url_title", "Open in Vigil").containsEntry("priority", "1");
        assertThat(form.get("message")).startsWith(monitor.name + " is DOWN: missed check-in: due 10:00:00Z, grace 5m")
                .contains("\nStatus: DOWN (was NEW)").contains("\nLast seen: ").contains("\nLink: " + down.link())
                .endsWith("\n\nLast ping body:\nbackup failed: disk full");

        Fixtures.publish(monitor.up());
        await().atMost(Duration.ofSeconds(15)).until(() -> forms().size() == 2);
        Map<String, String> up = forms().get(1);
        assertThat(up).containsEntry("title", "UP | " + monitor.name).containsEntry("priority", "0");
        assertThat(up.get("message")).contains("\nDown for: 12m").endsWith("all good");
    }

    @Test
    void anEmergencyPriorityAsksForRetriesAndTheSoundIsSent() {
        UUID channel = channel(Map.of("priority", 2, "sound", "siren"));
        Fixtures.publish(new Fixtures.Monitor("emergency", channel).down());

        await().atMost(Duration.ofSeconds(15)).until(() -> forms().size() == 1);
        assertThat(forms().get(0)).containsEntry("priority", "2").containsEntry("retry", "60")
                .containsEntry("expire", "3600").containsEntry("sound", "siren").doesNotContainKey("html");
    }

    @Test
    void aHostileNameIsSentAsPlainTextAndTheMessageFitsPushoversLimit() {
        UUID channel = channel(Map.of());
        Fixtures.Monitor monitor = new Fixtures.Monitor("<b>&\"x", channel);
        Fixtures.publish(monitor.flip(Status.DOWN, "failure", "failure signal", "<i>" + "y".repeat(996)));

        await().atMost(Duration.ofSeconds(15)).until(() -> forms().size() == 1);
        Map<String, String> form = forms().get(0);
        assertThat(form).doesNotContainKey("html").containsEntry("title", "DOWN | " + monitor.name);
        assertThat(form.get("message")).startsWith(monitor.name + " is DOWN: failure signal").contains("<i>yyy").endsWith("…");
        assertThat(form.get("message").codePointCount(0, form.get("message").length())).isLessThanOrEqualTo(1024);
    }

    @Test
    void aStormGoesOutAsFiveAlertsThenOneDigestThatFits() {
        UUID channel = channel(Map.of());
        List<Fixtures.Monitor> monitors = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Fixtures.Monitor monitor = new Fixtures.Monitor(String.format("po-storm-%02d-", i) + "z".repeat(40), channel);
            monitors.add(monitor);
            Fixtures.publish(monitor.down());
        }

        await().atMost(Duration.ofSeconds(40)).until(() -> forms().size() == 6);
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> forms().size() == 6);
        List<Map<String, String>> forms = forms();
        forms.subList(0, 5).forEach(form -> assertThat(form.get("title")).startsWith("DOWN | po-storm-"));
        Map<String, String> digest = forms.get(5);
        assertThat(digest.get("title")).isEqualTo("DIGEST | 25 monitors changed status");
        assertThat(digest).containsEntry("priority", "1").containsEntry("url", "http://localhost:8081/api/v1/monitors")
                .containsEntry("url_title", "See the monitor list");
        String message = digest.get("message");
        assertThat(message.codePointCount(0, message.length())).isLessThanOrEqualTo(1024);
        Matcher more = Pattern.compile("\n… and (\\d+) more: http://localhost:8081/api/v1/monitors$").matcher(message);
        assertThat(more.find()).as(message).isTrue();
        long named = monitors.stream().filter(monitor -> message.contains("• " + monitor.name + " is DOWN")).count();
        assertThat(named).isPositive();
        assertThat(named + Integer.parseInt(more.group(1))).isEqualTo(25);
    }

    @Test
    void aRateLimitIsRetriedAndAnInvalidUserIsPermanent() {
        pushover.enqueueFor(this::mine, Reply.status(429).withHeader("Retry-After", "1").withBody("{\"status\":0}"),
                Reply.status(200).withBody("{\"status\":1,\"request\":\"r1\"}"));
        UUID limited = channel(Map.of());
        Fixtures.publish(new Fixtures.Monitor("limited", limited).down());
        await().atMost(Duration.ofSeconds(15)).until(() -> Fixtures.outcomesFor(limited).size() == 2);
        assertThat(Fixtures.outcomesFor(limited)).extracting(DeliveryAttempted::outcome).containsExactly("retry", "delivered");
        assertThat(forms()).hasSize(2);

        pushover.enqueueFor(this::mine, Reply.status(400).withBody("{\"user\":\"invalid\",\"errors\":[\"user identifier is not a"
                + " valid user, group, or subscribed user key\"],\"status\":0,\"request\":\"r2\"}"));
        UUID invalid = channel(Map.of());
        Fixtures.publish(new Fixtures.Monitor("invalid", invalid).down());
        await().atMost(Duration.ofSeconds(15)).until(() -> !Fixtures.outcomesFor(invalid).isEmpty());
        DeliveryAttempted failed = Fixtures.outcomesFor(invalid).get(0);
        assertThat(failed.status()).isEqualTo("FAILED");
        assertThat(failed.httpStatus()).isEqualTo(400);
        assertThat(failed.error()).contains("user identifier is not a valid user").doesNotContain(appToken).doesNotContain(userKey);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> forms().size() == 3);
    }
}
