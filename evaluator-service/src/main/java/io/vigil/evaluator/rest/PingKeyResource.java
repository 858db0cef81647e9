package io.vigil.evaluator.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.evaluator.Durations;
import io.vigil.evaluator.PingKey;
import io.vigil.evaluator.config.AdminApiConfig;
import io.vigil.evaluator.service.FieldError;
import io.vigil.evaluator.service.MonitorSpec;
import io.vigil.evaluator.service.Pages;
import io.vigil.evaluator.service.PingKeys;
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
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
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

/**
 * {@code /api/v1/ping-keys}: ping keys for Healthchecks' slug URLs ({@code /ping/{key}/{slug}}), with the defaults
 * a monitor auto-created by a {@code ?create=1} ping gets. The key is shown once; every call needs a full key
 * (a ping key can forge check-ins of every monitor).
 */
@Path("/api/v1/ping-keys")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Ping keys")
@SecurityRequirement(name = MonitorResource.BEARER)
@SecurityRequirement(name = MonitorResource.API_KEY)
public class PingKeyResource {

    /** The defaults of a key, in the monitor JSON's form. */
    @JsonPropertyOrder({"schedule", "grace", "channels", "tags"})
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record DefaultsJson(MonitorJson.ScheduleJson schedule, String grace, List<UUID> channels, List<String> tags) {
    }

