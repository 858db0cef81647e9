package io.vigil.evaluator.rest;

import io.vigil.contracts.Status;
import io.vigil.evaluator.Monitor;
import io.vigil.evaluator.service.Monitors;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /api/v1/metrics}: every monitor's state in the Prometheus text format, for a scrape job
 * (a read-only key is enough), like Healthchecks' Prometheus export.
 */
@Path("/api/v1/metrics")
@Tag(name = "Prometheus export")
@SecurityRequirement(name = MonitorResource.BEARER)
@SecurityRequirement(name = MonitorResource.API_KEY)
public class MetricsResource {

    /** The Prometheus text exposition format. */
    static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";

    private final Monitors monitors;

    public MetricsResource(Monitors monitors) {
        this.monitors = monitors;
    }

    @GET
    @Produces(TEXT_FORMAT)
    @Operation(summary = "Monitor states for Prometheus", description = "vigil_monitor_up, vigil_monitor_status and "
            + "vigil_monitor_last_ping_timestamp_seconds labelled by name, slug and tags (space-separated), plus totals.")
    @APIResponse(responseCode = "200", description = "Prometheus text format", content = @Content(mediaType = "text/plain",
            examples = @ExampleObject(name = "export", value = "vigil_monitor_up{name=\"nightly-backup\",slug=\"nightly-backup\",tags=\"db prod\"} 1\n")))
    public String metrics() {
        List<Monitor> all = monitors.all();
        StringBuilder out = new StringBuilder(256 + all.size() * 400);
        header(out, "vigil_monitor_up", "1 when the monitor is not DOWN, 0 when it is DOWN.");
        for (Monitor monitor : all) {
            out.append("vigil_monitor_up").append(labels(monitor, null)).append(' ')
                    .append(monitor.status == Status.DOWN ? 0 : 1).append('\n');
        }
        header(out, "vigil_monitor_status", "1 for the monitor's current status (NEW, UP, LATE, DOWN, PAUSED, MAINTENANCE), 0 for the others.");
        for (Monitor monitor : all) {
            for (Status status : Status.values()) {
                out.append("vigil_monitor_status").append(labels(monitor, status)).append(' ')
                        .append(monitor.status == status ? 1 : 0).append('\n');
            }
        }
        header(out, "vigil_monitor_running", "1 while a run the monitor was told about (a start) has not finished.");
        for (Monitor monitor : all) {
            out.append("vigil_monitor_running").append(labels(monitor, null)).append(' ').append(monitor.running ? 1 : 0).append('\n');
        }
        header(out, "vigil_monitor_last_ping_timestamp_seconds", "When the newest ping was received, in Unix seconds (0: never).");
        for (Monitor monitor : all) {
            double seconds = monitor.lastPingAt == null ? 0 : monitor.lastPingAt.toEpochMilli() / 1000.0;
            out.append("vigil_monitor_last_ping_timestamp_seconds").append(labels(monitor, null)).append(' ')
                    .append(String.format(java.util.Locale.ROOT, "%.3f", seconds)).append('\n');
        }
        Map<Status, Integer> byStatus = new EnumMap<>(Status.class);
        Map<String, boolean[]> tags = new TreeMap<>();
        for (Monitor monitor : all) {
            byStatus.merge(monitor.status, 1, Integer::sum);
            for (String tag : monitor.tags) {
                tags.computeIfAbsent(tag, t -> new boolean[] {true})[0] &= monitor.status != Status.DOWN;
            }
        }
        header(out, "vigil_monitors_total", "How many monitors there are.");
        out.append("vigil_monitors_total ").append(all.size()).append('\n');
        header(out, "vigil_monitors_down_total", "How many monitors are DOWN.");
        out.append("vigil_monitors_down_total ").append(byStatus.getOrDefault(Status.DOWN, 0)).append('\n');
        header(out, "vigil_monitors_by_status", "How many monitors are in each status.");
        for (Status status : Status.values()) {
            out.append("vigil_monitors_by_status{status=\"").append(status.name()).append("\"} ")
                    .append(byStatus.getOrDefault(status, 0)).append('\n');
        }
        header(out, "vigil_tag_up", "1 when no monitor with the tag is DOWN.");
        tags.forEach((tag, up) -> out.append("vigil_tag_up{tag=\"").append(escape(tag)).append("\"} ").append(up[0] ? 1 : 0).append('\n'));
        return out.toString();
    }

    private static void header(StringBuilder out, String name, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" gauge\n");
    }

    private static String labels(Monitor monitor, Status status) {
        StringBuilder labels = new StringBuilder("{name=\"").append(escape(monitor.name))
                .append("\",slug=\"").append(escape(monitor.slug))
                .append("\",tags=\"").append(escape(String.join(" ", monitor.tags.stream().sorted().toList()))).append('"');
        if (status != null) {
            labels.append(",status=\"").append(status.name()).append('"');
        }
        return labels.append('}').toString();
    }

    /** Label values escape backslash, double quote and line feed. */
    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
