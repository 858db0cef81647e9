package io.vigil.notifier;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vigil.testkit.HttpReceiver;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import io.vigil.testkit.SmtpResource;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SmtpResource.class, restrictToAnnotatedClass = false)
class OperationsTest {

    @Test
    void isReadyWithDatabaseMessagingChannelsAndConsumersChecked() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body(containsString("notifier-consumers"))
                .body(containsString("\"database\""))
                .body(containsString("SmallRye Reactive Messaging - readiness check"))
                .body(containsString("flips")));
    }

    @Test
    void countsDeliveriesByChannelTypeAndOutcome() {
        try (HttpReceiver receiver = HttpReceiver.start()) {
            UUID channel = Fixtures.webhook(receiver.url("/metrics"));
            Fixtures.publish(new Fixtures.Monitor("metrics", channel).down());
            await().atMost(Duration.ofSeconds(15)).until(() -> receiver.requests("/metrics").size() == 1);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> given().get("/q/metrics").then().statusCode(200)
                    .body(containsString("vigil_notifier_deliveries_total{channel_type=\"webhook\",outcome=\"delivered\"")));
        }
    }

    @Test
    void describesTheInternalApi() {
        given().get("/q/openapi").then().statusCode(200).body(containsString("/internal/v1/channels/{id}/test"));
    }
}
