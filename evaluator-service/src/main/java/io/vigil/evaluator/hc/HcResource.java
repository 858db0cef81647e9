package io.vigil.evaluator.hc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.contracts.Json;
import io.vigil.evaluator.Monitor;
import io.vigil.evaluator.PingRecord;
import io.vigil.evaluator.config.AdminApiConfig;
import io.vigil.evaluator.service.Badges;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Healthchecks' management API ({@code /hc/api/v1/}, {@code v2/}, {@code v3/}), so that the Terraform provider, the
 * go-healthchecksio client and scripts written for Healthchecks work once their base URL points here. The three
 * versions share the endpoints, as in Healthchecks; they differ in URLs, v1's {@code started} status and v1/v2's
 * slug made from the name. Every answer is Healthchecks' (errors {@code {"error": "..."}}), not the admin API's.
 */
@Path("/hc/api/{version}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Healthchecks compatibility")
public class HcResource {

    private static final Pattern UUID_FORM = Pattern.compile(
            "^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$");
    private static final Pattern UNIQUE_KEY = Pattern.compile("^[A-Za-z0-9]{40}$");
    private static final int PING_LIMIT = 1000;
    private static final long MAX_TIMESTAMP = 10_000_000_000L;
    private static final long MAX_SECONDS = 31_536_000;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final HcChecks checks;
    private final HcAuth auth;
    private final Badges badges;
    private final AdminApiConfig config;
    private final InstantSource clock;

    public HcResource(HcChecks checks, HcAuth auth, Badges badges, AdminApiConfig config, InstantSource clock) {
        this.checks = checks;
        this.auth = auth;
        this.badges = badges;
        this.config = config;
        this.clock = clock;
    }

    @GET
    @Path("/checks/")
    @Operation(summary = "List checks", description = "Every check, not paginated; ?tag= (repeatable, all must match), ?slug=.")
    public Response list(@PathParam("version") String version, @HeaderParam("X-Api-Key") String key,
                           @QueryParam("tag") List<String> tags, @QueryParam("slug") String slug) {
        version(version);
        boolean readonly = auth.read(key);
        Set<String> wanted = new LinkedHashSet<>(tags);
        List<Monitor> found = checks.all().stream()
                .filter(m -> slug == null || slug.isEmpty() || slug.equals(m.slug))
                .filter(m -> m.tags.containsAll(wanted))
                .toList();
        Map<UUID, HcCheck> fields = checks.fields(found);
        HcJson json = json(version);
        ArrayNode list = NODES.arrayNode();
        found.forEach(m -> list.add(json.check(m, fields.get(m.id), readonly)));
        ObjectNode answer = NODES.objectNode();
        answer.set("checks", list);
        return json(answer);
    }

    @POST
    @Path("/checks/")
    @Operation(summary = "Create a check", description = "201; 200 when `unique` matched an existing check, which is updated.")
    public Response create(@PathParam("version") String version, @HeaderParam("X-Api-Key") String key, String body) {
        version(version);
        ObjectNode json = body(body);
        auth.write(key, json);
        HcChecks.Saved saved = checks.create(HcSpec.read(json), version(version));
        return Response.status(saved.created() ? 201 : 200).type(MediaType.APPLICATION_JSON)
                .entity(Json.write(json(version).check(saved.monitor(), saved.fields(), false))).build();
    }

    @GET
    @Path("/checks/{code}")
    @Operation(summary = "Read a check", description = "By uuid, or by unique_key (what read-only keys see).")
    public Response get(@PathParam("version") String version, @HeaderParam("X-Api-Key") String key, @PathParam("code") String code) {
        version(version);
        UUID id = uuid(code);
        if (id == null && !UNIQUE_KEY.matcher(code).matches()) {
            throw HcException.empty(404);
        }
        boolean readonly = auth.read(key);
        Monitor monitor = id != null ? checks.find(id) : checks.findByUniqueKey(code);
        if (monitor == null) {
            throw HcException.empty(404);
        }
        return json(json(version).check(monitor, checks.fields(List.of(monitor)).get(monitor.id), readonly));
    }

    @POST
    @Path("/checks/{code}")
    @Operation(summary = "Update a check", description = "Fields left out stay as they are.")
    public Response update(@PathParam("version") String version, @HeaderParam("X-Api-Key") String key,
                             @PathParam("code") String code, String body) {
        version(version);
        UUID id = uuidOr405(code);
        ObjectNode json = body(body);
        auth.write(key, json);
        HcChecks.Saved saved = checks.update(id, HcSpec.read(json), version(version));
        return json(json(version).check(saved.monitor(), saved.fields(), false));
    }

