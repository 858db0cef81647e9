package io.vigil.evaluator.rest;

import static io.vigil.evaluator.rest.Admin.createMonitor;
import static io.vigil.evaluator.rest.Admin.full;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vigil.contracts.ChannelType;
import io.vigil.contracts.DeliveryAttempted;
import io.vigil.contracts.Json;
import io.vigil.contracts.Topics;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import io.vigil.testkit.SharedInfra;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** {@code dependsOn} in the admin API: optional, PATCHable, shown, checked (unknown ids, self, cycles), cleaned on delete. */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = NotifierStandIn.class, restrictToAnnotatedClass = false)
class DependsOnTest {

    private static final String PROBLEM = "application/problem+json";

    private static String monitor(List<String> dependsOn) {
        return createMonitor(Map.of("dependsOn", dependsOn)).getString("id");
    }

    private static io.restassured.response.ValidatableResponse patch(String id, String body) {
        return full().contentType("application/merge-patch+json").body(body).patch("/api/v1/monitors/" + id).then();
    }

    private static void refused(io.restassured.response.ValidatableResponse response, String because) {
        response.statusCode(400).contentType(PROBLEM).body("errors.size()", equalTo(1))
                .body("errors[0].field", equalTo("dependsOn"));
        assertThat(response.extract().jsonPath().getString("errors[0].message")).contains(because);
    }

    @Test
    void dependsOnIsOptionalShownAfterChannelsAndPatchable() {
        String parent = monitor(List.of());
        JsonPath plain = createMonitor(Map.of());
        assertThat(plain.getList("dependsOn")).isEmpty();
        String raw = full().get("/api/v1/monitors/" + parent).then().statusCode(200).extract().asString();
        assertThat(raw.indexOf("\"channels\"")).isLessThan(raw.indexOf("\"dependsOn\""));
        assertThat(raw.indexOf("\"dependsOn\"")).isLessThan(raw.indexOf("\"id\""));

        String child = plain.getString("id");
        patch(child, "{\"dependsOn\":[\"" + parent + "\"]}").statusCode(200).body("dependsOn", equalTo(List.of(parent)));
        patch(child, "{\"grace\":\"PT2M\"}").statusCode(200).body("dependsOn", equalTo(List.of(parent)));
        // a GET body PUT back keeps it
        String body = full().get("/api/v1/monitors/" + child).then().extract().asString();
        full().contentType(ContentType.JSON).body(body).put("/api/v1/monitors/" + child).then().statusCode(200)
                .body("dependsOn", equalTo(List.of(parent)));
        patch(child, "{\"dependsOn\":null}").statusCode(200).body("dependsOn", equalTo(List.of()));
    }

    @Test
    void anUnknownIdOrTheMonitorItselfIsRefusedNamingDependsOn() {
        String unknown = UUID.randomUUID().toString();
        refused(full().contentType(ContentType.JSON).body(Admin.monitorBody(Map.of("dependsOn", List.of(unknown))))
                .post("/api/v1/monitors").then(), unknown);
        String id = monitor(List.of());
        refused(patch(id, "{\"dependsOn\":[\"" + id + "\"]}"), "itself");
        refused(patch(id, "{\"dependsOn\":[\"not-an-id\"]}"), "item 0 is not a monitor id");
        refused(patch(id, "{\"dependsOn\":\"" + id + "\"}"), "list");
        List<String> many = IntStream.range(0, 51).mapToObj(i -> UUID.randomUUID().toString()).toList();
        refused(patch(id, Json.mapper().valueToTree(Map.of("dependsOn", many)).toString()), "at most 50");
    }

    @Test
    void aCycleThroughAnyDepthIsRefusedNamingDependsOn() {
        String a = monitor(List.of());
        String b = monitor(List.of(a));
        String c = monitor(List.of(b));
        String d = monitor(List.of(c));
        refused(patch(a, "{\"dependsOn\":[\"" + b + "\"]}"), "cycle");
        refused(patch(a, "{\"dependsOn\":[\"" + d + "\"]}"), "cycle");
        // a diamond is not a cycle
        String e = monitor(List.of(a));
        patch(d, "{\"dependsOn\":[\"" + c + "\",\"" + e + "\"]}").statusCode(200);
        full().get("/api/v1/monitors/" + a).then().body("dependsOn", equalTo(List.of()));
    }

    @Test
    void deletingAParentRemovesItFromItsDependents() {
        String parent = monitor(List.of());
        String other = monitor(List.of());
        String child = monitor(List.of(parent, other));
        full().delete("/api/v1/monitors/" + parent).then().statusCode(204);
        full().get("/api/v1/monitors/" + child).then().statusCode(200).body("dependsOn", equalTo(List.of(other)));
    }

    @Test
    void thePipelineMonitorsDependenciesCannotChange() {
        String pipeline = full().get("/api/v1/monitors?limit=500").then().extract().jsonPath()
                .getString("items.find { it.slug == 'vigil-pipeline' }.id");
        String other = monitor(List.of());
        patch(pipeline, "{\"dependsOn\":[\"" + other + "\"]}").statusCode(409);
    }

    @Test
    void aNotificationHeldForAParentIsShownWithItsParentAndNoAttempt() throws Exception {
        String parent = monitor(List.of());
        String monitorId = monitor(List.of(parent));
        UUID delivery = UUID.randomUUID();
        DeliveryAttempted held = new DeliveryAttempted(DeliveryAttempted.SCHEMA, UUID.randomUUID(), delivery,
                UUID.randomUUID(), UUID.fromString(monitorId), UUID.randomUUID(), ChannelType.WEBHOOK, "alert", "SUPPRESSED",
                Instant.now().truncatedTo(ChronoUnit.MILLIS), "suppressed", null, null, 0, null, UUID.fromString(parent));
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.kafka().bootstrapServers());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.DELIVERIES, monitorId, Json.write(held))).get();
            producer.send(new ProducerRecord<>(Topics.DELIVERIES, monitorId, Json.write(held))).get();
        }
        JsonPath page = await().atMost(Duration.ofSeconds(20)).until(
                () -> full().get("/api/v1/monitors/" + monitorId + "/notifications").then().statusCode(200).extract().jsonPath(),
                json -> json.getList("items").size() == 1);
        assertThat(page.getString("items[0].id")).isEqualTo(delivery.toString());
        assertThat(page.getString("items[0].status")).isEqualTo("SUPPRESSED");
        assertThat(page.getString("items[0].suppressedBy")).isEqualTo(parent);
        assertThat(page.getList("items[0].attempts")).isEmpty();
    }
}
