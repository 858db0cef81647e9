package io.vigil.notifier;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vigil.testkit.HttpReceiver;
import java.util.Map;

/**
 * One local receiver standing in for the providers whose address is fixed (PagerDuty, Opsgenie, Telegram, Pushover),
 * each under its own path: {@code /pagerduty}, {@code /opsgenie}, {@code /opsgenie-eu}, {@code /telegram},
 * {@code /pushover}. Shared by every test of the JVM, so a test tells its requests apart by what it configured (a
 * routing key, a bot token) and never by their count alone.
 */
public class ProviderResource implements QuarkusTestResourceLifecycleManager {

    private static HttpReceiver receiver;

    /** The receiver behind every provider address. */
    public static synchronized HttpReceiver receiver() {
        if (receiver == null) {
            receiver = HttpReceiver.start();
        }
        return receiver;
    }

    @Override
    public Map<String, String> start() {
        HttpReceiver providers = receiver();
        return Map.of(
                "vigil.notifier.pagerduty-url", providers.url("/pagerduty"),
                "vigil.notifier.opsgenie-url", providers.url("/opsgenie"),
                "vigil.notifier.opsgenie-eu-url", providers.url("/opsgenie-eu"),
                "vigil.notifier.telegram-url", providers.url("/telegram"),
                "vigil.notifier.pushover-url", providers.url("/pushover"));
    }

    @Override
    public void stop() {
        // shared by every test of the JVM; its port closes at JVM exit
    }
}