    @DELETE
    @Path("/checks/{code}")
    @Operation(summary = "Delete a check", description = "Answers the deleted check.")
    public Response delete(@PathParam("version") String version, @HeaderParam("X-Api-Key") String key, @PathParam("code") String code) {
        version(version);
        UUID id = uuidOr405(code);
        auth.write(key, null);
        HcChecks.Saved saved = checks.delete(id);
        return json(json(version).check(saved.monitor(), saved.fields(), false));
    }

    @POST
    @Path("/checks/{code}/pause")
    @Operation(summary = "Pause a check")
    public Response pause(@PathParam("version") String version, @HeaderParam("X-Api-Key") String key,
                            @PathParam("code") String code, String body) {
        version(version);
        UUID id = uuidOr404(code);
        auth.write(key, body(body));
        Monitor monitor = checks.pause(id);
        return json(json(version).check(monitor, checks.fields(List.of(monitor)).get(monitor.id), false));
    }

    @POST
    @Path("/checks/{code}/resume")
    @Operation(summary = "Resume a paused check", description = "409 check is not paused.")
    public Response resume(@PathParam("version") String version, @HeaderParam("X-Api-Key") String key,
                             @PathParam("code") String code, String body) {
        version(version);
        UUID id = uuidOr404(code);
        auth.write(key, body(body));
        Monitor monitor = checks.resume(id);
        return json(json(version).check(monitor, checks.fields(List.of(monitor)).get(monitor.id), false));
    }

    @GET
    @Path("/checks/{code}/pings/")
    @Operation(summary = "A check's pings", description = "Newest first (a read-write key only, as in Healthchecks).")
    public Response pings(@PathParam("version") String version, @HeaderParam("X-Api-Key") String key, @PathParam("code") String code) {
        version(version);
        UUID id = uuidOr404(code);
        auth.write(key, null);
        HcJson json = json(version);
        ArrayNode list = NODES.arrayNode();
        checks.pings(id, PING_LIMIT).forEach(ping -> list.add(json.ping(id, ping)));
        ObjectNode answer = NODES.objectNode();
        answer.set("pings", list);
        return json(answer);
    }

    @GET
    @Path("/checks/{code}/pings/{n}/body")
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(summary = "A ping's body", description = "text/plain; 404 when the ping is not kept or has no body.")
    public Response pingBody(@PathParam("version") String version, @HeaderParam("X-Api-Key") String key,
                             @PathParam("code") String code, @PathParam("n") String n) {
        version(version);
        UUID id = uuidOr404(code);
        if (!n.matches("^[0-9]{1,18}$")) {
            throw HcException.empty(404);
        }
        auth.write(key, null);
        PingRecord ping = checks.ping(id, Long.parseLong(n));
        if (ping == null || ping.body == null || ping.body.length == 0) {
            throw HcException.empty(404);
        }
        return Response.ok(ping.body, "text/plain").build();
    }

    @GET
    @Path("/checks/{code}/flips/")
    @Operation(summary = "A check's flips", description = "Newest first; ?seconds=, ?start=, ?end= (unix time).")
    public Response flips(@PathParam("version") String version, @HeaderParam("X-Api-Key") String key, @PathParam("code") String code,
                            @QueryParam("seconds") String seconds, @QueryParam("start") String start, @QueryParam("end") String end) {
        version(version);
        UUID id = uuid(code);
        if (id == null && !UNIQUE_KEY.matcher(code).matches()) {
            throw HcException.empty(404);
        }
        auth.read(key);
        Monitor monitor = id != null ? checks.find(id) : checks.findByUniqueKey(code);
        if (monitor == null) {
            throw HcException.empty(404);
        }
        Instant from = timestamp(start);
        Instant to = timestamp(end);
        Long window = null;
        if (seconds != null && !seconds.isBlank()) {
            window = wholeNumber(seconds.strip());
            if (window == null || window < 0 || window > MAX_SECONDS) {
                throw HcException.empty(400);
            }
        }
        if (window != null && window > 0) {
            Instant threshold = clock.instant().minusSeconds(window);
            from = from == null || threshold.isAfter(from) ? threshold : from;
        }
        ArrayNode list = NODES.arrayNode();
        checks.flips(monitor.id, from, to).forEach(flip -> list.add(HcJson.flip(flip)));
        ObjectNode answer = NODES.objectNode();
        answer.set("flips", list);
        return json(answer);
    }

