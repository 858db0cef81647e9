package io.vigil.evaluator.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.vigil.evaluator.Channel;
import io.vigil.evaluator.Flip;
import io.vigil.evaluator.Monitor;
import io.vigil.evaluator.PingRecord;
import io.vigil.evaluator.config.AdminApiConfig;
import io.vigil.evaluator.rest.Caller;
import io.vigil.evaluator.rest.MonitorJson;
import io.vigil.evaluator.rest.MonitorResource;
import io.vigil.evaluator.service.History;
import io.vigil.evaluator.service.InvalidRequestException;
import io.vigil.evaluator.service.Monitors;
import io.vigil.evaluator.service.StatusReports;
import io.vigil.evaluator.service.Uptime;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * One monitor: its status and why, its ping URL with examples (full users only), the actions, the merged event log
 * and the last 90 days; its edit form and one ping's body.
 */
@ConsoleForms
@Path("/monitors/{id: [0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}}")
@Produces(MediaType.TEXT_HTML)
public class MonitorPage {

    /** Why a read-only user is refused here. */
    private static final String READ_ONLY = "A read-only user cannot change monitors.";

    private static final int EVENTS = 50;

    /** Notices a redirect after an action asks the page to show; unknown ones show nothing. */
    private static final Map<String, String> DONE = Map.of(
            "created", "Monitor created. Call its ping URL at the end of each run.",
            "saved", "Changes saved.",
            "paused", "Paused: pings are still recorded, but nothing alerts until you resume.",
            "resumed", "Resumed: the monitor waits for its next ping.",
            "rotated", "New ping URL made; the old one no longer works. Update your jobs.",
            "pinged", "Test ping sent. It appears in the event log in a moment.");

    /** The monitor and what its page says about it. */
    public record View(Monitor monitor, String why, String pingUrl, Examples examples, List<Channel> channels,
                       String notice, String problem) {
    }

    /** How to call the ping URL from a job, Kener and Uptime Kuma. */
    public record Examples(String curl, String crontab, String fail, String kener, String kuma) {
    }

    /** A page of the event log, with the channel names its notifications need. */
    public record Events(List<History.Event> items, String older, Map<UUID, String> channelNames) {

        public String channel(UUID id) {
            return channelNames.getOrDefault(id, "deleted channel");
        }
    }

    /** The 90-day bar and the months, newest first. */
    public record Days(List<Uptime.Day> days, List<StatusReports.Month> months) {
    }

    /** One kept ping and its body as text. */
    public record PingView(Monitor monitor, PingRecord ping, String body, boolean truncated) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance monitor(View view, Events events, Days history);

        static native TemplateInstance status(View view);

