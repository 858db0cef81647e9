package io.vigil.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vigil.contracts.ChannelType;
import io.vigil.notifier.config.RateLimits;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import io.vigil.testkit.SmtpResource;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Each type's rate limit is its definition's default unless {@code vigil.notifier.rate.<type>} sets one. */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SmtpResource.class, restrictToAnnotatedClass = false)
class RateLimitsTest {

    @Inject
    RateLimits rates;

    @Test
    void theDefinitionsDefaultsApplyUnlessASettingOverridesThem() {
        // application.properties sets %test.vigil.notifier.rate.teams=PT0.2S; the guard is 25 ms, at most a tenth
        assertThat(rates.spacing(ChannelType.TEAMS)).isEqualTo(Duration.ofMillis(220));
        assertThat(rates.spacing(ChannelType.SLACK)).isEqualTo(Duration.ofMillis(1025));
        assertThat(rates.spacing(ChannelType.DISCORD)).isEqualTo(Duration.ofMillis(425));
        assertThat(rates.spacing(ChannelType.WEBHOOK)).isEqualTo(Duration.ofMillis(55));
        assertThat(rates.spacing(ChannelType.PAGERDUTY)).isZero();
        assertThat(rates.spacing(ChannelType.EMAIL)).isZero();
        for (ChannelType type : ChannelType.values()) {
            assertThat(rates.spacing(type)).as(type.json()).isNotNull();
        }
    }
}
