package io.vigil.evaluator.web.status;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vigil.evaluator.service.NotFoundException;
import io.vigil.evaluator.service.StatusReports;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The public status pages, without an API key: {@code /status/{slug}} (HTML), {@code /status/{slug}.json} and
 * {@code /status/{slug}/feed.atom}. They show monitors' names, statuses, uptime and incidents, never a token, URL,
 * channel, key or id; answers may be cached for a few seconds. An unknown slug is 404 (an HTML page on the HTML path,
 * a problem elsewhere).
 */
@Path("/status")
@Tag(name = "Status pages")
public class StatusSite {

    /** Shared caches and browsers may keep a page this long. */
    static final String CACHE_CONTROL = "public, max-age=5";
    static final String ATOM = "application/atom+xml";

    /** The templates under {@code templates/status/}. */
    @CheckedTemplate(basePath = "status")
    static class Templates {

        static native TemplateInstance page(StatusViews.PageView view);

        static native TemplateInstance missing(String slug);

        static native TemplateInstance feed(StatusViews.FeedView feed);
    }

    private final StatusReports reports;

    public StatusSite(StatusReports reports) {
        this.reports = reports;
    }

    @GET
    @Path("/{slug: [a-z0-9-]+}")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "A status page (HTML)", description = "Public, no API key.")
    @APIResponse(responseCode = "200", description = "The page")
    @APIResponse(responseCode = "404", description = "No status page has this slug")
    public Response html(@PathParam("slug") String slug) {
        return reports.report(slug)
                .map(report -> Response.ok(Templates.page(StatusViews.page(report))).header("Cache-Control", CACHE_CONTROL))
                .orElseGet(() -> Response.status(404).entity(Templates.missing(slug)))
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).build();
    }

    @GET
    @Path("/{slug: [a-z0-9-]+}.json")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A status page (JSON)", description = "Public, no API key: {title, description, status, generatedAt, "
            + "monitors:[{name, status, uptime:{24h,7d,30d,90d}, days:[{date, status, uptime}]}], incidents:[{monitor, startedAt, "
            + "endedAt, duration}]}; uptime in percent (null: no observed time), days oldest first (UTC), incidents newest first.")
    @APIResponse(responseCode = "200", description = "The page's data")
    @APIResponse(responseCode = "404", description = "No status page has this slug")
    public Response json(@PathParam("slug") String slug) {
        StatusReports.Report report = reports.report(slug).orElseThrow(() -> missing(slug));
        return Response.ok(StatusViews.json(report)).header("Cache-Control", CACHE_CONTROL).build();
    }

    @GET
    @Path("/{slug: [a-z0-9-]+}/feed.atom")
    @Produces(ATOM)
    @Operation(summary = "A status page's incidents (Atom)", description = "Public, no API key: one entry per DOWN period.")
    @APIResponse(responseCode = "200", description = "The feed")
    @APIResponse(responseCode = "404", description = "No status page has this slug")
    public Response feed(@PathParam("slug") String slug) {
        StatusReports.Report report = reports.report(slug).orElseThrow(() -> missing(slug));
        // rendered here: a TemplateInstance would be sent as the template's own type, application/xml
        return Response.ok(Templates.feed(StatusViews.feed(report)).render()).type(ATOM + ";charset=UTF-8")
                .header("Cache-Control", CACHE_CONTROL).build();
    }

    private static NotFoundException missing(String slug) {
        return new NotFoundException("No status page has the slug " + slug + ".");
    }
}
