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
 * Status badges that need no API key, at URLs made unguessable by the installation's badge key (full
 * keys see a monitor's {@code badgeUrl}): an SVG and a shields.io endpoint JSON, per monitor
 * ({@code /badge/{key}/{slug}.svg}) and per tag ({@code /badge/{key}/tag/{tag}.svg}).
 */
@Path("/badge/{key}")
@Tag(name = "Badges")
public class BadgeResource {

    private final Badges badges;

    public BadgeResource(Badges badges) {
        this.badges = badges;
    }

    @GET
    @Path("/{file}")
    @Operation(summary = "A monitor's badge", description = "{slug}.svg for an SVG badge, {slug}.json for a shields.io endpoint badge. No API key.")
    @APIResponse(responseCode = "200", description = "The badge", content = {
            @Content(mediaType = "image/svg+xml"),
            @Content(mediaType = "application/json", examples = @ExampleObject(name = "shields.io",
                    value = "{\"schemaVersion\":1,\"label\":\"nightly-backup\",\"message\":\"up\",\"color\":\"brightgreen\"}"))})
    @APIResponse(responseCode = "404", description = "Unknown key or monitor")
    public Response monitor(@PathParam("key") String key, @PathParam("file") String file) {
        return answer(file, name -> badges.monitor(key, name));
    }

    @GET
    @Path("/tag/{file}")
    @Operation(summary = "A tag's badge", description = "{tag}.svg or {tag}.json: DOWN if any monitor with the tag is DOWN, "
            + "else LATE if any is LATE, else UP. No API key.")
    @APIResponse(responseCode = "200", description = "The badge")
    @APIResponse(responseCode = "404", description = "Unknown key or tag")
    public Response tag(@PathParam("key") String key, @PathParam("file") String file) {
        return answer(file, name -> badges.tag(key, name));
    }

    private static Response answer(String file, java.util.function.Function<String, Optional<Badges.Badge>> lookup) {
        boolean svg = file.endsWith(".svg");
        boolean json = file.endsWith(".json");
        if (!svg && !json) {
            throw new NotFoundException("Badges end in .svg or .json.");
        }
        String name = file.substring(0, file.length() - (svg ? 4 : 5));
        Badges.Badge badge = lookup.apply(name).orElseThrow(() -> new NotFoundException("There is no such badge."));
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
        return status.name().toLowerCase(Locale.ROOT);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }
}
