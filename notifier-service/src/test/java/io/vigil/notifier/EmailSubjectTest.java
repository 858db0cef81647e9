package io.vigil.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vigil.contracts.ChannelType;
import io.vigil.contracts.Status;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import io.vigil.testkit.SharedInfra;
import io.vigil.testkit.SmtpResource;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A monitor name that reaches the notifier with line breaks (an older evaluator, a hand-made record) injects no header. */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SmtpResource.class, restrictToAnnotatedClass = false)
class EmailSubjectTest {

    @Test
    void lineBreaksInANameAreStrippedFromTheSubject() throws Exception {
        String to = "ops-" + UUID.randomUUID() + "@example.com";
        UUID channel = Fixtures.channel(ChannelType.EMAIL, Map.of("to", List.of(to)), null, null);
        Fixtures.Monitor monitor = new Fixtures.Monitor("x\r\nBcc: a@evil.example\r\nX-Injected: yes\n", channel);
        Fixtures.publish(monitor.flip(Status.DOWN, "fail", "failure signal", "body"));

        await().atMost(Duration.ofSeconds(15)).until(() -> SharedInfra.smtp().messagesTo(to).size() == 1);
        MimeMessage mail = SharedInfra.smtp().messagesTo(to).get(0);
        assertThat(mail.getSubject()).doesNotContain("\r").doesNotContain("\n").startsWith("DOWN | x Bcc: a@evil.example X-Injected: yes");
        assertThat(mail.getHeader("X-Injected")).isNull();
        assertThat(mail.getHeader("Bcc")).isNull();
        assertThat(SharedInfra.smtp().messagesTo("a@evil.example")).isEmpty();
    }
}
