package io.vigil.evaluator.web.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.vigil.contracts.Status;
import io.vigil.evaluator.Durations;
import io.vigil.evaluator.rest.Times;
import io.vigil.evaluator.service.StatusReports;
import io.vigil.evaluator.service.Uptime;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * How a status page's report is shown: the JSON of {@code /status/{slug}.json}, the view of the HTML page and the
 * Atom feed's entries. Statuses are the API's upper-case names; uptime in percent with 4 decimals (null: no observed
 * time); durations ISO-8601; times ISO-8601 UTC with milliseconds.
 */
public final class StatusViews {

    private static final DateTimeFormatter READABLE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private StatusViews() {
    }

    // --- JSON ---

    /** {@code /status/{slug}.json}. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"title", "description", "status", "generatedAt", "monitors", "incidents"})
    public record PageJson(String title, String description, String status, String generatedAt, List<MonitorJson> monitors,
                    List<IncidentJson> incidents) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"name", "status", "uptime", "days"})
    public record MonitorJson(String name, String status, UptimeJson uptime, List<DayJson> days) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"24h", "7d", "30d", "90d"})
    public record UptimeJson(@JsonProperty("24h") Double day, @JsonProperty("7d") Double week, @JsonProperty("30d") Double month,
                      @JsonProperty("90d") Double quarter) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"date", "status", "uptime"})
    public record DayJson(String date, String status, Double uptime) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"monitor", "startedAt", "endedAt", "duration"})
    public record IncidentJson(String monitor, String startedAt, String endedAt, String duration) {
    }

    static PageJson json(StatusReports.Report report) {
        return new PageJson(report.title(), report.description(), report.status().name(), Times.format(report.generatedAt()),
                report.monitors().stream().map(m -> new MonitorJson(m.name(), m.status().name(),
                        new UptimeJson(rounded(m.uptime24h()), rounded(m.uptime7d()), rounded(m.uptime30d()), rounded(m.uptime90d())),
                        m.days().stream().map(d -> new DayJson(d.date().toString(), d.status() == null ? null : d.status().name(),
                                rounded(d.uptime()))).toList())).toList(),
                report.incidents().stream().map(i -> new IncidentJson(i.monitor(), Times.format(i.startedAt()),
                        Times.format(i.endedAt()), iso(i.duration()))).toList());
    }

    /** Percent with 4 decimals, half up. */
    static Double rounded(Double percent) {
        return percent == null ? null : BigDecimal.valueOf(percent).setScale(4, RoundingMode.HALF_UP).doubleValue();
    }

    static String iso(Duration duration) {
        return Durations.format(duration.truncatedTo(ChronoUnit.MILLIS));
    }

    // --- HTML ---

    /** The HTML page: {@code state} is up, late or down (the banner's class). */
    public record PageView(String slug, String title, String description, String state, String banner, Time generatedAt,
                    List<MonitorView> monitors, List<IncidentView> incidents) {
    }

    /** A monitor: its status as a class ({@code state}) and a word ({@code label}). */
    public record MonitorView(String name, String state, String label, List<UptimeView> uptime, List<DayView> days) {
    }

    public record UptimeView(String period, String value) {
    }

    /** A cell of the day bar: {@code text} is its tooltip and its accessible text. */
    public record DayView(String date, String state, String text) {
    }

    public record IncidentView(String monitor, Time startedAt, Time endedAt, String duration, String durationIso) {
    }

    /** A time as {@code <time datetime="iso">readable</time>} shows it. */
    public record Time(String iso, String readable) {

        static Time of(Instant at) {
            return at == null ? null : new Time(Times.format(at), READABLE.format(at));
        }
    }

    static PageView page(StatusReports.Report report) {
        return new PageView(report.slug(), report.title(), report.description(), state(report.status()),
                banner(report.status()), Time.of(report.generatedAt()),
                report.monitors().stream().map(StatusViews::monitor).toList(),
                report.incidents().stream().map(i -> new IncidentView(i.monitor(), Time.of(i.startedAt()), Time.of(i.endedAt()),
                        human(i.duration()), iso(i.duration()))).toList());
    }

