package io.vigil.evaluator.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vigil.contracts.Json;
import io.vigil.contracts.Status;
import io.vigil.evaluator.Channel;
import io.vigil.evaluator.Monitor;
import io.vigil.evaluator.Schedule;
import io.vigil.evaluator.rest.Caller;
import io.vigil.evaluator.rest.MonitorResource;
import io.vigil.evaluator.service.Channels;
import io.vigil.evaluator.service.FieldError;
import io.vigil.evaluator.service.InvalidRequestException;
import io.vigil.evaluator.service.MonitorSpec;
import io.vigil.evaluator.service.Monitors;
import io.vigil.evaluator.service.Pages;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The monitors list (the dashboard: counts, filters, search, refreshed in place every few seconds) and the form
 * that creates a monitor, with its preview of the next due times.
 */
@ConsoleForms
@Path("/monitors")
@Produces(MediaType.TEXT_HTML)
public class MonitorsPage {

    /** Why a read-only user is refused here. */
    private static final String READ_ONLY = "A read-only user cannot change monitors.";

    /** The form fields a monitor form shows; messages for others are listed above it. */
    static final Set<String> FORM_FIELDS = Set.of("name", "tags", "description", "scheduleType", "every", "expression",
            "timezone", "grace", "maxRuntime", "channels");

