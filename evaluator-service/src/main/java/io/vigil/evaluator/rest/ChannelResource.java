package io.vigil.evaluator.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.contracts.ChannelType;
import io.vigil.evaluator.Channel;
import io.vigil.evaluator.ChannelConfig;
import io.vigil.evaluator.Durations;
import io.vigil.evaluator.service.ChannelSpec;
import io.vigil.evaluator.service.ChannelTests;
import io.vigil.evaluator.service.Channels;
import io.vigil.evaluator.service.Pages;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
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
 * {@code /api/v1/channels}: notification channels (email, Slack, Teams, webhook), their CRUD and a test
 * send. Webhook URLs and secrets are masked in every answer.
 */
@Path("/api/v1/channels")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Channels")
@SecurityRequirement(name = MonitorResource.BEARER)
@SecurityRequirement(name = MonitorResource.API_KEY)
public class ChannelResource {

    /** A channel as answers show it (config masked). */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"id", "name", "type", "config", "notifyOn", "remindEvery", "createdAt", "updatedAt"})
    public record ChannelJson(UUID id, String name, String type, JsonNode config, List<String> notifyOn,
                              String remindEvery, String createdAt, String updatedAt) {

        static ChannelJson of(Channel channel) {
            return new ChannelJson(channel.id, channel.name, channel.type.json(),
                    ChannelConfig.masked(channel.type, Channels.config(channel)), List.copyOf(channel.notifyOn),
                    channel.remindEveryMs == null ? null : Durations.format(Duration.ofMillis(channel.remindEveryMs)),
                    Times.format(channel.createdAt), Times.format(channel.updatedAt));
        }
    }

    static final String EXAMPLE_SLACK = "{\"name\":\"ops-slack\",\"type\":\"slack\","
            + "\"config\":{\"webhookUrl\":\"https://hooks.slack.com/services/T000/B000/XXXX\"},"
            + "\"notifyOn\":[\"DOWN\",\"UP\"],\"remindEvery\":\"PT4H\"}";
    static final String EXAMPLE_WEBHOOK = "{\"name\":\"pager\",\"type\":\"webhook\",\"config\":{\"url\":\"https://example.com/hooks/vigil\","
            + "\"method\":\"POST\",\"headers\":{\"Authorization\":\"Bearer abc\"},\"secret\":\"s3cret\"},\"notifyOn\":[\"DOWN\",\"UP\",\"LATE\"]}";
    static final String EXAMPLE_EMAIL = "{\"name\":\"ops-email\",\"type\":\"email\",\"config\":{\"to\":[\"ops@example.com\"]}}";
    static final String EXAMPLE_ANSWER = "{\"id\":\"0b6f3a52-5d0c-4f7e-8f8e-2a4c1d9b7e31\",\"name\":\"ops-slack\",\"type\":\"slack\","
            + "\"config\":{\"webhookUrl\":\"https://hooks.slack.com/****\"},\"notifyOn\":[\"DOWN\",\"UP\"],\"remindEvery\":\"PT4H\","
            + "\"createdAt\":\"2026-11-23T10:15:30.123Z\",\"updatedAt\":\"2026-11-23T10:15:30.123Z\"}";

    private static final Set<String> WRITABLE = Set.of("name", "type", "config", "notifyOn", "remindEvery");
    private static final Set<String> SERVER = Set.of("id", "createdAt", "updatedAt");
    private static final List<String> NOTIFY_ON = List.of("DOWN", "UP", "LATE", "MAINTENANCE");

    private final Channels channels;
    private final ChannelTests tests;

    public ChannelResource(Channels channels, ChannelTests tests) {
        this.channels = channels;
        this.tests = tests;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a channel", description = "Types and their config fields: see the README's"
            + " integrations sections (email {to}, slack {webhookUrl}, webhook {url, method, headers, secret}, pagerduty"
            + " {routingKey}, telegram {botToken, chatId}, ...). Targets on private addresses are refused unless VIGIL_ALLOW_PRIVATE_TARGETS=true.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ChannelJson.class), examples = {
            @ExampleObject(name = "slack", value = EXAMPLE_SLACK),
            @ExampleObject(name = "email", value = EXAMPLE_EMAIL),
            @ExampleObject(name = "webhook", value = EXAMPLE_WEBHOOK)}))
    @APIResponse(responseCode = "201", description = "Created (secrets masked)", content = @Content(
            schema = @Schema(implementation = ChannelJson.class), examples = @ExampleObject(name = "slack", value = EXAMPLE_ANSWER)))
    @APIResponse(responseCode = "400", description = "Invalid fields, named in errors[]")
    public Response create(String body) {
        Channel channel = channels.create(spec(Input.object(body)));
        return Response.created(URI.create("/api/v1/channels/" + channel.id)).entity(ChannelJson.of(channel)).build();
    }

    @GET
    @Operation(summary = "List channels", description = "By creation time; ?limit= (default 50, at most 500), ?cursor=.")
    @APIResponse(responseCode = "200", description = "A page of channels", content = @Content(examples =
            @ExampleObject(name = "page", value = "{\"items\":[" + EXAMPLE_ANSWER + "],\"nextCursor\":null}")))
    public Page<ChannelJson> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return Page.of(channels.page(Pages.cursor(cursor), Pages.limit(limit)).map(ChannelJson::of));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Read a channel")
    @APIResponse(responseCode = "200", description = "The channel (secrets masked)", content = @Content(
            schema = @Schema(implementation = ChannelJson.class), examples = @ExampleObject(name = "slack", value = EXAMPLE_ANSWER)))
    @APIResponse(responseCode = "404", description = "No such channel")
    public ChannelJson get(@PathParam("id") UUID id) {
        return ChannelJson.of(channels.get(id));
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace a channel", description = "Masked secrets sent back unchanged keep the stored ones, "
            + "so a GET body can be PUT back.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ChannelJson.class),
            examples = @ExampleObject(name = "slack", value = EXAMPLE_SLACK)))
    @APIResponse(responseCode = "200", description = "The channel", content = @Content(schema = @Schema(implementation = ChannelJson.class)))
    @APIResponse(responseCode = "400", description = "Invalid fields")
    @APIResponse(responseCode = "404", description = "No such channel")
    public ChannelJson replace(@PathParam("id") UUID id, String body) {
        return ChannelJson.of(channels.replace(id, spec(Input.object(body))));
    }

    @PATCH
    @Path("/{id}")
    @Consumes({MergePatch.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    @Operation(summary = "Change some fields of a channel", description = "RFC 7396 merge patch.")
    @RequestBody(content = @Content(mediaType = MergePatch.MEDIA_TYPE, examples =
            @ExampleObject(name = "also alert on LATE", value = "{\"notifyOn\":[\"DOWN\",\"UP\",\"LATE\"],\"remindEvery\":null}")))
    @APIResponse(responseCode = "200", description = "The channel", content = @Content(schema = @Schema(implementation = ChannelJson.class)))
    @APIResponse(responseCode = "400", description = "Invalid fields")
    @APIResponse(responseCode = "404", description = "No such channel")
    public ChannelJson patch(@PathParam("id") UUID id, String body) {
        ObjectNode patch = Input.object(body);
        ChannelJson current = ChannelJson.of(channels.get(id));
        ObjectNode document = JsonNodeFactory.instance.objectNode();
        document.put("name", current.name());
        document.put("type", current.type());
        document.set("config", current.config());
        ArrayNode notifyOn = document.putArray("notifyOn");
        current.notifyOn().forEach(notifyOn::add);
        document.put("remindEvery", current.remindEvery());
        JsonNode merged = MergePatch.apply(document, patch);
        return ChannelJson.of(channels.replace(id, spec((ObjectNode) merged)));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a channel", description = "Also removes it from every monitor that used it.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such channel")
    public Response delete(@PathParam("id") UUID id) {
        channels.delete(id);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/test")
    @Operation(summary = "Send a test notification now", description = "The notifier sends it and the outcome is answered; "
            + "503 when the notifier is unreachable or has not received the channel yet, 502 when it fails.")
    @APIResponse(responseCode = "200", description = "The outcome", content = @Content(schema = @Schema(implementation = ChannelTests.Outcome.class),
            examples = @ExampleObject(name = "sent", value = "{\"status\":\"SENT\",\"httpStatus\":200,\"error\":null,\"durationMs\":182}")))
    @APIResponse(responseCode = "404", description = "No such channel")
    @APIResponse(responseCode = "502", description = "The notifier failed")
    @APIResponse(responseCode = "503", description = "The notifier is unreachable or does not know the channel yet")
    public ChannelTests.Outcome test(@PathParam("id") UUID id) {
        return tests.test(id);
    }

    /**
     * A channel's writable fields read from a request body, as every writer of channels reads them (this API and the
     * console's channel forms), so both are refused for the same reasons with the same messages.
     */
    public static ChannelSpec spec(ObjectNode body) {
        Input input = Input.of(body, WRITABLE, SERVER);
        String name = input.text("name", true, 200);
        String typeText = input.text("type", true, 20);
        ChannelType type = null;
        if (typeText != null) {
            try {
                type = ChannelType.fromJson(typeText);
            } catch (IllegalArgumentException e) {
                input.error("type", "must be one of " + ChannelType.names());
            }
        }
        List<String> notifyOn = List.of("DOWN", "UP");
        if (input.raw("notifyOn") != null && !input.raw("notifyOn").isNull()) {
            Set<String> statuses = new LinkedHashSet<>();
            for (String status : input.texts("notifyOn", 4, 11)) {
                String upper = status.toUpperCase(Locale.ROOT);
                if (!NOTIFY_ON.contains(upper)) {
                    input.error("notifyOn", "may hold only DOWN, UP, LATE and MAINTENANCE");
                } else {
                    statuses.add(upper);
                }
            }
            if (statuses.isEmpty() && input.raw("notifyOn").isArray() && input.raw("notifyOn").isEmpty()) {
                input.error("notifyOn", "must name at least one of DOWN, UP, LATE, MAINTENANCE");
            }
            notifyOn = new ArrayList<>(statuses);
        }
        Duration remindEvery = DurationInput.read(input, "remindEvery", input.raw("remindEvery"),
                Duration.ofMinutes(1), Duration.ofDays(365));
        return new ChannelSpec(name, type, input.raw("config"), notifyOn, remindEvery, input.errors());
    }
}
