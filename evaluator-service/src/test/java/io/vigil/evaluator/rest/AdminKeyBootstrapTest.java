package io.vigil.evaluator.rest;

import static io.vigil.evaluator.rest.Admin.key;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vigil.evaluator.service.ApiKeys;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Two evaluator instances starting at the same moment both ensure {@code VIGIL_ADMIN_KEY}; neither start fails. */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = NotifierStandIn.class, restrictToAnnotatedClass = false)
class AdminKeyBootstrapTest {

    private static final String ADMIN_KEY_NAME = "admin (VIGIL_ADMIN_KEY)";

    @Inject
    ApiKeys apiKeys;

    @Test
    void instancesStartingTogetherCreateTheAdminKeyOnce() throws Exception {
        Admin.NewKey spare = Admin.newKey("full"); // the API stays usable while the admin key is gone
        ExecutorService starts = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 10; round++) {
                for (Map<String, Object> item : adminKeys(spare.secret())) {
                    key(spare.secret()).delete("/api/v1/api-keys/" + item.get("id")).then().statusCode(204);
                }
                CyclicBarrier together = new CyclicBarrier(2);
                Callable<Void> start = () -> {
                    together.await(10, TimeUnit.SECONDS);
                    apiKeys.ensureAdminKey();
                    return null;
                };
                for (Future<Void> instance : starts.invokeAll(List.of(start, start))) {
                    instance.get(); // an instance whose bootstrap failed would not start
                }
                assertThat(adminKeys(spare.secret())).as("admin keys after round %d", round).hasSize(1);
                key(Admin.ADMIN_KEY).get("/api/v1/monitors").then().statusCode(200);
            }
        } finally {
            starts.shutdownNow();
            apiKeys.ensureAdminKey();
            key(Admin.ADMIN_KEY).delete("/api/v1/api-keys/" + spare.id()).then().statusCode(204);
        }
    }

    private static List<Map<String, Object>> adminKeys(String secret) {
        List<Map<String, Object>> items = key(secret).get("/api/v1/api-keys?limit=500").then().statusCode(200)
                .extract().jsonPath().getList("items");
        return items.stream().filter(item -> ADMIN_KEY_NAME.equals(item.get("name"))).toList();
    }
}
