package io.vigil.evaluator.rest;

import io.vigil.contracts.Status;
import io.vigil.evaluator.service.Badges;
import io.vigil.evaluator.service.NotFoundException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Status badges that need no API key, at URLs made unguessable by a badge id of the monitor's or the tag's
 * own (full keys see a monitor's {@code badgeUrl} and {@code tagBadgeUrls}): an SVG and a shields.io endpoint
 * JSON, per monitor ({@code /badge/{id}.svg}) and per tag ({@code /badge/tag/{id}.svg}). An unknown id is 404.
 */
@Path("/badge")
@Tag(name = "Badges")
public class BadgeResource {

    private static final java.util.regex.Pattern BADGE_ID = java.util.regex.Pattern.compile("^[A-Za-z0-9_-]{16,128}$");

    private final Badges badges;

    public BadgeResource(Badges badges) {
        this.badges = badges;
    }

    @GET
    @Path("/{file}")
    @Operation(summary = "A monitor's badge", description = "{badge id}.svg for an SVG badge, {badge id}.json for a shields.io endpoint badge. No API key.")
    @APIResponse(responseCode = "200", description = "The badge", content = {
            @Content(mediaType = "image/svg+xml"),
            @Content(mediaType = "application/json", examples = @ExampleObject(name = "shields.io",
                    value = "{\"schemaVersion\":1,\"label\":\"nightly-backup\",\"message\":\"up\",\"color\":\"brightgreen\"}"))})
    @APIResponse(responseCode = "404", description = "No monitor has this badge id")
    public Response monitor(@PathParam("file") String file) {
        return answer(file, badges::monitor);
    }

    @GET
    @Path("/tag/{file}")
    @Operation(summary = "A tag's badge", description = "{badge id}.svg or {badge id}.json: DOWN if any monitor with the tag is DOWN, "
            + "else LATE if any is LATE, else UP. No API key.")
    @APIResponse(responseCode = "200", description = "The badge")
    @APIResponse(responseCode = "404", description = "No tag in use has this badge id")
    public Response tag(@PathParam("file") String file) {
        return answer(file, badges::tag);
    }

    private static Response answer(String file, java.util.function.Function<String, Optional<Badges.Badge>> lookup) {
        boolean svg = file.endsWith(".svg");
        boolean json = file.endsWith(".json");
        if (!svg && !json) {
            throw new NotFoundException("Badges end in .svg or .json.");
        }
        String id = file.substring(0, file.length() - (svg ? 4 : 5));
        if (!BADGE_ID.matcher(id).matches()) {
            throw new NotFoundException("There is no such badge.");
        }
        Badges.Badge badge = lookup.apply(id).orElseThrow(() -> new NotFoundException("There is no such badge."));
        Response.ResponseBuilder builder = svg
                ? Response.ok(svg(badge)).type("image/svg+xml;charset=utf-8")
                : Response.ok(shields(badge)).type("application/json");
        return builder.header("Cache-Control", "no-cache, max-age=0").build();
    }

    private static Map<String, Object> shields(Badges.Badge badge) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("schemaVersion", 1);
        json.put("label", badge.label());
        json.put("message", message(badge.status()));
        json.put("color", switch (badge.status()) {
            case UP -> "brightgreen";
            case LATE -> "yellow";
            case DOWN -> "red";
            case MAINTENANCE -> "blue";
            default -> "lightgrey";
        });
        return json;
    }

    private static String svg(Badges.Badge badge) {
        String label = escape(badge.label());
        String message = message(badge.status());
        String colour = switch (badge.status()) {
            case UP -> "#4c1";
            case LATE -> "#dfb317";
            case DOWN -> "#e05d44";
            case MAINTENANCE -> "#007ec6";
            default -> "#9f9f9f";
        };
        int left = 10 + 7 * badge.label().length();
        int right = 10 + 7 * message.length();
        int width = left + right;
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + width + "\" height=\"20\" role=\"img\" aria-label=\""
                + label + ": " + message + "\"><title>" + label + ": " + message + "</title>"
                + "<rect width=\"" + left + "\" height=\"20\" fill=\"#555\"/>"
                + "<rect x=\"" + left + "\" width=\"" + right + "\" height=\"20\" fill=\"" + colour + "\"/>"
                + "<g fill=\"#fff\" text-anchor=\"middle\" font-family=\"Verdana,Geneva,DejaVu Sans,sans-serif\" font-size=\"11\">"
                + "<text x=\"" + left / 2 + "\" y=\"14\">" + label + "</text>"
                + "<text x=\"" + (left + right / 2) + "\" y=\"14\">" + message + "</text></g></svg>";
    }

    private static String message(Status status) {
        return status == Status.MAINTENANCE ? "in maintenance" : status.name().toLowerCase(Locale.ROOT);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }
}
