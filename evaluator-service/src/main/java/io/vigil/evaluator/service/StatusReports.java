package io.vigil.evaluator.service;

import io.vigil.contracts.Status;
import io.vigil.evaluator.Flip;
import io.vigil.evaluator.Monitor;
import io.vigil.evaluator.StatusPage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.jpa.HibernateHints;

/**
 * What a public status page shows, computed from the monitors' flips ({@link Uptime}): the overall status, each
 * monitor's status, uptime over 24 hours, 7, 30 and 90 days and its 90 UTC days, and the incidents of the last 90
 * days. Reads only names and statuses: no token, URL, channel or id of a monitor leaves here.
 */
@ApplicationScoped
public class StatusReports {

    /** How many UTC days the bar shows, today included. */
    public static final int DAYS = 90;
    /** At most this many incidents are listed, newest first. */
    public static final int MAX_INCIDENTS = 50;

    /** A status page's report as of {@code generatedAt}. */
    public record Report(String slug, String title, String description, Status status, Instant generatedAt,
                         List<MonitorReport> monitors, List<IncidentReport> incidents) {
    }

    /** One monitor's part; uptimes in percent, null without observed time. */
    public record MonitorReport(String name, Status status, Double uptime24h, Double uptime7d, Double uptime30d,
                                Double uptime90d, List<Uptime.Day> days) {
    }

    /** One DOWN period of a monitor: {@code id} is stable (the flip that started it). */
    public record IncidentReport(UUID id, String monitor, Instant startedAt, Instant endedAt, Duration duration) {
    }

    private final EntityManager entities;
    private final java.time.InstantSource clock;

    /** One monitor's last {@value #DAYS} days for the console: the day bar, and each month's uptime and downtime. */
    public record MonitorHistory(List<Uptime.Day> days, List<Month> months) {
    }

    /** A UTC calendar month, observed up to now (the oldest may be only partly within the {@value #DAYS} days). */
    public record Month(YearMonth month, Double uptime, Duration downtime) {
    }

    public StatusReports(EntityManager entities, java.time.InstantSource clock) {
        this.entities = entities;
        this.clock = clock;
    }

