package io.vigil.evaluator.service;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vigil.testkit.HttpReceiver;
import java.util.Map;

/** A local HTTP receiver standing in for the heartbeat URL (VIGIL_HEARTBEAT_URL), pinged every second in tests. */
public class HeartbeatReceiver implements QuarkusTestResourceLifecycleManager {

    private static HttpReceiver receiver;

    static synchronized HttpReceiver receiver() {
        if (receiver == null) {
            receiver = HttpReceiver.start();
        }
        return receiver;
    }

    @Override
    public Map<String, String> start() {
        return Map.of("vigil.evaluator.engine.heartbeat-url", receiver().url("/heartbeat"),
                "vigil.evaluator.engine.heartbeat-frequency", "1s");
    }

    @Override
    public void stop() {
        // shared by the test JVM
    }
}
