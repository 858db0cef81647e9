package io.vigil.evaluator.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.contracts.Json;
import io.vigil.evaluator.Durations;
import io.vigil.evaluator.Maintenance;
import io.vigil.evaluator.Monitor;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A monitor as the admin API shows it (API.md section 3): writable fields first, then the server's.
 * {@code token}, {@code pingUrl}, {@code badgeUrl} and {@code tagBadgeUrls} are left out for read-only keys.
 */
@JsonPropertyOrder({"name", "slug", "description", "tags", "schedule", "grace", "maxRuntime", "channels", "dependsOn",
        "maintenance", "failureThreshold", "recoveryThreshold", "minRuntime", "minInterval", "manualResume", "token",
        "id", "status", "running", "lastPingAt", "nextDueAt", "nextMaintenance", "lastDuration", "pingCount",
        "consecutiveFailures", "consecutiveSuccesses", "pausedUntil", "error", "pingUrl",
        "badgeUrl", "tagBadgeUrls", "createdAt", "updatedAt"})
@JsonInclude(JsonInclude.Include.ALWAYS)
public record MonitorJson(
        String name,
        String slug,
        String description,
        List<String> tags,
        ScheduleJson schedule,
        String grace,
        String maxRuntime,
        List<UUID> channels,
        List<UUID> dependsOn,
        JsonNode maintenance,
        int failureThreshold,
        int recoveryThreshold,
        String minRuntime,
        String minInterval,
        boolean manualResume,
        @JsonInclude(JsonInclude.Include.NON_NULL) String token,
        UUID id,
        String status,
        boolean running,
        String lastPingAt,
        String nextDueAt,
        SpanJson nextMaintenance,
        String lastDuration,
        long pingCount,
        int consecutiveFailures,
        int consecutiveSuccesses,
        String pausedUntil,
        ErrorJson error,
        @JsonInclude(JsonInclude.Include.NON_NULL) String pingUrl,
        @JsonInclude(JsonInclude.Include.NON_NULL) String badgeUrl,
        @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, String> tagBadgeUrls,
        String createdAt,
        String updatedAt) {

    /** {@code {"type":"interval","every":"PT5M"}} or {@code {"type":"cron","expression":"0 3 * * *","timezone":"Europe/Oslo"}}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"type", "every", "expression", "timezone"})
    public record ScheduleJson(String type, String every, String expression, String timezone) {
    }

    /** The maintenance in force or the next one: {@code {"start":"...","end":"..."}} (windows that touch are one). */
    @JsonPropertyOrder({"start", "end"})
    public record SpanJson(String start, String end) {

        static SpanJson of(Maintenance.Span span) {
            return span == null ? null : new SpanJson(Times.format(span.start()), Times.format(span.end()));
        }
    }

    /**
     * Why the engine cannot evaluate the monitor and since when, or null while it can: its pings are kept and
     * applied once a change to the monitor (PUT or PATCH) fixes it.
     */
    @JsonPropertyOrder({"message", "since"})
    public record ErrorJson(String message, String since) {
    }

    /** The ping URL of a token under the public base URL. */
    public static String pingUrl(String publicUrl, String token) {
        return trimSlash(publicUrl) + "/ping/" + token;
    }

    /** The SVG badge URL of a monitor, by its badge id (the shields.io endpoint is the same with {@code .json}). */
    static String badgeUrl(String adminUrl, String badgeId) {
        return trimSlash(adminUrl) + "/badge/" + badgeId + ".svg";
    }

    /** The SVG badge URL of a tag, by the tag's badge id. */
    static String tagBadgeUrl(String adminUrl, String badgeId) {
        return trimSlash(adminUrl) + "/badge/tag/" + badgeId + ".svg";
    }

    /**
     * The monitor's JSON at {@code now} (for {@code nextMaintenance}); {@code tagBadgeIds} holds the badge ids of (at
     * least) its tags when {@code full}.
     */
    static MonitorJson of(Monitor monitor, boolean full, String publicUrl, String adminUrl, Map<String, String> tagBadgeIds,
                          Instant now) {
        Map<String, String> tagBadges = null;
        if (full) {
            tagBadges = new LinkedHashMap<>();
            for (String tag : monitor.tags) {
                String id = tagBadgeIds.get(tag);
                if (id != null) {
                    tagBadges.put(tag, tagBadgeUrl(adminUrl, id));
                }
            }
        }
        Maintenance maintenance = Maintenance.of(monitor);
        ScheduleJson schedule = "cron".equals(monitor.scheduleType)
                ? new ScheduleJson("cron", null, monitor.cronExpression, monitor.timezone)
                : new ScheduleJson("interval", monitor.everyMs == null ? null : Durations.format(Duration.ofMillis(monitor.everyMs)), null, null);
        return new MonitorJson(monitor.name, monitor.slug, monitor.description, List.copyOf(monitor.tags), schedule,
                Durations.format(Duration.ofMillis(monitor.graceMs)),
                monitor.maxRuntimeMs == null ? null : Durations.format(Duration.ofMillis(monitor.maxRuntimeMs)),
                List.copyOf(monitor.channelIds), List.copyOf(monitor.dependsOn),
                maintenance.isEmpty() ? Json.mapper().createArrayNode()
                        : readTree(maintenance.toJson()),
                monitor.failureThreshold, monitor.recoveryThreshold,
                millis(monitor.minRuntimeMs), millis(monitor.minIntervalMs), monitor.manualResume,
                full ? monitor.token : null,
                monitor.id, monitor.status.name(), monitor.running, Times.format(monitor.lastPingAt),
                Times.format(monitor.dueAt), monitor.system ? null : SpanJson.of(maintenance.currentOrNext(now)),
                monitor.lastDurationMs == null ? null : Durations.format(Duration.ofMillis(monitor.lastDurationMs)),
                monitor.pingCount, monitor.consecutiveFailures, monitor.consecutiveSuccesses, Times.format(monitor.pausedUntil),
                monitor.errorText == null ? null : new ErrorJson(monitor.errorText, Times.format(monitor.errorAt)),
                full ? pingUrl(publicUrl, monitor.token) : null,
                full ? badgeUrl(adminUrl, monitor.badgeId) : null, tagBadges,
                Times.format(monitor.createdAt), Times.format(monitor.updatedAt));
    }

    private static String millis(Long ms) {
        return ms == null ? null : Durations.format(Duration.ofMillis(ms));
    }

    private static JsonNode readTree(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
