package io.vigil.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.path.json.JsonPath;
import io.vigil.testkit.HttpReceiver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every integration through the packaged services, as an operator uses it: a channel of each type created through the
 * admin API, a test send to each, then a monitor alerting all of them goes DOWN and recovers, and each target hears of
 * both. The providers with fixed addresses are pointed at a local receiver through their VIGIL_NOTIFIER_*_URL settings;
 * the message formats themselves are asserted field by field in the notifier's tests.
 */
class IntegrationsIT {

    private static HttpReceiver receiver;
    private static VigilStack vigil;
    private static AdminApi admin;

    @BeforeAll
    static void startVigil() {
        receiver = HttpReceiver.start();
        vigil = VigilStack.start(env -> {
            env.put("VIGIL_NOTIFIER_PAGERDUTY_URL", receiver.url("/pagerduty"));
            env.put("VIGIL_NOTIFIER_OPSGENIE_URL", receiver.url("/opsgenie"));
            env.put("VIGIL_NOTIFIER_TELEGRAM_URL", receiver.url("/telegram"));
            env.put("VIGIL_NOTIFIER_PUSHOVER_URL", receiver.url("/pushover"));
        });
        admin = vigil.admin();
    }

    @AfterAll
    static void stopVigil() {
        VigilStack.stop(vigil, receiver);
    }

    /** A channel to create and how to recognise the requests that reach its target. */
    private record Target(String type, Map<String, Object> config, Predicate<HttpReceiver.Request> reached) {
    }

    @Test
    void everyTypeGetsItsTestSendItsAlertAndItsRecovery() {
        String s = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        List<Target> targets = List.of(
                new Target("pagerduty", Map.of("routingKey", "rk" + s), at("/pagerduty/v2/enqueue", "rk" + s)),
                new Target("opsgenie", Map.of("apiKey", "key-" + s), request -> request.path().startsWith("/opsgenie/v2/alerts")
                        && ("GenieKey key-" + s).equals(request.header("Authorization"))),
                new Target("discord", Map.of("webhookUrl", receiver.url("/discord/" + s)), at("/discord/" + s, null)),
                new Target("telegram", Map.of("botToken", "123:" + s, "chatId", "-1001234567"),
                        at("/telegram/bot123:" + s + "/sendMessage", null)),
                new Target("ntfy", Map.of("serverUrl", receiver.url("/ntfy-" + s), "topic", "t" + s), at("/ntfy-" + s, null)),
                new Target("pushover", Map.of("appToken", "app" + s, "userKey", "user" + s), at("/pushover/1/messages.json", "user" + s)),
                new Target("googlechat", Map.of("webhookUrl", receiver.url("/gchat/" + s)), at("/gchat/" + s, null)),
                new Target("mattermost", Map.of("webhookUrl", receiver.url("/mattermost/" + s)), at("/mattermost/" + s, null)),
                new Target("rocketchat", Map.of("webhookUrl", receiver.url("/rocketchat/" + s)), at("/rocketchat/" + s, null)),
                new Target("gotify", Map.of("serverUrl", receiver.url("/gotify-" + s), "appToken", "gt" + s),
                        at("/gotify-" + s + "/message", null)),
                new Target("matrix", Map.of("homeserverUrl", receiver.url("/matrix-" + s), "roomId", "!r" + s + ":example.org",
                        "accessToken", "syt_" + s), request -> request.path().startsWith("/matrix-" + s + "/_matrix/client/v3/rooms/")));

        Map<Target, String> channels = new LinkedHashMap<>();
        for (Target target : targets) {
            channels.put(target, admin.post("/channels", Map.of("name", target.type() + "-" + s, "type", target.type(),
                    "config", target.config(), "notifyOn", List.of("DOWN", "UP"))).get("id").asText());
        }
        for (Map.Entry<Target, String> channel : channels.entrySet()) {
            // 503 until the notifier has the channel from the topic
            await(channel.getKey().type() + " test send").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                    .until(() -> testSend(channel.getValue()));
            assertThat(count(channel.getKey())).as(channel.getKey().type() + " test send").isEqualTo(1);
        }

        JsonNode monitor = admin.post("/monitors", Map.of("name", "integrations-" + s,
                "schedule", Map.of("type", "interval", "every", "PT2S"), "grace", "PT1S",
                "channels", new ArrayList<>(channels.values())));
        String monitorId = monitor.get("id").asText();
        String pingUrl = monitor.get("pingUrl").asText();
        await("first ping accepted").atMost(Duration.ofSeconds(30)).until(() -> given().get(pingUrl).statusCode() == 200);
        await("DOWN").atMost(Duration.ofSeconds(30)).until(() -> status(monitorId).equals("DOWN"));
        for (Target target : targets) {
            await(target.type() + " DOWN alert").atMost(Duration.ofSeconds(30)).until(() -> count(target) >= 2);
        }
        given().post(pingUrl).then().statusCode(200);
        for (Target target : targets) {
            await(target.type() + " recovery").atMost(Duration.ofSeconds(30)).until(() -> count(target) >= 3);
            assertThat(count(target)).as(target.type() + ": the test, the alert, the recovery").isEqualTo(3);
        }
        // the incident tools close what the DOWN opened, by the monitor's key
        assertThat(receiver.requests("/opsgenie/v2/alerts/vigil-" + monitorId + "/close")).hasSize(1);
        List<HttpReceiver.Request> pagerduty = receiver.requests("/pagerduty/v2/enqueue").stream()
                .filter(request -> request.bodyText().contains("rk" + s)).toList();
        assertThat(JsonPath.from(pagerduty.get(1).bodyText()).getString("event_action")).isEqualTo("trigger");
        assertThat(JsonPath.from(pagerduty.get(2).bodyText()).getString("event_action")).isEqualTo("resolve");
        assertThat(JsonPath.from(pagerduty.get(2).bodyText()).getString("dedup_key")).isEqualTo("vigil-" + monitorId);
    }

    private static Predicate<HttpReceiver.Request> at(String path, String bodyHas) {
        return request -> request.path().equals(path) && (bodyHas == null || request.bodyText().contains(bodyHas));
    }

    private static long count(Target target) {
        return receiver.requests().stream().filter(target.reached()).count();
    }

    private static boolean testSend(String channelId) {
        var response = admin.send("POST", "/channels/" + channelId + "/test", null);
        if (response.statusCode() == 503) {
            return false;
        }
        String body = new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(response.statusCode()).as(body).isEqualTo(200);
        assertThat(JsonPath.from(body).getString("status")).as(body).isEqualTo("SENT");
        return true;
    }

    private static String status(String monitorId) {
        return admin.get("/monitors/" + monitorId).get("status").asText();
    }
}