    @GET
    @Path("/channels/")
    @Operation(summary = "List channels", description = "Kinds as Healthchecks names them (a read-write key only, as there).")
    public Response channels(@PathParam("version") String version, @HeaderParam("X-Api-Key") String key) {
        version(version);
        auth.write(key, null);
        ArrayNode list = NODES.arrayNode();
        checks.channels().forEach(channel -> list.add(HcJson.channel(channel)));
        ObjectNode answer = NODES.objectNode();
        answer.set("channels", list);
        return json(answer);
    }

    @GET
    @Path("/badges/")
    @Operation(summary = "Badge URLs per tag", description = "Vigil's tag badges: SVG and the shields.io endpoint JSON.")
    public Response badges(@PathParam("version") String version, @HeaderParam("X-Api-Key") String key) {
        version(version);
        auth.read(key);
        Set<String> tags = new TreeSet<>();
        checks.all().forEach(m -> tags.addAll(m.tags));
        Map<String, String> ids = badges.tagBadgeIds(tags);
        String base = trimSlash(config.adminUrl()) + "/badge/tag/";
        ObjectNode all = NODES.objectNode();
        for (String tag : tags) {
            String id = ids.get(tag);
            if (id == null) {
                continue;
            }
            ObjectNode urls = NODES.objectNode();
            urls.put("svg", base + id + ".svg");
            urls.put("svg3", base + id + ".svg");
            urls.put("json", base + id + ".json");
            urls.put("json3", base + id + ".json");
            urls.put("shields", base + id + ".json");
            urls.put("shields3", base + id + ".json");
            all.set(tag, urls);
        }
        ObjectNode answer = NODES.objectNode();
        answer.set("badges", all);
        return json(answer);
    }

    @GET
    @Path("/status/")
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(summary = "Liveness", description = "OK, with no key, as Healthchecks' status endpoint.")
    public String status(@PathParam("version") String version) {
        version(version);
        return "OK";
    }

    /** The JSON as Healthchecks writes it: the tree's bytes, so no bean mapping applies to it. */
    private static Response json(ObjectNode answer) {
        return Response.ok(Json.write(answer), MediaType.APPLICATION_JSON).build();
    }

    private HcJson json(String version) {
        return new HcJson(version(version), config.publicUrl(), config.adminUrl());
    }

    /**
     * The JSON object of a write's body, as Healthchecks' {@code authorize} reads it before the key: an empty body is
     * {@code {}}, anything else must be a JSON object.
     */
    private static ObjectNode body(String body) {
        if (body == null || body.isEmpty()) {
            return NODES.objectNode();
        }
        JsonNode node;
        try {
            node = Json.mapper().readTree(body);
        } catch (JsonProcessingException e) {
            throw HcException.error(400, "could not parse request body");
        }
        if (node == null) {
            throw HcException.error(400, "could not parse request body");
        }
        if (!node.isObject()) {
            throw HcException.error(400, "json validation error: value is not an object");
        }
        return (ObjectNode) node;
    }

    /** 1, 2 or 3, from the path's {@code v1}, {@code v2} or {@code v3}; any other segment is a bare 404. */
    private static int version(String segment) {
        return switch (segment) {
            case "v1" -> 1;
            case "v2" -> 2;
            case "v3" -> 3;
            default -> throw HcException.empty(404);
        };
    }

    private static UUID uuid(String code) {
        if (!UUID_FORM.matcher(code).matches()) {
            return null;
        }
        String hex = code.replace("-", "");
        return UUID.fromString(hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                + hex.substring(16, 20) + "-" + hex.substring(20));
    }

    private static UUID uuidOr404(String code) {
        UUID id = uuid(code);
        if (id == null) {
            throw HcException.empty(404);
        }
        return id;
    }

    /** A unique_key path exists for reads only: Healthchecks answers a write to it 405. */
    private static UUID uuidOr405(String code) {
        UUID id = uuid(code);
        if (id == null) {
            throw HcException.empty(UNIQUE_KEY.matcher(code).matches() ? 405 : 404);
        }
        return id;
    }

    /** A unix time of ?start= or ?end=: absent is none, anything but 0 to 10,000,000,000 is a bare 400. */
    private static Instant timestamp(String value) {
        if (value == null) {
            return null;
        }
        Long seconds = wholeNumber(value.strip());
        if (seconds == null || seconds < 0 || seconds > MAX_TIMESTAMP) {
            throw HcException.empty(400);
        }
        return Instant.ofEpochSecond(seconds);
    }

    private static Long wholeNumber(String text) {
        if (!text.matches("^[+-]?[0-9]{1,19}$")) {
            return null;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
