package io.vigil.evaluator.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.evaluator.StatusPage;
import io.vigil.evaluator.config.AdminApiConfig;
import io.vigil.evaluator.service.Pages;
import io.vigil.evaluator.service.StatusPageSpec;
import io.vigil.evaluator.service.StatusPages;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/status-pages}: public status pages (create, list, read, replace, delete), found by slug or id. The
 * pages themselves are served without a key at {@code /status/{slug}} ({@code io.vigil.evaluator.web.status}).
 */
@Path("/api/v1/status-pages")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Status pages")
@SecurityRequirement(name = MonitorResource.BEARER)
@SecurityRequirement(name = MonitorResource.API_KEY)
public class StatusPageResource {

    /** A status page as answers show it: {@code monitors} leaves out deleted monitors. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"id", "slug", "title", "description", "monitors", "tags", "url", "createdAt", "updatedAt"})
    public record StatusPageJson(UUID id, String slug, String title, String description, List<UUID> monitors,
                                 List<String> tags, String url, String createdAt, String updatedAt) {
    }

    static final String EXAMPLE_CREATE = "{\"slug\":\"acme\",\"title\":\"Acme services\",\"description\":\"Nightly jobs and"
            + " integrations\",\"monitors\":[\"3f1c2a9e-8d4b-4c7a-9e21-5b6d7f8a9c0d\"],\"tags\":[\"public\"]}";
    static final String EXAMPLE_ANSWER = "{\"id\":\"8e0c5f3a-1b2d-4e6f-9a7b-0c1d2e3f4a5b\",\"slug\":\"acme\",\"title\":\"Acme services\","
            + "\"description\":\"Nightly jobs and integrations\",\"monitors\":[\"3f1c2a9e-8d4b-4c7a-9e21-5b6d7f8a9c0d\"],"
            + "\"tags\":[\"public\"],\"url\":\"http://localhost:8081/status/acme\",\"createdAt\":\"2026-11-23T10:15:30.123Z\","
            + "\"updatedAt\":\"2026-11-23T10:15:30.123Z\"}";

    private static final Pattern SLUG = Pattern.compile("^[a-z0-9-]{1,64}$");
    private static final Set<String> WRITABLE = Set.of("slug", "title", "description", "monitors", "tags");
    private static final Set<String> SERVER = Set.of("id", "url", "createdAt", "updatedAt");

    private final StatusPages pages;
    private final AdminApiConfig config;

    public StatusPageResource(StatusPages pages, AdminApiConfig config) {
        this.pages = pages;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a status page", description = "slug: 1 to 64 of [a-z0-9-], unique (409). The page shows the "
            + "monitors listed in monitors (ids) and every monitor with any of tags. Public, without a key, at /status/{slug}, "
            + "/status/{slug}.json and /status/{slug}/feed.atom: names, statuses, uptime and incidents only.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = StatusPageJson.class),
            examples = @ExampleObject(name = "page", value = EXAMPLE_CREATE)))
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = StatusPageJson.class),
            examples = @ExampleObject(name = "page", value = EXAMPLE_ANSWER)))
    @APIResponse(responseCode = "400", description = "Invalid fields, named in errors[] (monitors[i] for a monitor that does not exist)")
    @APIResponse(responseCode = "409", description = "The slug is taken")
    public Response create(String body) {
        StatusPage page = pages.create(spec(Input.object(body)));
        return Response.created(URI.create("/api/v1/status-pages/" + page.slug)).entity(json(page, pages.existingMonitors(List.of(page))))
                .build();
    }

    @GET
    @Operation(summary = "List status pages", description = "By creation time; ?limit= (default 50, at most 500), ?cursor=.")
    @APIResponse(responseCode = "200", description = "A page of status pages", content = @Content(examples =
            @ExampleObject(name = "page", value = "{\"items\":[" + EXAMPLE_ANSWER + "],\"nextCursor\":null}")))
    public Page<StatusPageJson> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        Pages.Page<StatusPage> found = pages.page(Pages.cursor(cursor), Pages.limit(limit));
        Set<UUID> existing = pages.existingMonitors(found.items());
        return Page.of(found.map(page -> json(page, existing)));
    }

    @GET
    @Path("/{key}")
    @Operation(summary = "Read a status page", description = "By slug (or id).")
    @APIResponse(responseCode = "200", description = "The status page", content = @Content(schema = @Schema(implementation = StatusPageJson.class),
            examples = @ExampleObject(name = "page", value = EXAMPLE_ANSWER)))
    @APIResponse(responseCode = "404", description = "No such status page")
    public StatusPageJson get(@PathParam("key") String key) {
        StatusPage page = pages.get(key);
        return json(page, pages.existingMonitors(List.of(page)));
    }

    @PUT
    @Path("/{key}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace a status page", description = "Every writable field, the slug included (a GET body can be PUT back).")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = StatusPageJson.class),
            examples = @ExampleObject(name = "page", value = EXAMPLE_CREATE)))
    @APIResponse(responseCode = "200", description = "The status page", content = @Content(schema = @Schema(implementation = StatusPageJson.class)))
    @APIResponse(responseCode = "400", description = "Invalid fields")
    @APIResponse(responseCode = "404", description = "No such status page")
    @APIResponse(responseCode = "409", description = "The slug is taken")
    public StatusPageJson replace(@PathParam("key") String key, String body) {
        StatusPage page = pages.replace(key, spec(Input.object(body)));
        return json(page, pages.existingMonitors(List.of(page)));
    }

    @DELETE
    @Path("/{key}")
    @Operation(summary = "Delete a status page")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such status page")
    public Response delete(@PathParam("key") String key) {
        pages.delete(key);
        return Response.noContent().build();
    }

    private StatusPageJson json(StatusPage page, Set<UUID> existing) {
        return new StatusPageJson(page.id, page.slug, page.title, page.description,
                page.monitorIds.stream().filter(existing::contains).toList(), List.copyOf(page.tags),
                config.adminUrl().replaceAll("/+$", "") + "/status/" + page.slug,
                Times.format(page.createdAt), Times.format(page.updatedAt));
    }

    /** A status page's writable fields read from a request body, as this API and the console's forms read them. */
    public static StatusPageSpec spec(ObjectNode body) {
        Input input = Input.of(body, WRITABLE, SERVER);
        String slug = input.text("slug", true, 64);
        if (slug != null && !SLUG.matcher(slug).matches()) {
            input.error("slug", "must be 1 to 64 characters of lower-case letters, digits and -");
        }
        String title = input.text("title", true, 200);
        String description = input.paragraph("description", 2000);
        List<UUID> monitors = new ArrayList<>();
        List<String> ids = input.texts("monitors", 500, 36);
        for (int i = 0; i < ids.size(); i++) {
            UUID id = uuid(ids.get(i));
            if (id == null) {
                input.error("monitors[" + i + "]", "must be a monitor id");
            } else {
                monitors.add(id);
            }
        }
        List<String> tags = input.texts("tags", 50, 50);
        for (int i = 0; i < tags.size(); i++) {
            if (!MonitorResource.TAG.matcher(tags.get(i)).matches()) {
                input.error("tags[" + i + "]", MonitorResource.TAG_RULE);
            }
        }
        input.check();
        return new StatusPageSpec(slug, title, description, monitors, tags, input.errors());
    }

    /** A monitor id in its canonical form (UUID.fromString alone also takes 1-1-1-1-1), or null. */
    private static UUID uuid(String text) {
        try {
            UUID id = UUID.fromString(text);
            return id.toString().equalsIgnoreCase(text) ? id : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
