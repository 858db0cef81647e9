package io.vigil.notifier;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vigil.contracts.DeliveryAttempted;
import io.vigil.notifier.rest.InternalAuth;
import io.vigil.testkit.HttpReceiver;
import io.vigil.testkit.HttpReceiver.Reply;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import io.vigil.testkit.SmtpResource;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SmtpResource.class, restrictToAnnotatedClass = false)
class ChannelTestEndpointTest {

    private final HttpReceiver receiver = HttpReceiver.start();

    @AfterEach
    void close() {
        receiver.close();
    }

    @Test
    void aTestSendReachesTheChannelAndAnswersTheOutcome() throws Exception {
        UUID channel = Fixtures.webhook(receiver.url("/test"));
        Fixtures.awaitKnown(channel);
        receiver.enqueue(Reply.status(200));

        Fixtures.internal().post("/internal/v1/channels/{id}/test", channel)
                .then().statusCode(200)
                .body("status", equalTo("SENT"))
                .body("httpStatus", equalTo(200))
                .body("error", nullValue())
                .body("durationMs", org.hamcrest.Matchers.greaterThanOrEqualTo(0));
        assertThat(receiver.requests("/test")).hasSize(2);
        assertThat(new ObjectMapper().readTree(receiver.requests("/test").get(1).body()).get("type").asText()).isEqualTo("test");
        await().atMost(Duration.ofSeconds(10)).until(() -> Fixtures.outcomesFor(channel).size() == 2);
        assertThat(Fixtures.outcomesFor(channel)).extracting(DeliveryAttempted::kind).containsOnly("test");
    }

    @Test
    void aFailingTestSendAnswersFailedWithTheStatusAndDoesNotRetry() {
        UUID channel = Fixtures.slack(receiver.url("/broken"));
        Fixtures.awaitKnown(channel);
        receiver.enqueue(Reply.status(500));

        Fixtures.internal().post("/internal/v1/channels/{id}/test", channel)
                .then().statusCode(200)
                .body("status", equalTo("FAILED"))
                .body("httpStatus", equalTo(500))
                .body("error", equalTo("target answered HTTP 500"));
        await().during(Duration.ofMillis(1000)).atMost(Duration.ofSeconds(2)).until(() -> receiver.requests("/broken").size() == 2);
    }

    @Test
    void anUnknownChannelIsAProblem404() {
        Fixtures.internal().post("/internal/v1/channels/{id}/test", UUID.randomUUID())
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("title", equalTo("Not Found"));
    }

    @Test
    void theInternalApiAnswers401WithoutTheTokenAndSendsNothing() {
        UUID channel = Fixtures.webhook(receiver.url("/guarded"));
        Fixtures.awaitKnown(channel);
        int before = receiver.requests("/guarded").size();

        given().post("/internal/v1/channels/{id}/test", channel)
                .then().statusCode(401)
                .contentType("application/problem+json")
                .body("status", equalTo(401))
                .body("title", equalTo("Unauthorized"));
        given().header(InternalAuth.HEADER, Fixtures.INTERNAL_TOKEN + "x").post("/internal/v1/channels/{id}/test", channel)
                .then().statusCode(401);
        given().header(InternalAuth.HEADER, Fixtures.INTERNAL_TOKEN.substring(1)).post("/internal/v1/channels/{id}/test", channel)
                .then().statusCode(401);
        given().header(InternalAuth.HEADER, "").post("/internal/v1/channels/{id}/test", UUID.randomUUID())
                .then().statusCode(401);
        given().get("/internal/v1/dead-letters").then().statusCode(401).contentType("application/problem+json");
        assertThat(receiver.requests("/guarded")).hasSize(before);
        // the public operations surface needs no token
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void withoutAConfiguredTokenEveryInternalCallIsRefused() {
        assertThat(new InternalAuth(Optional.empty()).admits("")).isFalse();
        assertThat(new InternalAuth(Optional.empty()).admits(null)).isFalse();
        assertThat(new InternalAuth(Optional.of("   ")).admits("   ")).isFalse();
        assertThat(new InternalAuth(Optional.of("short-token")).admits("short-token")).isFalse();
        InternalAuth open = new InternalAuth(Optional.of("a-token-of-twenty-four-ch"));
        assertThat(open.admits("a-token-of-twenty-four-ch")).isTrue();
        assertThat(open.admits("a-token-of-twenty-four-cH")).isFalse();
    }
}
