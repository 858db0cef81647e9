package io.vigil.evaluator.hc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vigil.evaluator.rest.NotifierStandIn;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Replays what the Terraform provider (kristofferahl/healthchecksio, through go-healthchecksio) sends for a
 * {@code healthchecksio_check} resource's create, read, update, import and delete, and checks each answer as
 * Healthchecks gives it.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = NotifierStandIn.class, restrictToAnnotatedClass = false)
class TerraformProviderCycleTest {

    private static final String API = "/hc/api/v1";

    @Test
    void createReadUpdateImportDeleteAnswersAsHealthchecks() {
        String name = "Nightly Backup " + Hc.suffix();
        String slug = name.toLowerCase().replace(' ', '-');
        String channel = Hc.newSlackChannel("tf-slack-" + Hc.suffix());

        // create: the provider's Healthcheck struct, channels and methods sent even when empty, grace defaulting to 3600
        Map<String, Object> create = new LinkedHashMap<>();
        create.put("channels", channel);
        create.put("grace", 3600);
        create.put("methods", "");
        create.put("name", name);
        create.put("slug", slug);
        create.put("tags", "prod db");
        create.put("timeout", 86400);
        JsonPath created = Hc.full().body(create).post(API + "/checks/").then().statusCode(201)
                .contentType("application/json").header("Access-Control-Allow-Origin", "*").extract().jsonPath();
        Map<String, Object> check = created.getMap("");
        assertThat(new ArrayList<>(check.keySet())).containsExactlyElementsOf(Hc.FULL_FIELDS);
        String id = (String) check.get("uuid");
        String updateUrl = (String) check.get("update_url");
        assertThat(updateUrl).isEqualTo("http://localhost:8081" + API + "/checks/" + id);
        String resourceId = updateUrl.substring(updateUrl.lastIndexOf('/') + 1); // HealthcheckResponse.ID()
        assertThat(resourceId).isEqualTo(id);
        assertThat(check).containsEntry("name", name).containsEntry("slug", slug).containsEntry("tags", "prod db")
                .containsEntry("desc", "").containsEntry("grace", 3600).containsEntry("timeout", 86400)
                .containsEntry("n_pings", 0).containsEntry("status", "new").containsEntry("started", false)
                .containsEntry("last_ping", null).containsEntry("next_ping", null).containsEntry("manual_resume", false)
                .containsEntry("methods", "").containsEntry("subject", "").containsEntry("subject_fail", "")
                .containsEntry("start_kw", "").containsEntry("success_kw", "").containsEntry("failure_kw", "")
                .containsEntry("filter_subject", false).containsEntry("filter_body", false)
                .containsEntry("filter_http_body", false).containsEntry("filter_default_fail", false)
                .containsEntry("channels", channel)
                .containsEntry("pause_url", updateUrl + "/pause").containsEntry("resume_url", updateUrl + "/resume");
        String token = io.restassured.RestAssured.given().header("Authorization", "Bearer " + Hc.FULL_KEY)
                .get("/api/v1/monitors/" + id).then().statusCode(200).extract().path("token");
        assertThat(check.get("ping_url")).isEqualTo("http://localhost:8080/ping/" + token);
        assertThat((String) check.get("badge_url")).startsWith("http://localhost:8081/badge/").endsWith(".svg");

        // read: GET checks/ and a search by the id taken from update_url
        Map<String, Object> read = Hc.findInList(1, Hc.FULL_KEY, resourceId);
        assertThat(read).isEqualTo(check);

        // update: the whole resource again, with the changed fields (channels emptied, POST-only pings)
        Map<String, Object> update = new LinkedHashMap<>(create);
        update.put("channels", "");
        update.put("methods", "POST");
        update.put("desc", "runs at night");
        update.put("timeout", 3600);
        update.put("grace", 600);
        update.put("tags", "prod");
        JsonPath updated = Hc.full().body(update).post(API + "/checks/" + resourceId).then().statusCode(200)
                .extract().jsonPath();
        assertThat(updated.getString("uuid")).isEqualTo(id);
        assertThat(updated.getString("channels")).isEqualTo("");
        assertThat(updated.getString("methods")).isEqualTo("POST");
        assertThat(updated.getString("desc")).isEqualTo("runs at night");
        assertThat(updated.getInt("timeout")).isEqualTo(3600);
        assertThat(updated.getInt("grace")).isEqualTo(600);
        assertThat(updated.getString("tags")).isEqualTo("prod");
        assertThat(Hc.findInList(1, Hc.FULL_KEY, resourceId)).isEqualTo(updated.getMap(""));

        // import: terraform import healthchecksio_check.x <uuid> passes the id through, then reads by listing
        Map<String, Object> imported = Hc.findInList(1, Hc.FULL_KEY, id);
        assertThat(imported).isNotNull();
        assertThat(imported.get("name")).isEqualTo(name);
        assertThat(imported.get("ping_url")).isEqualTo(check.get("ping_url"));

        // delete: answers the deleted check; afterwards a read finds nothing and Terraform drops it from state
        JsonPath deleted = Hc.full().delete(API + "/checks/" + resourceId).then().statusCode(200).extract().jsonPath();
        assertThat(deleted.getString("uuid")).isEqualTo(id);
        assertThat(deleted.getString("name")).isEqualTo(name);
        assertThat(Hc.findInList(1, Hc.FULL_KEY, resourceId)).isNull();
        Hc.full().get(API + "/checks/" + id).then().statusCode(404);
        Hc.full().delete(API + "/checks/" + id).then().statusCode(404);
    }

    @Test
    void theDataSourceFindsAChannelByNameAndKind() {
        String name = "tf-channel-" + Hc.suffix();
        String id = Hc.newSlackChannel(name);
        List<Map<String, Object>> channels = Hc.full().get(API + "/channels/").then().statusCode(200)
                .extract().jsonPath().getList("channels");
        assertThat(channels).contains(Map.of("id", id, "name", name, "kind", "slack"));
        channels.forEach(c -> assertThat(c.keySet()).containsExactly("id", "name", "kind"));
    }

    @Test
    void aCronCheckHasScheduleAndTzInsteadOfTimeout() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("channels", "");
        body.put("grace", 3600);
        body.put("methods", "");
        body.put("name", "cron-" + Hc.suffix());
        body.put("schedule", "0 3 * * *");
        body.put("tz", "Europe/Oslo");
        JsonPath created = Hc.create(1, body);
        Map<String, Object> check = created.getMap("");
        assertThat(check).containsEntry("schedule", "0 3 * * *").containsEntry("tz", "Europe/Oslo").doesNotContainKey("timeout");
        List<String> keys = new ArrayList<>(check.keySet());
        assertThat(keys.subList(keys.size() - 2, keys.size())).containsExactly("schedule", "tz");
        Hc.full().body(Map.of("tz", "UTC")).post(API + "/checks/" + check.get("uuid")).then().statusCode(200)
                .body("schedule", equalTo("0 3 * * *")).body("tz", equalTo("UTC"));
        Hc.full().body(Map.of("timeout", 600)).post(API + "/checks/" + check.get("uuid")).then().statusCode(200)
                .body("timeout", equalTo(600)).body("schedule", equalTo(null));
    }
}
