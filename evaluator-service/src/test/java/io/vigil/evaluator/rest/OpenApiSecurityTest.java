package io.vigil.evaluator.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The OpenAPI document names both ways to send a key, and every admin operation accepts either. */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = NotifierStandIn.class, restrictToAnnotatedClass = false)
class OpenApiSecurityTest {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "patch", "delete", "head", "options");

    @Test
    void bearerAndApiKeyHeaderAreDocumentedSchemes() {
        JsonPath openapi = openapi();
        assertThat(openapi.getMap("components.securitySchemes")).containsOnlyKeys("bearer", "apiKey");
        assertThat(openapi.getString("components.securitySchemes.bearer.type")).isEqualTo("http");
        assertThat(openapi.getString("components.securitySchemes.bearer.scheme")).isEqualTo("bearer");
        assertThat(openapi.getString("components.securitySchemes.apiKey.type")).isEqualTo("apiKey");
        assertThat(openapi.getString("components.securitySchemes.apiKey.in")).isEqualTo("header");
        assertThat(openapi.getString("components.securitySchemes.apiKey.name")).isEqualTo("X-Api-Key");
    }

    @Test
    void everyAdminOperationAcceptsEitherSchemeAndBadgesNeither() {
        Map<String, Map<String, Object>> paths = openapi().getMap("paths");
        int admin = 0;
        for (var path : paths.entrySet()) {
            for (var operation : path.getValue().entrySet()) {
                if (!METHODS.contains(operation.getKey())) {
                    continue;
                }
                Object security = ((Map<?, ?>) operation.getValue()).get("security");
                String name = operation.getKey() + " " + path.getKey();
                if (path.getKey().startsWith("/api/v1")) {
                    admin++;
                    // two requirements, each naming one scheme: either one is enough
                    assertThat(security).as(name).isEqualTo(List.of(Map.of("bearer", List.of()), Map.of("apiKey", List.of())));
                } else {
                    assertThat(security).as(name).satisfiesAnyOf(s -> assertThat(s).isNull(), s -> assertThat((List<?>) s).isEmpty());
                }
            }
        }
        assertThat(admin).isGreaterThanOrEqualTo(24);
    }

    private static JsonPath openapi() {
        return JsonPath.from(given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().asString());
    }
}
