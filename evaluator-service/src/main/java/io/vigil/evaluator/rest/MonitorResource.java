package io.vigil.evaluator.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.contracts.Status;
import io.vigil.evaluator.Durations;
import io.vigil.evaluator.Flip;
import io.vigil.evaluator.Maintenance;
import io.vigil.evaluator.Monitor;
import io.vigil.evaluator.NotificationAttempt;
import io.vigil.evaluator.PingRecord;
import io.vigil.evaluator.Schedule;
import io.vigil.evaluator.config.AdminApiConfig;
import io.vigil.evaluator.service.History;
import io.vigil.evaluator.service.Badges;
import io.vigil.evaluator.service.Dependencies;
import io.vigil.evaluator.service.MonitorSpec;
import io.vigil.evaluator.service.Monitors;
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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.time.format.DateTimeParseException;
import java.time.OffsetDateTime;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeIn;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/monitors}: monitors (create, list, read, replace, merge-patch, delete, pause, resume,
 * rotate-token) and their history (pings, ping bodies, flips, notifications).
 */
@Path("/api/v1/monitors")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Monitors")
@SecurityRequirement(name = MonitorResource.BEARER)
@SecurityRequirement(name = MonitorResource.API_KEY)
@SecurityScheme(securitySchemeName = MonitorResource.BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "Authorization: Bearer <api key>")
@SecurityScheme(securitySchemeName = MonitorResource.API_KEY, type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.HEADER,
        apiKeyName = "X-Api-Key", description = "X-Api-Key: <api key> (the same keys as Bearer)")
public class MonitorResource {

    /** The OpenAPI security scheme of {@code Authorization: Bearer <key>}; every admin endpoint accepts it or {@link #API_KEY}. */
    static final String BEARER = "bearer";
    /** The OpenAPI security scheme of {@code X-Api-Key: <key>}. */
    static final String API_KEY = "apiKey";