    /** The report of the page with this slug, or empty when there is none. */
    @Transactional
    public Optional<Report> report(String slug) {
        StatusPage page = StatusPage.findBySlug(slug);
        if (page == null) {
            return Optional.empty();
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Instant from = now.minus(Duration.ofDays(DAYS));
        List<Monitor> monitors = monitors(page);
        Map<UUID, List<Uptime.Change>> changes = changes(monitors, from);
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        List<MonitorReport> reports = new ArrayList<>();
        List<IncidentReport> incidents = new ArrayList<>();
        for (Monitor monitor : monitors) {
            Uptime uptime = Uptime.of(changes.getOrDefault(monitor.id, List.of()), monitor.createdAt, monitor.status, now);
            reports.add(new MonitorReport(monitor.name, monitor.status,
                    uptime.percent(now.minus(Duration.ofHours(24)), now), uptime.percent(now.minus(Duration.ofDays(7)), now),
                    uptime.percent(now.minus(Duration.ofDays(30)), now), uptime.percent(from, now),
                    uptime.days(today, DAYS)));
            for (Uptime.Incident incident : uptime.incidents(from)) {
                UUID id = incident.id() != null ? incident.id()
                        : UUID.nameUUIDFromBytes((monitor.id + "/" + incident.startedAt()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                incidents.add(new IncidentReport(id, monitor.name, incident.startedAt(), incident.endedAt(), incident.duration()));
            }
        }
        incidents.sort(Comparator.comparing(IncidentReport::startedAt).reversed());
        return Optional.of(new Report(page.slug, page.title, page.description, overall(monitors), now, reports,
                List.copyOf(incidents.subList(0, Math.min(MAX_INCIDENTS, incidents.size())))));
    }

    /** The day bar and the months of the last {@value #DAYS} days of one monitor (since its creation), newest month first. */
    @Transactional
    public MonitorHistory history(Monitor monitor) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Instant from = now.minus(Duration.ofDays(DAYS));
        Uptime uptime = Uptime.of(changes(List.of(monitor), from).getOrDefault(monitor.id, List.of()), monitor.createdAt,
                monitor.status, now);
        List<Month> months = new ArrayList<>();
        YearMonth first = YearMonth.from((monitor.createdAt.isAfter(from) ? monitor.createdAt : from).atOffset(ZoneOffset.UTC));
        for (YearMonth month = YearMonth.from(now.atOffset(ZoneOffset.UTC)); !month.isBefore(first); month = month.minusMonths(1)) {
            Instant start = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant end = month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant until = end.isAfter(now) ? now : end;
            months.add(new Month(month, uptime.percent(start, until), uptime.downtime(start, until)));
        }
        return new MonitorHistory(uptime.days(LocalDate.ofInstant(now, ZoneOffset.UTC), DAYS), months);
    }

    /** The worst current status: DOWN, then LATE, else UP (PAUSED, NEW and MAINTENANCE make nothing worse). */
    static Status overall(List<Monitor> monitors) {
        if (monitors.stream().anyMatch(m -> m.status == Status.DOWN)) {
            return Status.DOWN;
        }
        return monitors.stream().anyMatch(m -> m.status == Status.LATE) ? Status.LATE : Status.UP;
    }

    /** The page's monitors: the listed ones in their order, then those selected by a tag, by name. */
    @SuppressWarnings("unchecked")
    private List<Monitor> monitors(StatusPage page) {
        List<Monitor> found = entities.createNativeQuery("SELECT * FROM " + Monitor.BOTH_TABLES
                        + " WHERE id = ANY(CAST(:ids AS uuid[])) OR tags && CAST(:tags AS text[]) ORDER BY name, id", Monitor.class)
                .setParameter("ids", page.monitorIds.stream().map(UUID::toString).toArray(String[]::new))
                .setParameter("tags", page.tags.toArray(String[]::new))
                .setHint(HibernateHints.HINT_READ_ONLY, true)
                .getResultList();
        Map<UUID, Monitor> byId = new LinkedHashMap<>();
        found.forEach(m -> byId.put(m.id, m));
        List<Monitor> ordered = new ArrayList<>();
        for (UUID id : page.monitorIds) {
            Monitor listed = byId.remove(id);
            if (listed != null) {
                ordered.add(listed);
            }
        }
        ordered.addAll(byId.values());
        return ordered;
    }

    /** In one query: every flip of these monitors since {@code from}, and each one's last flip before it. */
    @SuppressWarnings("unchecked")
    private Map<UUID, List<Uptime.Change>> changes(List<Monitor> monitors, Instant from) {
        Map<UUID, List<Uptime.Change>> changes = new HashMap<>();
        if (monitors.isEmpty()) {
            return changes;
        }
        String[] ids = monitors.stream().map(m -> m.id.toString()).toArray(String[]::new);
        List<Flip> flips = entities.createNativeQuery("""
                        SELECT * FROM (
                            (SELECT * FROM flip WHERE monitor_id = ANY(CAST(:ids AS uuid[])) AND at >= :from)
                            UNION ALL
                            (SELECT DISTINCT ON (monitor_id) * FROM flip
                             WHERE monitor_id = ANY(CAST(:ids AS uuid[])) AND at < :from
                             ORDER BY monitor_id, at DESC, sequence DESC)
                        ) f ORDER BY monitor_id, at, sequence""", Flip.class)
                .setParameter("ids", ids)
                .setParameter("from", from)
                .setHint(HibernateHints.HINT_READ_ONLY, true)
                .getResultList();
        for (Flip flip : flips) {
            changes.computeIfAbsent(flip.monitorId, id -> new ArrayList<>())
                    .add(new Uptime.Change(flip.id, flip.at, flip.fromStatus, flip.toStatus));
        }
        return changes;
    }
}
