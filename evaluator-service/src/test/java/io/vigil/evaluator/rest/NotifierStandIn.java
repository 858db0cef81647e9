package io.vigil.evaluator.rest;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vigil.testkit.HttpReceiver;
import java.util.Map;

/** A local HTTP receiver standing in for the notifier's internal API (channel tests), one per test JVM. */
public class NotifierStandIn implements QuarkusTestResourceLifecycleManager {

    private static HttpReceiver receiver;

    public static synchronized HttpReceiver receiver() {
        if (receiver == null) {
            receiver = HttpReceiver.start();
        }
        return receiver;
    }

    @Override
    public Map<String, String> start() {
        return Map.of("vigil.evaluator.api.notifier-url", receiver().baseUrl(),
                "vigil.evaluator.api.notifier-timeout", "PT2S");
    }

    @Override
    public void stop() {
        // shared by the test JVM; the receiver's threads are daemons
    }
}
