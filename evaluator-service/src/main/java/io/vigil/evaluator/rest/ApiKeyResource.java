package io.vigil.evaluator.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.evaluator.ApiKey;
import io.vigil.evaluator.service.ApiKeys;
import io.vigil.evaluator.service.Pages;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/v1/api-keys}: create (the secret is shown once), list and delete admin API keys. */
@Path("/api/v1/api-keys")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "API keys")
@SecurityRequirement(name = MonitorResource.BEARER)
@SecurityRequirement(name = MonitorResource.API_KEY)
public class ApiKeyResource {

    /** An API key as answers show it; {@code key} (the secret) only in the answer to its creation. */
    @JsonPropertyOrder({"id", "name", "access", "createdAt", "key"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ApiKeyJson(UUID id, String name, String access, String createdAt, String key) {

        static ApiKeyJson of(ApiKey key, String secret) {
            return new ApiKeyJson(key.id, key.name, key.access, Times.format(key.createdAt), secret);
        }
    }

    /** A page of keys. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record ApiKeyPage(java.util.List<ApiKeyJson> items, String nextCursor) {
    }

    /** A key to create, as a request names it. */
    public record NewKey(String name, String access) {
    }

    private static final Set<String> WRITABLE = Set.of("name", "access");
    private static final Set<String> SERVER = Set.of("id", "createdAt", "key");

    private final ApiKeys apiKeys;

    public ApiKeyResource(ApiKeys apiKeys) {
        this.apiKeys = apiKeys;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an API key", description = "Answers the secret `key` once; only its hash is stored.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples =
            @ExampleObject(name = "read-only key for a dashboard", value = "{\"name\":\"grafana\",\"access\":\"read-only\"}")))
    @APIResponse(responseCode = "201", description = "Created; `key` is the secret, shown only now",
            content = @Content(schema = @Schema(implementation = ApiKeyJson.class), examples = @ExampleObject(name = "created",
                    value = "{\"id\":\"6f1c2d8e-1b7a-4c3e-9a55-0d2f4b9e7c11\",\"name\":\"grafana\",\"access\":\"read-only\","
                            + "\"createdAt\":\"2026-11-23T10:15:30.123Z\",\"key\":\"Yq3n0uX2m8kP1vT7cR5wZ9aB4dE6fG0hJ2\"}")))
    @APIResponse(responseCode = "400", description = "Invalid name or access")
    public Response create(String body) {
        NewKey request = request(Input.object(body));
        ApiKeys.CreatedKey created = apiKeys.create(request.name(), request.access());
        return Response.created(URI.create("/api/v1/api-keys/" + created.key().id))
                .entity(ApiKeyJson.of(created.key(), created.secret())).build();
    }

    @GET
    @Operation(summary = "List API keys", description = "By creation time; secrets are never shown again.")
    @APIResponse(responseCode = "200", description = "A page of keys", content = @Content(schema = @Schema(implementation = ApiKeyPage.class),
            examples = @ExampleObject(name = "keys", value = "{\"items\":[{\"id\":\"6f1c2d8e-1b7a-4c3e-9a55-0d2f4b9e7c11\","
                    + "\"name\":\"grafana\",\"access\":\"read-only\",\"createdAt\":\"2026-11-23T10:15:30.123Z\"}],\"nextCursor\":null}")))
    public ApiKeyPage list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        Pages.Page<ApiKeyJson> page = apiKeys.page(Pages.cursor(cursor), Pages.limit(limit)).map(key -> ApiKeyJson.of(key, null));
        return new ApiKeyPage(page.items(), page.nextCursor());
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete an API key", description = "The last full key cannot be deleted (409).")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such key")
    @APIResponse(responseCode = "409", description = "It is the last full key")
    public Response delete(@PathParam("id") UUID id) {
        apiKeys.delete(id);
        return Response.noContent().build();
    }

    /** A key to create read from a request body (this API and the console's form); a 400 naming each bad field. */
    public static NewKey request(ObjectNode body) {
        Input input = Input.of(body, WRITABLE, SERVER);
        String name = input.text("name", true, 200);
        String access = input.text("access", true, 20);
        if (access != null && !access.equals(ApiKey.FULL) && !access.equals(ApiKey.READ_ONLY)) {
            input.error("access", "must be \"full\" or \"read-only\"");
        }
        input.check();
        return new NewKey(name, access);
    }
}