    private static final int SHOWN = 200;
    private static final int PREVIEWED = 5;
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_.:/-]{1,50}");

    /** What the list shows: the filters as given, the counts, and the matching monitors. */
    public record ListView(Filter filter, Monitors.Counts counts, List<String> tags, List<Monitor> monitors, String more,
                           int total) {

        /** Each status with its count, in the order the dashboard shows them. */
        public List<StatusCount> statuses() {
            return List.of(Status.DOWN, Status.LATE, Status.UP, Status.NEW, Status.PAUSED, Status.MAINTENANCE).stream()
                    .map(s -> new StatusCount(s.name(), s.name().toLowerCase(Locale.ROOT), counts.byStatus().getOrDefault(s, 0L)))
                    .toList();
        }
    }

    /** A status, its CSS class and how many monitors have it. */
    public record StatusCount(String name, String css, long count) {
    }

    /** The list's filters; {@link #query} rebuilds them for links and the live refresh. */
    public record Filter(String tag, String status, String q) {

        public String query() {
            return query(status);
        }

        /** These filters with another status (empty: any). */
        public String query(String withStatus) {
            List<String> parts = new ArrayList<>();
            if (!tag.isEmpty()) {
                parts.add("tag=" + encode(tag));
            }
            if (!withStatus.isEmpty()) {
                parts.add("status=" + encode(withStatus));
            }
            if (!q.isEmpty()) {
                parts.add("q=" + encode(q));
            }
            return String.join("&", parts);
        }

        public boolean any() {
            return !(tag.isEmpty() && status.isEmpty() && q.isEmpty());
        }
    }

    /** The next due times a schedule would give after a ping now, or why it cannot. */
    public record Preview(List<Instant> dues, String error) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(ListView view);

        static native TemplateInstance live(ListView view);

        static native TemplateInstance form(MonitorForm form, FieldMessages errors, List<Channel> channels, Preview preview, UUID id);

        static native TemplateInstance preview(Preview preview);
    }

    private final Monitors monitors;
    private final Channels channels;
    private final Caller caller;
    private final InstantSource clock;

    public MonitorsPage(Monitors monitors, Channels channels, Caller caller, InstantSource clock) {
        this.monitors = monitors;
        this.channels = channels;
        this.caller = caller;
        this.clock = clock;
    }

    @GET
    public TemplateInstance list(@QueryParam("tag") String tag, @QueryParam("status") String status,
                                 @QueryParam("q") String q, @QueryParam("cursor") String cursor,
                                 @HeaderParam("HX-Request") String htmx) {
        ListView view = view(new Filter(clean(tag, 50), clean(status, 20).toUpperCase(Locale.ROOT), clean(q, 100)), cursor);
        return htmx != null ? Templates.live(view) : Templates.list(view);
    }

    @GET
    @Path("/new")
    public TemplateInstance newForm() {
        caller.requireFull(READ_ONLY);
        MonitorForm form = new MonitorForm();
        return form(form, FieldMessages.none(), null);
    }

    @POST
    @Path("/new")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@BeanParam MonitorForm form) {
        caller.requireFull(READ_ONLY);
        try {
            Monitor monitor = monitors.create(spec(form.toNew()));
            return Response.seeOther(URI.create("/monitors/" + monitor.id + "?done=created")).build();
        } catch (InvalidRequestException e) {
            return Response.status(400).entity(form(form, errors(e), null)).build();
        }
    }

    /** The next due times of the schedule fields, as the form's live preview asks for them. */
    @GET
    @Path("/preview")
    public TemplateInstance previewPart(@QueryParam("scheduleType") String scheduleType, @QueryParam("every") String every,
                                        @QueryParam("expression") String expression, @QueryParam("timezone") String timezone) {
        MonitorForm form = new MonitorForm();
        form.scheduleType = clean(scheduleType, 20);
        form.every = clean(every, 100);
        form.expression = clean(expression, 200);
        form.timezone = clean(timezone, 100);
        return Templates.preview(preview(form));
    }

    /** The monitor form: a new monitor's when {@code id} is null, else the edit form of that monitor. */
    TemplateInstance form(MonitorForm form, FieldMessages errors, UUID id) {
        return Templates.form(form, errors, channels.page(null, Pages.MAX_LIMIT).items(), preview(form), id);
    }

    /** The spec of a form's document, refused like the API refuses it. */
    MonitorSpec spec(ObjectNode document) {
        MonitorSpec spec = MonitorResource.spec(document, clock.instant());
        if (!spec.errors().isEmpty()) {
            throw new InvalidRequestException("The monitor has " + spec.errors().size() + " invalid field"
                    + (spec.errors().size() == 1 ? "." : "s."), spec.errors());
        }
        return spec;
    }

    /** The API's messages beside the form's inputs ({@code schedule.every} is the input {@code every}). */
    static FieldMessages errors(InvalidRequestException e) {
        List<FieldError> named = e.errors().stream()
                .map(error -> new FieldError(MonitorForm.field(error.field()), error.message())).toList();
        return FieldMessages.of(e.getMessage(), named, FORM_FIELDS, MonitorsPage::label);
    }

    private static String label(String field) {
        return switch (field) {
            case "scheduleType" -> "Schedule";
            case "every" -> "Period";
            case "expression" -> "Cron expression";
            case "timezone" -> "Time zone";
            case "maxRuntime" -> "Longest run";
            default -> Labels.of(field);
        };
    }

    /** The next due times after a ping now (an interval counts from the ping, a cron schedule ticks). */
    Preview preview(MonitorForm form) {
        ObjectNode document = Json.mapper().createObjectNode();
        form.into(document);
        document.put("name", "preview");
        MonitorSpec spec = MonitorResource.spec(document, clock.instant());
        List<FieldError> scheduleErrors = spec.errors().stream().filter(e -> e.field().startsWith("schedule")).toList();
        if (spec.schedule() == null || !scheduleErrors.isEmpty()) {
            return new Preview(List.of(), scheduleErrors.isEmpty() ? "The schedule is not complete."
                    : scheduleErrors.stream().map(e -> e.message()).reduce((a, b) -> a + "; " + b).orElse(""));
        }
        Schedule schedule = spec.schedule();
        List<Instant> dues = new ArrayList<>();
        Instant at = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        for (int i = 0; i < PREVIEWED; i++) {
            at = schedule.nextDue(at);
            dues.add(at);
        }
        return new Preview(dues, null);
    }

    private ListView view(Filter filter, String cursor) {
        List<Status> statuses = new ArrayList<>();
        if (!filter.status().isEmpty()) {
            if (Arrays.stream(Status.values()).noneMatch(s -> s.name().equals(filter.status()))) {
                throw InvalidRequestException.of("status", "must be one of NEW, UP, LATE, DOWN, PAUSED, MAINTENANCE");
            }
            statuses.add(Status.valueOf(filter.status()));
        }
        List<String> tags = filter.tag().isEmpty() ? List.of() : List.of(filter.tag());
        if (!filter.tag().isEmpty() && !TAG.matcher(filter.tag()).matches()) {
            throw InvalidRequestException.of("tag", "is not a tag");
        }
        Pages.Page<Monitor> page = monitors.page(tags, statuses, filter.q().isEmpty() ? null : filter.q(),
                Pages.cursor(cursor), SHOWN);
        Monitors.Counts counts = monitors.counts();
        int total = counts.byStatus().values().stream().mapToInt(Long::intValue).sum();
        String more = page.nextCursor() == null ? null
                : "/monitors?" + (filter.any() ? filter.query() + "&" : "") + "cursor=" + encode(page.nextCursor());
        return new ListView(filter, counts, monitors.tags(), page.items(), more, total);
    }

    /** A query value without control characters, at most {@code max} long; absent is empty. */
    static String clean(String value, int max) {
        if (value == null) {
            return "";
        }
        String text = value.replaceAll("\\p{Cntrl}", "").trim();
        return text.length() > max ? text.substring(0, max) : text;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
