package io.vigil.evaluator.web;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vigil.evaluator.Monitor;
import io.vigil.evaluator.StatusPage;
import io.vigil.evaluator.rest.Caller;
import io.vigil.evaluator.rest.StatusPageResource;
import io.vigil.evaluator.service.ConflictException;
import io.vigil.evaluator.service.FieldError;
import io.vigil.evaluator.service.InvalidRequestException;
import io.vigil.evaluator.service.Monitors;
import io.vigil.evaluator.service.Pages;
import io.vigil.evaluator.service.StatusPages;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The status pages' management pages: the list (with each page's public address), the create and edit forms and
 * deletion. A form becomes the JSON body the API takes and is read by the API's own code
 * ({@link StatusPageResource#spec}). Read-only users see the list only.
 */
@ConsoleForms
@Path("/status-pages")
@Produces(MediaType.TEXT_HTML)
public class StatusPagesPage {

    /** Why a read-only user is refused here. */
    private static final String READ_ONLY = "Read-only users cannot change status pages.";

    /** A status page in the list; {@code key} is what its edit page is found by (the slug, or the id for "new"). */
    public record PageRow(String slug, String key, String title, int monitors, List<String> tags) {
    }

    /** A monitor the form may list. */
    public record MonitorChoice(UUID id, String name, boolean checked) {
    }

    /** The create or edit form, filled in; {@code key} names the page edited (empty on a new one). */
    public record PageForm(String action, String key, String slug, String title, String description, List<MonitorChoice> monitors,
                           String tags) {

        public boolean editing() {
            return !key.isEmpty();
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(List<PageRow> pages, String next);

        static native TemplateInstance form(PageForm form, FieldMessages errors);
    }

    private static final Set<String> FIELDS = Set.of("slug", "title", "description", "monitors", "tags");
    private static final Function<String, String> LABEL = Labels::of;

    private final StatusPages pages;
    private final Monitors monitors;
    private final Caller caller;

    public StatusPagesPage(StatusPages pages, Monitors monitors, Caller caller) {
        this.pages = pages;
        this.monitors = monitors;
        this.caller = caller;
    }

    @GET
    public TemplateInstance list(@QueryParam("cursor") String cursor) {
        Pages.Page<StatusPage> page = pages.page(Pages.cursor(cursor), Pages.MAX_LIMIT);
        Set<UUID> existing = pages.existingMonitors(page.items());
        List<PageRow> rows = page.items().stream().map(status -> new PageRow(status.slug, key(status), status.title,
                (int) status.monitorIds.stream().filter(existing::contains).count(), List.copyOf(status.tags))).toList();
        return Templates.list(rows, page.nextCursor() == null ? "" : page.nextCursor());
    }

    @GET
    @Path("new")
    public TemplateInstance createForm() {
        caller.requireFull(READ_ONLY);
        return Templates.form(new PageForm("/status-pages", "", "", "", "", choices(Set.of()), ""), FieldMessages.none());
    }

    @POST
    public Response create() {
        caller.requireFull(READ_ONLY);
        PostedForm posted = PostedForm.current();
        try {
            pages.create(StatusPageResource.spec(body(posted)));
        } catch (InvalidRequestException e) {
            return refused(400, "", posted, e.getMessage(), e.errors());
        } catch (ConflictException e) {
            return refused(409, "", posted, e.getMessage(), e.errors());
        }
        return Response.seeOther(URI.create("/status-pages")).build();
    }

    @GET
    @Path("{key}")
    public TemplateInstance editForm(@PathParam("key") String key) {
        caller.requireFull(READ_ONLY);
        StatusPage page = pages.get(key);
        Set<UUID> existing = pages.existingMonitors(List.of(page));
        return Templates.form(new PageForm("/status-pages/" + key(page), key(page), page.slug, page.title,
                page.description == null ? "" : page.description,
                choices(page.monitorIds.stream().filter(existing::contains).collect(Collectors.toSet())),
                String.join(" ", page.tags)), FieldMessages.none());
    }

    @POST
    @Path("{key}")
    public Response replace(@PathParam("key") String key) {
        caller.requireFull(READ_ONLY);
        StatusPage page = pages.get(key);
        PostedForm posted = PostedForm.current();
        try {
            pages.replace(page.id.toString(), StatusPageResource.spec(body(posted)));
        } catch (InvalidRequestException e) {
            return refused(400, key(page), posted, e.getMessage(), e.errors());
        } catch (ConflictException e) {
            return refused(409, key(page), posted, e.getMessage(), e.errors());
        }
        return Response.seeOther(URI.create("/status-pages")).build();
    }

    @POST
    @Path("{key}/delete")
    public Response delete(@PathParam("key") String key) {
        caller.requireFull(READ_ONLY);
        pages.delete(key);
        return Response.seeOther(URI.create("/status-pages")).build();
    }

    /** The JSON body the API would be sent for this form. */
    private static ObjectNode body(PostedForm posted) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("slug", posted.text("slug"));
        body.put("title", posted.text("title"));
        if (!posted.text("description").isBlank()) {
            body.put("description", posted.text("description"));
        }
        ArrayNode listed = body.putArray("monitors");
        posted.all("monitors").forEach(listed::add);
        ArrayNode tags = body.putArray("tags");
        Arrays.stream(posted.text("tags").split("[\\s,]+")).filter(tag -> !tag.isEmpty()).forEach(tags::add);
        return body;
    }

    /** The form again, as it was posted, with the API's messages. */
    private Response refused(int status, String key, PostedForm posted, String detail, List<FieldError> errors) {
        Set<UUID> checked = new HashSet<>();
        for (String id : posted.all("monitors")) {
            try {
                checked.add(UUID.fromString(id));
            } catch (IllegalArgumentException e) {
                // not a monitor's id: nothing to tick, the message says why
            }
        }
        PageForm form = new PageForm(key.isEmpty() ? "/status-pages" : "/status-pages/" + key, key, posted.text("slug"),
                posted.text("title"), posted.text("description"), choices(checked), posted.text("tags"));
        return Response.status(status).entity(Templates.form(form, FieldMessages.of(detail, errors, FIELDS, LABEL))).build();
    }

    /** Every monitor by name, those in {@code checked} ticked. */
    private List<MonitorChoice> choices(Set<UUID> checked) {
        return monitors.all().stream().sorted(Comparator.comparing((Monitor monitor) -> monitor.name.toLowerCase(Locale.ROOT))
                        .thenComparing(monitor -> monitor.id))
                .map(monitor -> new MonitorChoice(monitor.id, monitor.name, checked.contains(monitor.id))).toList();
    }

    /** What the page's edit address is found by: its slug, or its id when the slug is "new" (the create form's address). */
    private static String key(StatusPage page) {
        return page.slug.equals("new") ? page.id.toString() : page.slug;
    }
}