        static native TemplateInstance ping(PingView view);
    }

    private final Monitors monitors;
    private final History history;
    private final StatusReports reports;
    private final MonitorsPage forms;
    private final AdminApiConfig config;
    private final Caller caller;
    private final PingApi pings;
    private final InstantSource clock;

    public MonitorPage(Monitors monitors, History history, StatusReports reports, MonitorsPage forms,
                       AdminApiConfig config, Caller caller, InstantSource clock) {
        this.clock = clock;
        this.monitors = monitors;
        this.history = history;
        this.reports = reports;
        this.forms = forms;
        this.config = config;
        this.caller = caller;
        this.pings = QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(config.publicUrl()))
                .connectTimeout(5, TimeUnit.SECONDS)
                .readTimeout(10, TimeUnit.SECONDS)
                .build(PingApi.class);
    }

    @GET
    public TemplateInstance page(@PathParam("id") UUID id, @QueryParam("before") String before, @QueryParam("done") String done) {
        return page(id, before, done == null ? null : DONE.get(done), null);
    }

    /** The status part alone, for the live refresh. */
    @GET
    @Path("/live")
    public TemplateInstance live(@PathParam("id") UUID id) {
        return Templates.status(view(monitors.get(id), null, null));
    }

    @GET
    @Path("/edit")
    public TemplateInstance editForm(@PathParam("id") UUID id) {
        caller.requireFull(READ_ONLY);
        return forms.form(MonitorForm.of(monitors.get(id)), FieldMessages.none(), id);
    }

    @POST
    @Path("/edit")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response edit(@PathParam("id") UUID id, @BeanParam MonitorForm form) {
        caller.requireFull(READ_ONLY);
        Monitor monitor = monitors.get(id);
        ObjectNode document = MonitorResource.writable(monitor, clock.instant());
        try {
            monitors.replace(id, forms.spec(form.into(document)));
            return done(id, "saved");
        } catch (InvalidRequestException e) {
            return Response.status(400).entity(forms.form(form, MonitorsPage.errors(e), id)).build();
        }
    }

    @POST
    @Path("/pause")
    public Response pause(@PathParam("id") UUID id) {
        caller.requireFull(READ_ONLY);
        monitors.pause(id, null);
        return done(id, "paused");
    }

    @POST
    @Path("/resume")
    public Response resume(@PathParam("id") UUID id) {
        caller.requireFull(READ_ONLY);
        monitors.resume(id);
        return done(id, "resumed");
    }

    @POST
    @Path("/rotate-token")
    public Response rotateToken(@PathParam("id") UUID id) {
        caller.requireFull(READ_ONLY);
        monitors.rotateToken(id);
        return done(id, "rotated");
    }

    @POST
    @Path("/delete")
    public Response delete(@PathParam("id") UUID id) {
        caller.requireFull(READ_ONLY);
        monitors.delete(id);
        return Response.seeOther(URI.create("/monitors")).build();
    }

    /** A real ping through the public ping URL, so the whole path (ingest, broker, engine) is tried. */
    @POST
    @Path("/test-ping")
    public Response testPing(@PathParam("id") UUID id) {
        caller.requireFull(READ_ONLY);
        Monitor monitor = monitors.get(id);
        String user = caller.user().map(u -> u.username()).orElse("?");
        String problem;
        try (Response answer = pings.ping(monitor.token, "Vigil console test ping",
                "Test ping sent from the Vigil console by " + user + ".")) {
            if (answer.getStatus() == 200) {
                return done(id, "pinged");
            }
            problem = "The ping URL answered " + answer.getStatus() + ": " + answer.readEntity(String.class).strip();
        } catch (ProcessingException | jakarta.ws.rs.WebApplicationException e) {
            problem = "The ping URL " + config.publicUrl() + " could not be reached from the evaluator ("
                    + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage())
                    + "). Check VIGIL_PUBLIC_URL.";
        }
        return Response.status(502).entity(page(id, null, null, problem)).build();
    }

    @GET
    @Path("/pings/{n}")
    public TemplateInstance ping(@PathParam("id") UUID id, @PathParam("n") long n) {
        Monitor monitor = monitors.get(id);
        PingRecord ping = history.ping(id, n);
        String body = ping.body == null ? "" : new String(ping.body, StandardCharsets.UTF_8);
        return Templates.ping(new PingView(monitor, ping, body, ping.body != null && ping.bodySize > ping.body.length));
    }

    private TemplateInstance page(UUID id, String before, String notice, String problem) {
        Monitor monitor = monitors.get(id);
        Instant cursor = null;
        if (before != null && !before.isBlank()) {
            try {
                cursor = Instant.parse(before);
            } catch (DateTimeParseException e) {
                throw InvalidRequestException.of("before", "is not a time from an \"Older events\" link");
            }
        }
        History.EventPage page = history.events(id, cursor, EVENTS);
        Map<UUID, String> names = new HashMap<>();
        List<UUID> notified = page.events().stream().filter(e -> e.notification() != null)
                .map(e -> e.notification().notification().channelId).distinct().toList();
        if (!notified.isEmpty()) {
            Channel.<Channel>list("id in ?1", notified).forEach(channel -> names.put(channel.id, channel.name));
        }
        Events events = new Events(page.events(), page.next() == null ? null
                : "/monitors/" + id + "?before=" + page.next() + "#events", names);
        StatusReports.MonitorHistory days = reports.history(monitor);
        return Templates.monitor(view(monitor, notice, problem), events, new Days(days.days(), days.months()));
    }

    private View view(Monitor monitor, String notice, String problem) {
        String pingUrl = null;
        Examples examples = null;
        if (caller.full()) {
            String base = trimSlash(config.publicUrl());
            pingUrl = MonitorJson.pingUrl(base, monitor.token);
            String curl = "curl -fsS -m 10 --retry 5 -o /dev/null " + pingUrl;
            String when = "cron".equals(monitor.scheduleType) ? monitor.cronExpression : "0 3 * * *";
            examples = new Examples(curl, when + " /usr/local/bin/backup.sh && " + curl,
                    "/usr/local/bin/backup.sh; curl -fsS -m 10 --retry 5 -o /dev/null " + pingUrl + "/$?",
                    base + "/ext/heartbeat/" + monitor.slug + ":" + monitor.token,
                    base + "/api/push/" + monitor.token + "?status=up&msg=OK&ping=");
        }
        List<Channel> channels = monitor.channelIds.isEmpty() ? List.of()
                : Channel.<Channel>list("id in ?1 order by name", monitor.channelIds);
        return new View(monitor, why(monitor), pingUrl, examples, channels, notice, problem);
    }

    /** Why the monitor has its status, in a sentence. */
    private static String why(Monitor monitor) {
        if (monitor.errorText != null) {
            return "Vigil cannot evaluate this monitor: " + monitor.errorText + " Edit it to fix this; its pings are kept.";
        }
        List<Flip> last = Flip.newestFirst(monitor.id, 1);
        String reason = last.isEmpty() ? null : last.get(0).reasonText;
        return switch (monitor.status) {
            case NEW -> "Waiting for the first ping. Nothing is due until it arrives.";
            case UP -> monitor.running ? "A run is in progress." : "The last check-in arrived on time.";
            case LATE -> "The check-in is overdue; it goes DOWN when the grace of "
                    + ConsoleExtensions.human(Duration.ofMillis(monitor.graceMs)) + " runs out.";
            case DOWN -> reason != null ? reason : "The monitor is DOWN.";
            case PAUSED -> monitor.pausedUntil != null ? "Paused until " + ConsoleExtensions.utc(monitor.pausedUntil) + "."
                    : "Paused: pings are recorded, nothing alerts until it is resumed.";
            case MAINTENANCE -> "In a maintenance window: no deadline fires and failures change nothing.";
        };
    }

    private static Response done(UUID id, String notice) {
        return Response.seeOther(URI.create("/monitors/" + id + "?done=" + notice)).build();
    }

    private static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
