package io.vigil.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Points a {@code @QuarkusTest}'s mailer at the test JVM's shared GreenMail server. */
public class SmtpResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return SharedInfra.smtp().quarkusConfig();
    }

    @Override
    public void stop() {
        // shared by every test of the JVM; stopped at JVM exit
    }
}
