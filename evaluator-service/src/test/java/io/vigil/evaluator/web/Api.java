package io.vigil.evaluator.web;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The admin API with the test profile's full key, for the console tests' fixtures and cross-checks. */
final class Api {

    static final String ADMIN_KEY = "test-admin-key-0123456789abcdef";

    private Api() {
    }

    static RequestSpecification full() {
        return given().header("Authorization", "Bearer " + ADMIN_KEY);
    }

    static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /** Creates a resource through the API and answers its id. */
    static String create(String path, Map<String, ?> body) {
        return full().contentType(ContentType.JSON).body(body).post(path).then().statusCode(201).extract().path("id");
    }

    static String monitor(String name, List<String> channels) {
        return create("/api/v1/monitors", Map.of("name", name, "schedule", Map.of("type", "interval", "every", "PT5M"),
                "channels", channels));
    }

    /** The id of the item of a list of the API whose {@code field} is {@code value} (every page is read), or null. */
    static String idOf(String path, String field, String value) {
        String cursor = null;
        do {
            io.restassured.path.json.JsonPath page = full().queryParam("limit", 500)
                    .queryParams(cursor == null ? Map.of() : Map.of("cursor", cursor)).get(path)
                    .then().statusCode(200).extract().jsonPath();
            List<Map<String, Object>> items = page.getList("items");
            for (Map<String, Object> item : items) {
                if (value.equals(item.get(field))) {
                    return String.valueOf(item.get("id"));
                }
            }
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        return null;
    }
}