    static String banner(Status status) {
        return switch (status) {
            case DOWN -> "Major outage";
            case LATE -> "Degraded";
            default -> "All systems operational";
        };
    }

    private static MonitorView monitor(StatusReports.MonitorReport m) {
        return new MonitorView(m.name(), state(m.status()), label(m.status()),
                List.of(new UptimeView("24 hours", shown(m.uptime24h())), new UptimeView("7 days", shown(m.uptime7d())),
                        new UptimeView("30 days", shown(m.uptime30d())), new UptimeView("90 days", shown(m.uptime90d()))),
                m.days().stream().map(StatusViews::day).toList());
    }

    private static DayView day(Uptime.Day day) {
        String date = day.date().toString();
        if (day.status() == null) {
            return new DayView(date, "nodata", date + ": no data");
        }
        String uptime = day.uptime() == null ? "no uptime measured (" + label(day.status()).toLowerCase(Locale.ROOT) + ")"
                : shown(day.uptime()) + " uptime";
        String down = day.downtime().isZero() ? "no downtime" : "down " + human(day.downtime());
        return new DayView(date, state(day.status()), date + ": " + uptime + ", " + down);
    }

    /** The status as a CSS class suffix: up, late, down, paused, new, maintenance. */
    static String state(Status status) {
        return status.name().toLowerCase(Locale.ROOT);
    }

    static String label(Status status) {
        return switch (status) {
            case UP -> "Operational";
            case LATE -> "Degraded";
            case DOWN -> "Down";
            case PAUSED -> "Paused";
            case NEW -> "No data yet";
            case MAINTENANCE -> "Maintenance";
        };
    }

    /** Percent for people: 2 decimals, cut (never rounded up to 100.00%). */
    static String shown(Double percent) {
        return percent == null ? "no data" : BigDecimal.valueOf(percent).setScale(2, RoundingMode.DOWN).toPlainString() + "%";
    }

    /** A duration for people: {@code 2d 3h}, {@code 3h 4m}, {@code 5m 10s}, {@code 45s}. */
    static String human(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds >= 86_400) {
            return seconds / 86_400 + "d " + seconds % 86_400 / 3_600 + "h";
        }
        if (seconds >= 3_600) {
            return seconds / 3_600 + "h " + seconds % 3_600 / 60 + "m";
        }
        if (seconds >= 60) {
            return seconds / 60 + "m " + seconds % 60 + "s";
        }
        return seconds + "s";
    }

    // --- Atom ---

    /** The Atom feed: {@code id} a stable URN of the page, {@code updated} the newest entry's or now. */
    public record FeedView(String slug, String title, String id, String updated, List<EntryView> entries) {
    }

    /** One incident: {@code id} urn:uuid of the flip that started it; updated its end, or its start while ongoing. */
    public record EntryView(String id, String title, String published, String updated, String summary) {
    }

    static FeedView feed(StatusReports.Report report) {
        List<EntryView> entries = report.incidents().stream().map(i -> new EntryView("urn:uuid:" + i.id(),
                i.endedAt() == null ? i.monitor() + " is down" : i.monitor() + " was down for " + human(i.duration()),
                Times.format(i.startedAt()), Times.format(i.endedAt() == null ? i.startedAt() : i.endedAt()),
                i.endedAt() == null ? i.monitor() + " has been down since " + Times.format(i.startedAt()) + " (ongoing)."
                        : i.monitor() + " was down from " + Times.format(i.startedAt()) + " to " + Times.format(i.endedAt())
                        + " (" + human(i.duration()) + ").")).toList();
        String updated = entries.stream().map(EntryView::updated).max(String::compareTo)
                .orElse(Times.format(report.generatedAt()));
        String id = "urn:uuid:" + java.util.UUID.nameUUIDFromBytes(("vigil-status-page:" + report.slug())
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return new FeedView(report.slug(), report.title(), id, updated, entries);
    }
}