    /** A kept ping (API.md section 3). */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"n", "type", "exitStatus", "rid", "receivedAt", "method", "scheme", "remoteAddr", "userAgent",
            "contentType", "bodySize", "duration"})
    public record PingJson(long n, String type, Integer exitStatus, UUID rid, String receivedAt, String method,
                           String scheme, String remoteAddr, String userAgent, String contentType, long bodySize,
                           String duration) {

        static PingJson of(PingRecord ping) {
            return new PingJson(ping.n, ping.type, ping.exitStatus, ping.rid, Times.format(ping.receivedAt), ping.method,
                    ping.scheme, ping.remoteAddr, ping.userAgent, ping.contentType, ping.bodySize,
                    ping.durationMs == null ? null : Durations.format(Duration.ofMillis(ping.durationMs)));
        }
    }

    /** A status change (API.md section 2). */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"id", "at", "from", "to", "reason", "detectedAt", "suppressedBy", "releasedAt"})
    public record FlipJson(UUID id, String at, String from, String to, String reason, String detectedAt, UUID suppressedBy,
                           String releasedAt) {

        static FlipJson of(Flip flip) {
            return new FlipJson(flip.id, Times.format(flip.at), flip.fromStatus.name(), flip.toStatus.name(), flip.reason,
                    Times.format(flip.detectedAt), flip.suppressedBy, Times.format(flip.releasedAt));
        }
    }

    /** One attempt of a notification. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"at", "outcome", "httpStatus", "error", "durationMs"})
    public record AttemptJson(String at, String outcome, Integer httpStatus, String error, long durationMs) {

        static AttemptJson of(NotificationAttempt attempt) {
            return new AttemptJson(Times.format(attempt.at), attempt.outcome, attempt.httpStatus, attempt.error, attempt.durationMs);
        }
    }

    /** A notification with every attempt (API.md section 3). */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"id", "flipId", "channelId", "channelType", "kind", "status", "attempts", "suppressedBy"})
    public record NotificationJson(UUID id, UUID flipId, UUID channelId, String channelType, String kind, String status,
                                   List<AttemptJson> attempts, UUID suppressedBy) {

        static NotificationJson of(History.NotificationWithAttempts entry) {
            var n = entry.notification();
            return new NotificationJson(n.id, n.flipId, n.channelId, n.channelType, n.kind, n.status,
                    entry.attempts().stream().map(AttemptJson::of).toList(), n.suppressedBy);
        }
    }

    static final String EXAMPLE_CREATE = "{\"name\":\"nightly-backup\",\"tags\":[\"prod\",\"db\"],"
            + "\"schedule\":{\"type\":\"interval\",\"every\":\"PT24H\"},\"grace\":\"PT1H\",\"maxRuntime\":\"PT2H\","
            + "\"channels\":[\"0b6f3a52-5d0c-4f7e-8f8e-2a4c1d9b7e31\"]}";
    static final String EXAMPLE_CRON = "{\"name\":\"hourly-report\",\"slug\":\"hourly-report\","
            + "\"schedule\":{\"type\":\"cron\",\"expression\":\"0 * * * *\",\"timezone\":\"Europe/Oslo\"},\"grace\":\"10m\"}";
    static final String EXAMPLE_MAINTENANCE = "{\"name\":\"db-backup\",\"schedule\":{\"type\":\"interval\",\"every\":\"PT1H\"},"
            + "\"maintenance\":[{\"cron\":\"0 2 * * 6\",\"duration\":\"PT2H\",\"timezone\":\"Europe/Oslo\"},"
            + "{\"start\":\"2026-12-24T18:00:00Z\",\"end\":\"2026-12-27T08:00:00Z\"}]}";
    static final String EXAMPLE_IMPORT = "{\"name\":\"legacy-job\",\"schedule\":{\"type\":\"interval\",\"every\":\"every 5 minutes\"},"
            + "\"token\":\"5c2a7c4e-3b8f-4a1d-9e6f-0d7b2c9a1e44\"}";
    static final String EXAMPLE_MONITOR = "{\"name\":\"nightly-backup\",\"slug\":\"nightly-backup\",\"description\":null,"
            + "\"tags\":[\"prod\",\"db\"],\"schedule\":{\"type\":\"interval\",\"every\":\"PT24H\"},\"grace\":\"PT1H\","
            + "\"maxRuntime\":\"PT2H\",\"channels\":[\"0b6f3a52-5d0c-4f7e-8f8e-2a4c1d9b7e31\"],\"dependsOn\":[],"
            + "\"maintenance\":[{\"cron\":\"0 2 * * 6\",\"duration\":\"PT2H\",\"timezone\":\"Europe/Oslo\"}],"
            + "\"token\":\"kQ8vY2mN4pR7sT1uW3xZ5aB9cD0\","
            + "\"id\":\"8d0e4c1a-7b2f-4e6d-9a3c-5f1b2d7e9c40\",\"status\":\"UP\",\"running\":false,"
            + "\"lastPingAt\":\"2026-11-23T03:12:03.456Z\",\"nextDueAt\":\"2026-11-24T03:12:03.456Z\","
            + "\"nextMaintenance\":{\"start\":\"2026-11-28T01:00:00.000Z\",\"end\":\"2026-11-28T03:00:00.000Z\"},"
            + "\"lastDuration\":\"PT12M3S\","
            + "\"pingCount\":17,\"pingUrl\":\"http://localhost:8080/ping/kQ8vY2mN4pR7sT1uW3xZ5aB9cD0\","
            + "\"badgeUrl\":\"http://localhost:8081/badge/Zb3k9Qw1Xy7Rt5Uv2Mn8Lp4Hs6.svg\","
            + "\"tagBadgeUrls\":{\"prod\":\"http://localhost:8081/badge/tag/Hq2Wm7Xc4Vb9Nz1Ls5Kd8Jf3Gp0.svg\","
            + "\"db\":\"http://localhost:8081/badge/tag/Rt6Yu1Io3Pa8Sd4Fg7Hj2Kl9Zx5.svg\"},"
            + "\"createdAt\":\"2026-11-01T09:00:00.000Z\",\"updatedAt\":\"2026-11-01T09:00:00.000Z\"}";

    private static final Set<String> WRITABLE = Set.of("name", "slug", "description", "tags", "schedule", "grace",
            "maxRuntime", "channels", "token", "dependsOn", "maintenance", "failureThreshold", "recoveryThreshold",
            "minRuntime", "minInterval", "manualResume");
    /** A cron expression must fire within this long (30 February never does; 29 February does). */
    private static final Duration CRON_HORIZON = Duration.ofDays(5 * 366);

    private static final Set<String> SERVER = Set.of("id", "status", "running", "lastPingAt", "nextDueAt", "lastDuration",
            "pingCount", "consecutiveFailures", "consecutiveSuccesses", "pausedUntil", "error", "pingUrl", "badgeUrl",
            "tagBadgeUrls", "createdAt", "updatedAt", "nextMaintenance");
    private static final Pattern SLUG = Pattern.compile("^[a-z0-9_-]{1,100}$");
    static final Pattern TAG = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._:-]{0,49}$");
    static final String TAG_RULE =
            "each tag is 1 to 50 characters of letters, digits, '.', '_', ':' and '-', starting with a letter or digit";
    private static final Pattern TOKEN = Pattern.compile("^[A-Za-z0-9_-]{16,128}$");
    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final Duration YEAR = Duration.ofDays(365);

    private final Monitors monitors;
    private final History history;
    private final Badges badges;
    private final AdminApiConfig config;
    private final Caller caller;
    private final InstantSource clock;

    public MonitorResource(Monitors monitors, History history, Badges badges, AdminApiConfig config,
                           Caller caller, InstantSource clock) {
        this.clock = clock;
        this.monitors = monitors;
        this.history = history;
        this.badges = badges;
        this.config = config;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a monitor", description = "Answers the monitor with its ping URL. Without a slug one is made "
            + "from the name; an explicit token (at least 16 of [A-Za-z0-9_-], e.g. a Healthchecks check UUID) keeps an existing ping URL working. "
            + "maintenance (optional, at most 20): recurring {cron, duration, timezone} or one-off {start, end} windows; inside one the "
            + "monitor is MAINTENANCE, no deadline fires and failures change nothing; at its end it is UP, due one period later.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MonitorJson.class), examples = {
            @ExampleObject(name = "interval", value = EXAMPLE_CREATE),
            @ExampleObject(name = "cron", value = EXAMPLE_CRON),
            @ExampleObject(name = "import a Healthchecks check", value = EXAMPLE_IMPORT),
            @ExampleObject(name = "with maintenance windows", value = EXAMPLE_MAINTENANCE)}))
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = MonitorJson.class),
            examples = @ExampleObject(name = "monitor", value = EXAMPLE_MONITOR)))
    @APIResponse(responseCode = "400", description = "Invalid fields, each named in errors[]")
    @APIResponse(responseCode = "409", description = "Slug or token taken")
    public Response create(String body) {
        Monitor monitor = monitors.create(spec(Input.object(body), clock.instant()));
        return Response.created(URI.create("/api/v1/monitors/" + monitor.id)).entity(json(monitor)).build();
    }

    @GET
    @Operation(summary = "List monitors", description = "By creation time. ?tag= (repeatable, all must match), "
            + "?status= (repeatable: NEW, UP, LATE, DOWN, PAUSED, MAINTENANCE), ?limit= (default 50, at most 500), ?cursor=.")
    @APIResponse(responseCode = "200", description = "A page of monitors", content = @Content(examples =
            @ExampleObject(name = "page", value = "{\"items\":[" + EXAMPLE_MONITOR + "],\"nextCursor\":null}")))
    public Page<MonitorJson> list(@Parameter(description = "tags the monitor must all have") @QueryParam("tag") List<String> tags,
                                  @Parameter(description = "statuses to include") @QueryParam("status") List<String> statuses,
                                  @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        List<Status> wanted = new ArrayList<>();
        for (String status : statuses) {
            try {
                wanted.add(Status.valueOf(status.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw io.vigil.evaluator.service.InvalidRequestException.of("status", "must be one of NEW, UP, LATE, DOWN, PAUSED, MAINTENANCE");
            }
        }
        List<String> tagList = tags.stream().map(String::trim).filter(tag -> !tag.isEmpty()).distinct().toList();
        if (tagList.stream().anyMatch(tag -> !TAG.matcher(tag).matches())) {
            // no stored tag can match it, and PostgreSQL refuses some characters (NUL) outright
            throw io.vigil.evaluator.service.InvalidRequestException.of("tag", TAG_RULE);
        }
        Pages.Page<Monitor> page = monitors.page(tagList, wanted, Pages.cursor(cursor), Pages.limit(limit));
        Map<String, String> tagBadges = caller.full()
                ? badges.tagBadgeIds(page.items().stream().flatMap(monitor -> monitor.tags.stream()).collect(Collectors.toSet()))
                : Map.of();
        return Page.of(page.map(monitor -> json(monitor, tagBadges)));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Read a monitor", description = "Read-only keys see neither token nor pingUrl.")
    @APIResponse(responseCode = "200", description = "The monitor", content = @Content(schema = @Schema(implementation = MonitorJson.class),
            examples = @ExampleObject(name = "monitor", value = EXAMPLE_MONITOR)))
    @APIResponse(responseCode = "404", description = "No such monitor")
    public MonitorJson get(@PathParam("id") UUID id) {
        return json(monitors.get(id));
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace a monitor", description = "Every writable field; the server's fields are ignored, so a GET "
            + "body can be PUT back. Without token the token is kept; without slug the slug is kept.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MonitorJson.class),
            examples = @ExampleObject(name = "interval", value = EXAMPLE_CREATE)))
    @APIResponse(responseCode = "200", description = "The monitor", content = @Content(schema = @Schema(implementation = MonitorJson.class)))
    @APIResponse(responseCode = "400", description = "Invalid fields")
    @APIResponse(responseCode = "404", description = "No such monitor")
    @APIResponse(responseCode = "409", description = "Slug taken, or a change the vigil-pipeline monitor does not allow")
    public MonitorJson replace(@PathParam("id") UUID id, String body) {
        return json(monitors.replace(id, spec(Input.object(body), clock.instant())));
    }

    @PATCH
    @Path("/{id}")
    @Consumes({MergePatch.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    @Operation(summary = "Change some fields of a monitor", description = "RFC 7396 merge patch (null removes an optional field).")
    @RequestBody(content = @Content(mediaType = MergePatch.MEDIA_TYPE, examples = {
            @ExampleObject(name = "longer grace", value = "{\"grace\":\"PT2H\"}"),
            @ExampleObject(name = "no max runtime, new tags", value = "{\"maxRuntime\":null,\"tags\":[\"prod\"]}"),
            @ExampleObject(name = "a one-off maintenance window", value = "{\"maintenance\":[{\"start\":\"2026-12-24T18:00:00Z\","
                    + "\"end\":\"2026-12-27T08:00:00Z\"}]}"),
            @ExampleObject(name = "depend on a parent", value = "{\"dependsOn\":[\"8d0e4c1a-7b2f-4e6d-9a3c-5f1b2d7e9c40\"]}")}))
    @APIResponse(responseCode = "200", description = "The monitor", content = @Content(schema = @Schema(implementation = MonitorJson.class)))
    @APIResponse(responseCode = "400", description = "Invalid fields")
    @APIResponse(responseCode = "404", description = "No such monitor")
    @APIResponse(responseCode = "409", description = "Slug taken")
    public MonitorJson patch(@PathParam("id") UUID id, String body) {
        ObjectNode patch = Input.object(body);
        JsonNode merged = MergePatch.apply(writable(monitors.get(id), clock.instant()), patch);
        return json(monitors.replace(id, spec((ObjectNode) merged, clock.instant())));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a monitor", description = "Its ping URL stops working; channels alerted about a DOWN get a "
            + "\"no longer watched\" notice. The vigil-pipeline monitor cannot be deleted (409).")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such monitor")
    @APIResponse(responseCode = "409", description = "The vigil-pipeline monitor")
    public Response delete(@PathParam("id") UUID id) {
        monitors.delete(id);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/pause")
    @Operation(summary = "Pause or snooze a monitor", description = "PAUSED until resumed or pinged. With a body "
            + "{\"until\": timestamp} or {\"for\": duration} (a snooze, at most a year) it resumes by itself then, as a "
            + "resume request would. A PAUSED monitor only gets the new end (none without a body).")
    @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = {
            @ExampleObject(name = "snooze for two hours", value = "{\"for\":\"PT2H\"}"),
            @ExampleObject(name = "snooze until a time", value = "{\"until\":\"2026-12-24T08:00:00Z\"}")}))
    @APIResponse(responseCode = "200", description = "The monitor", content = @Content(schema = @Schema(implementation = MonitorJson.class)))
    @APIResponse(responseCode = "400", description = "An invalid until or for")
    @APIResponse(responseCode = "404", description = "No such monitor")
    public MonitorJson pause(@PathParam("id") UUID id, String body) {
        return json(monitors.pause(id, snoozeEnd(body)));
    }

    /** The end a pause request's body gives (its {@code until}, or now plus its {@code for}), or null for none. */
    private Instant snoozeEnd(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        Input input = Input.of(Input.object(body), Set.of("until", "for"), Set.of());
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Instant until = null;
        if (input.has("until") && input.has("for")) {
            input.error("until", "give either until or for, not both");
        } else if (input.has("until")) {
            JsonNode value = input.raw("until");
            try {
                until = OffsetDateTime.parse(value.isTextual() ? value.asText().trim() : "").toInstant().truncatedTo(ChronoUnit.MILLIS);
                if (!until.isAfter(now) || until.isAfter(now.plus(YEAR))) {
                    input.error("until", "must be in the future, at most a year from now");
                }
            } catch (DateTimeParseException e) {
                input.error("until", "must be an ISO-8601 timestamp such as 2026-11-23T10:15:30Z");
            }
        } else if (input.has("for")) {
            Duration snooze = DurationInput.read(input, "for", input.raw("for"), SECOND, YEAR);
            until = snooze == null ? null : now.plus(snooze);
        }
        if (!input.errors().isEmpty()) {
            throw new io.vigil.evaluator.service.InvalidRequestException("The request has an invalid field.", input.errors());
        }
        return until;
    }

    @POST
    @Path("/{id}/resume")
    @Operation(summary = "Resume a paused monitor", description = "NEW if never pinged, else UP due one period from now. "
            + "Also ends the DOWN of a monitor with manualResume.")
    @APIResponse(responseCode = "200", description = "The monitor", content = @Content(schema = @Schema(implementation = MonitorJson.class)))
    @APIResponse(responseCode = "404", description = "No such monitor")
    @APIResponse(responseCode = "409", description = "The monitor is neither paused nor DOWN with manualResume")
    public MonitorJson resume(@PathParam("id") UUID id) {
        return json(monitors.resume(id));
    }

    @POST
    @Path("/{id}/rotate-token")
    @Operation(summary = "Give a monitor a new ping token", description = "The old ping URL stops working.")
    @APIResponse(responseCode = "200", description = "The monitor with its new ping URL",
            content = @Content(schema = @Schema(implementation = MonitorJson.class)))
    @APIResponse(responseCode = "404", description = "No such monitor")
    public MonitorJson rotateToken(@PathParam("id") UUID id) {
        return json(monitors.rotateToken(id));
    }

    @POST
    @Path("/{id}/rotate-badge")
    @Operation(summary = "Give a monitor a new badge id", description = "The monitor's old badge URLs answer 404 from now on; "
            + "its tags' badges are not changed.")
    @APIResponse(responseCode = "200", description = "The new badge URLs", content = @Content(examples = @ExampleObject(name = "rotated",
            value = "{\"badgeUrl\":\"http://localhost:8081/badge/Zb3k9Qw1Xy7Rt5Uv2Mn8Lp4Hs6.svg\","
                    + "\"shieldsUrl\":\"http://localhost:8081/badge/Zb3k9Qw1Xy7Rt5Uv2Mn8Lp4Hs6.json\"}")))
    @APIResponse(responseCode = "404", description = "No such monitor")
    public Map<String, String> rotateBadge(@PathParam("id") UUID id) {
        Monitor monitor = monitors.rotateBadge(id);
        String svg = MonitorJson.badgeUrl(config.adminUrl(), monitor.badgeId);
        return Map.of("badgeUrl", svg, "shieldsUrl", svg.substring(0, svg.length() - 4) + ".json");
    }

    @GET
    @Path("/{id}/pings")
    @Operation(summary = "Recent pings", description = "Newest first; the history keeps the newest pings of each monitor.")
    @APIResponse(responseCode = "200", description = "A page of pings", content = @Content(examples = @ExampleObject(name = "page",
            value = "{\"items\":[{\"n\":17,\"type\":\"success\",\"exitStatus\":null,\"rid\":null,\"receivedAt\":\"2026-11-23T03:12:03.456Z\","
                    + "\"method\":\"POST\",\"scheme\":\"https\",\"remoteAddr\":\"203.0.113.7\",\"userAgent\":\"curl/8.5.0\","
                    + "\"contentType\":\"text/plain\",\"bodySize\":42,\"duration\":\"PT12M3S\"}],\"nextCursor\":null}")))
    @APIResponse(responseCode = "404", description = "No such monitor")
    public Page<PingJson> pings(@PathParam("id") UUID id, @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return Page.of(history.pings(id, Pages.cursor(cursor), Pages.limit(limit)).map(PingJson::of));
    }

    @GET
    @Path("/{id}/pings/{n}/body")
    @Produces(MediaType.WILDCARD)
    @Operation(summary = "One ping's body", description = "The raw bytes as received (up to the body limit), with the Content-Type they came with.")
    @APIResponse(responseCode = "200", description = "The body")
    @APIResponse(responseCode = "404", description = "No such monitor, or the ping is no longer kept")
    public Response pingBody(@PathParam("id") UUID id, @PathParam("n") long n) {
        PingRecord ping = history.ping(id, n);
        String type = MediaType.APPLICATION_OCTET_STREAM;
        if (ping.contentType != null) {
            try {
                type = MediaType.valueOf(ping.contentType).toString();
            } catch (IllegalArgumentException e) {
                type = MediaType.APPLICATION_OCTET_STREAM;
            }
        }
        return Response.ok(ping.body == null ? new byte[0] : ping.body).type(type)
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "sandbox")
                .build();
    }

    @GET
    @Path("/{id}/flips")
    @Operation(summary = "Status history", description = "Flips newest first; ?since= (a timestamp) keeps flips at or after it.")
    @APIResponse(responseCode = "200", description = "A page of flips", content = @Content(examples = @ExampleObject(name = "page",
            value = "{\"items\":[{\"id\":\"3f6d2a10-9c4b-4e8a-b1d7-6e5f0a2c8b93\",\"at\":\"2026-11-23T10:05:00.000Z\",\"from\":\"LATE\","
                    + "\"to\":\"DOWN\",\"reason\":\"missed\",\"detectedAt\":\"2026-11-23T10:05:00.210Z\"}],\"nextCursor\":null}")))
    @APIResponse(responseCode = "404", description = "No such monitor")
    public Page<FlipJson> flips(@PathParam("id") UUID id, @QueryParam("since") String since, @QueryParam("limit") String limit,
                                @QueryParam("cursor") String cursor) {
        return Page.of(history.flips(id, Times.parse("since", since), Pages.cursor(cursor), Pages.limit(limit)).map(FlipJson::of));
    }

    @GET
    @Path("/{id}/notifications")
    @Operation(summary = "Alerts sent for the monitor", description = "Newest first, each with every delivery attempt.")
    @APIResponse(responseCode = "200", description = "A page of notifications", content = @Content(examples = @ExampleObject(name = "page",
            value = "{\"items\":[{\"id\":\"a1b2c3d4-0000-4000-8000-000000000001\",\"flipId\":\"3f6d2a10-9c4b-4e8a-b1d7-6e5f0a2c8b93\","
                    + "\"channelId\":\"0b6f3a52-5d0c-4f7e-8f8e-2a4c1d9b7e31\",\"channelType\":\"slack\",\"kind\":\"alert\",\"status\":\"SENT\","
                    + "\"attempts\":[{\"at\":\"2026-11-23T10:05:00.420Z\",\"outcome\":\"retry\",\"httpStatus\":503,\"error\":\"HTTP 503\","
                    + "\"durationMs\":120},{\"at\":\"2026-11-23T10:05:02.600Z\",\"outcome\":\"delivered\",\"httpStatus\":200,"
                    + "\"error\":null,\"durationMs\":95}]}],\"nextCursor\":null}")))
    @APIResponse(responseCode = "404", description = "No such monitor")
    public Page<NotificationJson> notifications(@PathParam("id") UUID id, @QueryParam("limit") String limit,
                                                @QueryParam("cursor") String cursor) {
        return Page.of(history.notifications(id, Pages.cursor(cursor), Pages.limit(limit)).map(NotificationJson::of));
    }

    private MonitorJson json(Monitor monitor) {
        return json(monitor, caller.full() ? badges.tagBadgeIds(monitor.tags) : Map.of());
    }

    private MonitorJson json(Monitor monitor, Map<String, String> tagBadges) {
        return MonitorJson.of(monitor, caller.full(), config.publicUrl(), config.adminUrl(), tagBadges, clock.instant());
    }

    /**
     * A monitor's writable fields as a JSON document (no token, no server fields): what a PATCH or the console's edit
     * form is applied to before the result is read by {@link #spec}.
     */
    public static ObjectNode writable(Monitor monitor, Instant now) {
        ObjectNode document = io.vigil.contracts.Json.mapper().valueToTree(MonitorJson.of(monitor, false, "", "", Map.of(), now));
        SERVER.forEach(document::remove);
        document.remove("token");
        return document;
    }

    /**
     * A monitor's JSON body read into a spec, every problem named; the console's forms are read by it too, so a form
     * and a curl call are refused for the same reasons.
     */
    public static MonitorSpec spec(ObjectNode body, Instant now) {
        Input input = Input.of(body, WRITABLE, SERVER);
        String name = input.text("name", true, 200);
        String slug = input.text("slug", false, 100);
        if (slug != null && !SLUG.matcher(slug).matches()) {
            input.error("slug", "must be 1 to 100 characters of lower-case letters, digits, - and _");
            slug = null;
        }
        String description = input.paragraph("description", 2000);
        Set<String> tags = new LinkedHashSet<>();
        for (String tag : input.texts("tags", 50, 50)) {
            if (!TAG.matcher(tag).matches()) {
                input.error("tags", TAG_RULE);
            } else {
                tags.add(tag);
            }
        }
        Schedule schedule = schedule(input, now);
        Duration grace = DurationInput.read(input, "grace", input.raw("grace"), Duration.ZERO, YEAR);
        Duration maxRuntime = DurationInput.read(input, "maxRuntime", input.raw("maxRuntime"), SECOND, YEAR);
        List<UUID> channels = new ArrayList<>();
        List<String> channelTexts = input.texts("channels", 50, 36);
        for (int i = 0; i < channelTexts.size(); i++) {
            try {
                UUID channel = UUID.fromString(channelTexts.get(i));
                if (!channels.contains(channel)) {
                    channels.add(channel);
                }
            } catch (IllegalArgumentException e) {
                input.error("channels[" + i + "]", "is not a channel id");
            }
        }
        String token = input.text("token", false, 128);
        if (token != null && !TOKEN.matcher(token).matches()) {
            input.error("token", "must be 16 to 128 characters of letters, digits, - and _");
            token = null;
        }
        MonitorSpec.RunRules rules = new MonitorSpec.RunRules(input.integer("failureThreshold", 1, 100, 1),
                input.integer("recoveryThreshold", 1, 100, 1),
                DurationInput.read(input, "minRuntime", input.raw("minRuntime"), SECOND, YEAR),
                DurationInput.read(input, "minInterval", input.raw("minInterval"), SECOND, YEAR),
                input.flag("manualResume"));
        List<Maintenance.Window> maintenance = maintenance(input, now);
        return new MonitorSpec(name, slug, description, List.copyOf(tags), schedule, grace, maxRuntime, channels, token,
                rules, dependsOn(input), input.errors(), maintenance);
    }

    /**
     * {@code maintenance}: at most {@value Maintenance#MAX_WINDOWS} windows, each {@code {"cron","duration","timezone"}}
     * (a 5-field cron expression that fires within five years, a duration from 1 second to 365 days, an optional IANA
     * time zone, UTC by default) or {@code {"start","end"}} (timestamps, the end after the start). Absent or null is
     * none. Errors name the window's field, e.g. {@code maintenance[2].duration}.
     */
    private static List<Maintenance.Window> maintenance(Input input, Instant now) {
        JsonNode node = input.raw("maintenance");
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            input.error("maintenance", "must be a list of windows: {\"cron\",\"duration\",\"timezone\"} or {\"start\",\"end\"}");
            return List.of();
        }
        if (node.size() > Maintenance.MAX_WINDOWS) {
            input.error("maintenance", "may hold at most " + Maintenance.MAX_WINDOWS + " windows");
            return List.of();
        }
        List<Maintenance.Window> windows = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            Maintenance.Window window = window(input, "maintenance[" + i + "]", node.get(i), now);
            if (window != null) {
                windows.add(window);
            }
        }
        return windows;
    }

    private static Maintenance.Window window(Input input, String field, JsonNode node, Instant now) {
        if (!node.isObject() || !(node.has("cron") || node.has("start") || node.has("end"))) {
            input.error(field, "must be {\"cron\":\"0 2 * * 6\",\"duration\":\"PT2H\",\"timezone\":\"Europe/Oslo\"}"
                    + " or {\"start\":\"<timestamp>\",\"end\":\"<timestamp>\"}");
            return null;
        }
        boolean recurring = node.has("cron");
        Set<String> fields = recurring ? Set.of("cron", "duration", "timezone") : Set.of("start", "end");
        boolean valid = true;
        for (var names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!fields.contains(name)) {
                input.error(field + "." + name, recurring ? "is not a field of a recurring window (cron, duration, timezone)"
                        : "is not a field of a one-off window (start, end)");
                valid = false;
            }
        }
        if (!recurring) {
            Instant start = timestamp(input, field + ".start", node.get("start"));
            Instant end = timestamp(input, field + ".end", node.get("end"));
            if (start != null && end != null && !end.isAfter(start)) {
                input.error(field + ".end", "must be after start");
                return null;
            }
            return valid && start != null && end != null ? new Maintenance.OneOff(start, end) : null;
        }
        JsonNode cron = node.get("cron");
        Schedule.Cron expression = null;
        if (cron == null || !cron.isTextual() || cron.asText().isBlank()) {
            input.error(field + ".cron", "is required: a 5-field cron expression such as \"0 2 * * 6\"");
        } else if (cron.asText().length() > 200) {
            input.error(field + ".cron", "must be at most 200 characters");
        } else {
            JsonNode timezone = node.get("timezone");
            String zone = timezone == null || timezone.isNull() ? "UTC" : timezone.isTextual() ? timezone.asText() : "";
            try {
                Schedule.cron("* * * * *", zone.isBlank() || zone.length() > 100 ? "-" : zone);
                try {
                    expression = Schedule.cron(cron.asText(), zone);
                    if (!expression.ticksWithin(now, CRON_HORIZON)) {
                        input.error(field + ".cron", "never fires in the next five years (for example 30 February):"
                                + " the window would never open");
                        expression = null;
                    }
                } catch (IllegalArgumentException e) {
                    input.error(field + ".cron", e.getMessage());
                }
            } catch (IllegalArgumentException e) {
                input.error(field + ".timezone", "must be an IANA time zone name such as \"Europe/Oslo\"");
            }
        }
        JsonNode durationNode = node.get("duration");
        Duration duration = null;
        if (durationNode == null || durationNode.isNull()) {
            input.error(field + ".duration", "is required: how long each window lasts, such as \"PT2H\"");
        } else {
            duration = DurationInput.read(input, field + ".duration", durationNode, SECOND, YEAR);
        }
        return valid && expression != null && duration != null ? new Maintenance.Recurring(expression, duration) : null;
    }

    private static Instant timestamp(Input input, String field, JsonNode node) {
        if (node == null || node.isNull()) {
            input.error(field, "is required: an ISO-8601 timestamp such as 2026-11-28T02:00:00Z");
            return null;
        }
        try {
            if (node.isTextual()) {
                return java.time.OffsetDateTime.parse(node.asText().trim()).toInstant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
            }
        } catch (java.time.format.DateTimeParseException e) {
            // reported below
        }
        input.error(field, "must be an ISO-8601 timestamp such as 2026-11-28T02:00:00Z");
        return null;
    }

    /** {@code dependsOn}: a list of monitor ids, at most {@value Dependencies#MAX_PARENTS}; every problem names the field. */
    private static List<UUID> dependsOn(Input input) {
        JsonNode node = input.raw("dependsOn");
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            input.error("dependsOn", "must be a list of monitor ids");
            return List.of();
        }
        if (node.size() > Dependencies.MAX_PARENTS) {
            input.error("dependsOn", "may hold at most " + Dependencies.MAX_PARENTS + " monitor ids");
            return List.of();
        }
        List<UUID> parents = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            try {
                if (!item.isTextual() || item.asText().length() != 36) {
                    throw new IllegalArgumentException();
                }
                UUID parent = UUID.fromString(item.asText());
                if (!parents.contains(parent)) {
                    parents.add(parent);
                }
            } catch (IllegalArgumentException e) {
                input.error("dependsOn", "item " + i + " is not a monitor id");
                return List.of();
            }
        }
        return parents;
    }

    private static Schedule schedule(Input input, Instant now) {
        JsonNode node = input.raw("schedule");
        if (node == null || node.isNull()) {
            input.error("schedule", "is required: {\"type\":\"interval\",\"every\":\"PT5M\"} or "
                    + "{\"type\":\"cron\",\"expression\":\"0 3 * * *\",\"timezone\":\"UTC\"}");
            return null;
        }
        if (!node.isObject()) {
            input.error("schedule", "must be an object");
            return null;
        }
        JsonNode type = node.get("type");
        String kind = type != null && type.isTextual() ? type.asText() : "";
        Set<String> fields = switch (kind) {
            case "interval" -> Set.of("type", "every");
            case "cron" -> Set.of("type", "expression", "timezone");
            default -> null;
        };
        if (fields == null) {
            input.error("schedule.type", "must be \"interval\" or \"cron\"");
            return null;
        }
        node.fieldNames().forEachRemaining(field -> {
            if (!fields.contains(field)) {
                input.error("schedule." + field, "is not a field of a " + kind + " schedule");
            }
        });
        if (kind.equals("interval")) {
            JsonNode every = node.get("every");
            if (every == null || every.isNull()) {
                input.error("schedule.every", "is required");
                return null;
            }
            Duration duration = DurationInput.read(input, "schedule.every", every, SECOND, YEAR);
            return duration == null ? null : Schedule.interval(duration);
        }
        JsonNode expression = node.get("expression");
        JsonNode timezone = node.get("timezone");
        boolean valid = true;
        if (expression == null || !expression.isTextual() || expression.asText().isBlank()) {
            input.error("schedule.expression", "is required: a 5-field cron expression such as \"0 3 * * *\"");
            valid = false;
        } else if (expression.asText().length() > 200) {
            input.error("schedule.expression", "must be at most 200 characters");
            valid = false;
        } else {
            try {
                if (!Schedule.cron(expression.asText(), "UTC").ticksWithin(now, CRON_HORIZON)) {
                    input.error("schedule.expression", "never fires in the next five years (for example 30 February): "
                            + "no check-in could ever be due");
                    valid = false;
                }
            } catch (IllegalArgumentException e) {
                input.error("schedule.expression", e.getMessage());
                valid = false;
            }
        }
        String zone = "UTC";
        if (timezone != null && !timezone.isNull()) {
            if (!timezone.isTextual() || timezone.asText().length() > 100) {
                input.error("schedule.timezone", "must be an IANA time zone name such as \"Europe/Oslo\"");
                valid = false;
            } else {
                zone = timezone.asText();
                try {
                    Schedule.cron("* * * * *", zone);
                } catch (IllegalArgumentException e) {
                    input.error("schedule.timezone", e.getMessage());
                    valid = false;
                }
            }
        }
        return valid ? Schedule.cron(expression.asText(), zone) : null;
    }
}