    /** A ping key as answers show it; {@code key} and {@code pingUrl} only in the answer to its creation. */
    @JsonPropertyOrder({"id", "name", "defaults", "createdAt", "key", "pingUrl"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PingKeyJson(UUID id, String name, DefaultsJson defaults, String createdAt, String key, String pingUrl) {

        static PingKeyJson of(PingKey key, String secret, String publicUrl) {
            MonitorJson.ScheduleJson schedule = "cron".equals(key.scheduleType)
                    ? new MonitorJson.ScheduleJson("cron", null, key.cronExpression, key.timezone)
                    : new MonitorJson.ScheduleJson("interval", Durations.format(Duration.ofMillis(key.everyMs)), null, null);
            DefaultsJson defaults = new DefaultsJson(schedule, Durations.format(Duration.ofMillis(key.graceMs)),
                    List.copyOf(key.channelIds), List.copyOf(key.tags));
            String url = secret == null ? null : MonitorJson.pingUrl(publicUrl, secret) + "/{slug}";
            return new PingKeyJson(key.id, key.name, defaults, Times.format(key.createdAt), secret, url);
        }
    }

    static final String EXAMPLE_CREATE = "{\"name\":\"cron hosts\",\"defaults\":{\"schedule\":{\"type\":\"interval\","
            + "\"every\":\"PT1H\"},\"grace\":\"PT10M\",\"channels\":[\"0b6f3a52-5d0c-4f7e-8f8e-2a4c1d9b7e31\"],\"tags\":[\"cron\"]}}";
    static final String EXAMPLE_KEY = "{\"id\":\"2d7c9e14-6a3b-4f80-9c1e-5b8a0d3f7e22\",\"name\":\"cron hosts\","
            + "\"defaults\":{\"schedule\":{\"type\":\"interval\",\"every\":\"PT1H\"},\"grace\":\"PT10M\","
            + "\"channels\":[\"0b6f3a52-5d0c-4f7e-8f8e-2a4c1d9b7e31\"],\"tags\":[\"cron\"]},"
            + "\"createdAt\":\"2026-11-23T10:15:30.123Z\"}";

    private static final Set<String> WRITABLE = Set.of("name", "defaults");
    private static final Set<String> SERVER = Set.of("id", "createdAt", "key", "pingUrl");
    private static final Set<String> DEFAULTS = Set.of("schedule", "grace", "channels", "tags");

    private final PingKeys pingKeys;
    private final InstantSource clock;
    private final AdminApiConfig config;
    private final Caller caller;

    public PingKeyResource(PingKeys pingKeys, InstantSource clock, AdminApiConfig config, Caller caller) {
        this.pingKeys = pingKeys;
        this.clock = clock;
        this.config = config;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a ping key", description = "Answers the secret `key` once (only its hash is stored) and the "
            + "slug URL under it. `defaults` are checked as a monitor create checks its fields.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples =
            @ExampleObject(name = "hourly jobs", value = EXAMPLE_CREATE)))
    @APIResponse(responseCode = "201", description = "Created; `key` is the secret, shown only now",
            content = @Content(schema = @Schema(implementation = PingKeyJson.class), examples = @ExampleObject(name = "created",
                    value = "{\"id\":\"2d7c9e14-6a3b-4f80-9c1e-5b8a0d3f7e22\",\"name\":\"cron hosts\",\"defaults\":{\"schedule\":"
                            + "{\"type\":\"interval\",\"every\":\"PT1H\"},\"grace\":\"PT10M\",\"channels\":"
                            + "[\"0b6f3a52-5d0c-4f7e-8f8e-2a4c1d9b7e31\"],\"tags\":[\"cron\"]},\"createdAt\":\"2026-11-23T10:15:30.123Z\","
                            + "\"key\":\"Jx2mQ9vR4tY7uP1sW3zA5cE8gK0\",\"pingUrl\":\"http://localhost:8080/ping/Jx2mQ9vR4tY7uP1sW3zA5cE8gK0/{slug}\"}")))
    @APIResponse(responseCode = "400", description = "Invalid fields, each named in errors[] (defaults.schedule, ...)")
    public Response create(String body) {
        requireFull();
        Input input = Input.of(Input.object(body), WRITABLE, SERVER);
        String name = input.text("name", true, 200);
        MonitorSpec defaults = defaults(input);
        input.check();
        PingKeys.CreatedKey created = pingKeys.create(name, defaults);
        return Response.created(URI.create("/api/v1/ping-keys/" + created.key().id))
                .entity(PingKeyJson.of(created.key(), created.secret(), config.publicUrl())).build();
    }

    @GET
    @Operation(summary = "List ping keys", description = "By creation time; keys are never shown again.")
    @APIResponse(responseCode = "200", description = "A page of ping keys", content = @Content(examples =
            @ExampleObject(name = "keys", value = "{\"items\":[" + EXAMPLE_KEY + "],\"nextCursor\":null}")))
    public Page<PingKeyJson> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        requireFull();
        return Page.of(pingKeys.page(Pages.cursor(cursor), Pages.limit(limit)).map(key -> PingKeyJson.of(key, null, null)));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Read a ping key", description = "Without the key.")
    @APIResponse(responseCode = "200", description = "The ping key", content = @Content(schema = @Schema(implementation = PingKeyJson.class),
            examples = @ExampleObject(name = "key", value = EXAMPLE_KEY)))
    @APIResponse(responseCode = "404", description = "No such ping key")
    public PingKeyJson get(@PathParam("id") UUID id) {
        requireFull();
        return PingKeyJson.of(pingKeys.get(id), null, null);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a ping key", description = "Its slug URLs answer 404 from then on; the monitors it created stay.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such ping key")
    public Response delete(@PathParam("id") UUID id) {
        requireFull();
        pingKeys.delete(id);
        return Response.noContent().build();
    }

    /**
     * The defaults, read by the monitor create's own checks (so they are exactly a monitor's), each problem named
     * {@code defaults.<field>}.
     */
    private MonitorSpec defaults(Input input) {
        JsonNode raw = input.raw("defaults");
        if (raw == null || raw.isNull()) {
            input.error("defaults", "is required: {\"schedule\":{\"type\":\"interval\",\"every\":\"PT5M\"}}");
            return null;
        }
        if (!raw.isObject()) {
            input.error("defaults", "must be an object");
            return null;
        }
        ObjectNode fields = ((ObjectNode) raw).deepCopy();
        List<String> unknown = new ArrayList<>();
        fields.fieldNames().forEachRemaining(field -> {
            if (!DEFAULTS.contains(field)) {
                unknown.add(field);
            }
        });
        unknown.forEach(field -> {
            input.error("defaults." + field, "is not a field of the defaults (schedule, grace, channels, tags)");
            fields.remove(field);
        });
        fields.put("name", "defaults");
        MonitorSpec spec = MonitorResource.spec(fields, clock.instant());
        for (FieldError error : spec.errors()) {
            input.error("defaults." + error.field(), error.message());
        }
        return spec;
    }

    private void requireFull() {
        if (!caller.full()) {
            throw new AccessDeniedException(403, "Ping keys need a full API key (a ping key can forge check-ins).");
        }
    }
}
