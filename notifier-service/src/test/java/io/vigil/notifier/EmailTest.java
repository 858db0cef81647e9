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
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SmtpResource.class, restrictToAnnotatedClass = false)
class EmailTest {

    @Test
    void emailAlertHasTheSubjectAndAPlainTextAndAnEscapedHtmlPart() throws Exception {
        String to = "ops-" + UUID.randomUUID() + "@example.com";
        UUID channel = Fixtures.channel(ChannelType.EMAIL, Map.of("to", List.of(to)), null, null);
        Fixtures.Monitor monitor = new Fixtures.Monitor("db-backup", channel);
        Fixtures.publish(monitor.flip(Status.DOWN, "fail", "failure signal", "<script>alert(1)</script> & done"));

        await().atMost(Duration.ofSeconds(15)).until(() -> SharedInfra.smtp().messagesTo(to).size() == 1);
        MimeMessage mail = SharedInfra.smtp().messagesTo(to).get(0);
        assertThat(mail.getSubject()).isEqualTo("DOWN | " + monitor.name);
        assertThat(mail.getFrom()[0].toString()).contains("vigil@localhost");
        List<BodyPart> parts = leaves(mail.getContent());
        String text = parts.stream().filter(this::isText).map(this::content).findFirst().orElseThrow();
        String html = parts.stream().filter(this::isHtml).map(this::content).findFirst().orElseThrow();
        assertThat(text).contains(monitor.name).contains("failure signal").contains("Last seen")
                .contains("<script>alert(1)</script> & done").contains("http://localhost:8081/api/v1/monitors/");
        assertThat(html).contains("failure signal").contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; done")
                .doesNotContain("<script>");

        Fixtures.publish(monitor.up());
        await().atMost(Duration.ofSeconds(15)).until(() -> SharedInfra.smtp().messagesTo(to).size() == 2);
        assertThat(SharedInfra.smtp().messagesTo(to).get(1).getSubject()).isEqualTo("UP | " + monitor.name);
    }

    private boolean isText(BodyPart part) {
        try {
            return part.isMimeType("text/plain");
        } catch (Exception e) {
            return false;
        }
    }

    private boolean isHtml(BodyPart part) {
        try {
            return part.isMimeType("text/html");
        } catch (Exception e) {
            return false;
        }
    }

    private String content(BodyPart part) {
        try {
            return part.getContent().toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<BodyPart> leaves(Object content) throws Exception {
        List<BodyPart> leaves = new ArrayList<>();
        if (content instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart part = multipart.getBodyPart(i);
                if (part.getContent() instanceof Multipart) {
                    leaves.addAll(leaves(part.getContent()));
                } else {
                    leaves.add(part);
                }
            }
        }
        return leaves;
    }
}
