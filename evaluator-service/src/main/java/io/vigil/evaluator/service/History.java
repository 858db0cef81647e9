package io.vigil.evaluator.service;

import io.vigil.evaluator.Flip;
import io.vigil.evaluator.Monitor;
import io.vigil.evaluator.Notification;
import io.vigil.evaluator.NotificationAttempt;
import io.vigil.evaluator.PingRecord;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/** A monitor's history as the admin API serves it, newest first: flips, kept pings and notifications. */
@ApplicationScoped
public class History {

    /** A notification with its attempts, oldest attempt first. */
    public record NotificationWithAttempts(Notification notification, List<NotificationAttempt> attempts) {
    }

    /** Later than any stored time, and still a PostgreSQL timestamp. */
    private static final Instant END_OF_TIME = Instant.parse("9999-12-31T00:00:00Z");

    /**
     * One entry of a monitor's event log: exactly one of {@code ping}, {@code flip} and {@code notification} is set.
     */
    public record Event(Instant at, PingRecord ping, Flip flip, NotificationWithAttempts notification) {
    }

    /** A page of the event log and the {@code before} of the next page (null: this is the last). */
    public record EventPage(List<Event> events, Instant next) {
    }

    /**
     * The event log: pings, flips and notifications (each with its attempts) merged, newest first, those before
     * {@code before} (null: from now). A page holds {@code limit} entries, or more when several share the time of
     * its last one: the next page starts strictly before that time, so entries with equal times are not split (unless more than a page of one kind share a millisecond).
     */
    @Transactional
    public EventPage events(UUID monitorId, Instant before, int limit) {
        exists(monitorId);
        Instant until = before == null ? END_OF_TIME : before;
        List<Event> events = new ArrayList<>();
        PingRecord.<PingRecord>find("monitorId = ?1 and receivedAt < ?2 order by receivedAt desc, n desc", monitorId, until)
                .page(0, limit + 1).list().forEach(ping -> events.add(new Event(ping.receivedAt, ping, null, null)));
        Flip.<Flip>find("monitorId = ?1 and at < ?2 order by at desc, sequence desc", monitorId, until)
                .page(0, limit + 1).list().forEach(flip -> events.add(new Event(flip.at, null, flip, null)));
        List<Notification> notifications = Notification.<Notification>find(
                "monitorId = ?1 and createdAt < ?2 order by createdAt desc, id desc", monitorId, until).page(0, limit + 1).list();
        Map<UUID, List<NotificationAttempt>> attempts = NotificationAttempt
                .ofNotifications(notifications.stream().map(n -> n.id).toList()).stream()
                .collect(Collectors.groupingBy(attempt -> attempt.notificationId));
        notifications.forEach(n -> events.add(new Event(n.createdAt, null, null,
                new NotificationWithAttempts(n, attempts.getOrDefault(n.id, List.of())))));
        events.sort(Comparator.comparing(Event::at).reversed());
        if (events.size() <= limit) {
            return new EventPage(events, null);
        }
        Instant last = events.get(limit - 1).at();
        int end = limit;
        while (end < events.size() && events.get(end).at().equals(last)) {
            end++;
        }
        return new EventPage(List.copyOf(events.subList(0, end)), last);
    }

    /** Flips newest first, optionally only those at or after {@code since}. */
    @Transactional
    public Pages.Page<Flip> flips(UUID monitorId, Instant since, Pages.Cursor after, int limit) {
        exists(monitorId);
        StringBuilder where = new StringBuilder("monitorId = :monitor");
        Parameters parameters = Parameters.with("monitor", monitorId);
        if (since != null) {
            where.append(" and at >= :since");
            parameters.and("since", since);
        }
        if (after != null) {
            if (after.at() == null || after.n() == null) {
                throw InvalidRequestException.of("cursor", "is not a cursor from a previous page");
            }
            where.append(" and (at < :at or (at = :at and sequence < :sequence))");
            parameters.and("at", after.at()).and("sequence", after.n());
        }
        List<Flip> fetched = Flip.find(where + " order by at desc, sequence desc", parameters).page(0, limit + 1).list();
        return Pages.of(fetched, limit, flip -> Pages.Cursor.of(flip.at, flip.sequence));
    }

    /** Kept pings, newest first. */
    @Transactional
    public Pages.Page<PingRecord> pings(UUID monitorId, Pages.Cursor after, int limit) {
        exists(monitorId);
        List<PingRecord> fetched;
        if (after == null) {
            fetched = PingRecord.find("monitorId = ?1 order by n desc", monitorId).page(0, limit + 1).list();
        } else {
            if (after.n() == null || after.at() != null) {
                throw InvalidRequestException.of("cursor", "is not a cursor from a previous page");
            }
            fetched = PingRecord.find("monitorId = ?1 and n < ?2 order by n desc", monitorId, after.n()).page(0, limit + 1).list();
        }
        return Pages.of(fetched, limit, ping -> Pages.Cursor.ofN(ping.n));
    }

    /** Ping number {@code n}, while the history still keeps it. */
    @Transactional
    public PingRecord ping(UUID monitorId, long n) {
        exists(monitorId);
        PingRecord ping = PingRecord.findByNumber(monitorId, n);
        if (ping == null) {
            throw new NotFoundException("The monitor has no ping number " + n + " (the history keeps only the newest pings).");
        }
        return ping;
    }

    /** Notifications about the monitor, newest first, each with its attempts. */
    @Transactional
    public Pages.Page<NotificationWithAttempts> notifications(UUID monitorId, Pages.Cursor after, int limit) {
        exists(monitorId);
        List<Notification> fetched;
        if (after == null) {
            fetched = Notification.find("monitorId = ?1 order by createdAt desc, id desc", monitorId).page(0, limit + 1).list();
        } else {
            if (after.at() == null || after.id() == null) {
                throw InvalidRequestException.of("cursor", "is not a cursor from a previous page");
            }
            fetched = Notification.find("monitorId = ?1 and (createdAt < ?2 or (createdAt = ?2 and id < ?3))"
                    + " order by createdAt desc, id desc", monitorId, after.at(), after.id()).page(0, limit + 1).list();
        }
        Pages.Page<Notification> page = Pages.of(fetched, limit, n -> Pages.Cursor.of(n.createdAt, n.id));
        Map<UUID, List<NotificationAttempt>> attempts = NotificationAttempt
                .ofNotifications(page.items().stream().map(n -> n.id).toList()).stream()
                .collect(Collectors.groupingBy(attempt -> attempt.notificationId));
        return page.map(n -> new NotificationWithAttempts(n, attempts.getOrDefault(n.id, List.of())));
    }

    private static void exists(UUID monitorId) {
        if (Monitor.count("id", monitorId) == 0) {
            throw new NotFoundException("No monitor with id " + monitorId + ".");
        }
    }
}
