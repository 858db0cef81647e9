package io.vigil.evaluator.service;

import io.vigil.contracts.Status;
import io.vigil.evaluator.Monitor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What badges show: a monitor's status, or a tag's (DOWN if any of its monitors is DOWN, else LATE if
 * any is LATE, else UP if any is UP, else NEW, else PAUSED). Badges need no API key: each monitor and each
 * tag has a badge id of its own (160 random bits), so one badge URL tells nothing about any other, and a
 * monitor's can be rotated.
 */
@ApplicationScoped
public class Badges {

    /** A badge's subject and status. */
    public record Badge(String label, Status status) {
    }

    private final EntityManager entities;

    public Badges(EntityManager entities) {
        this.entities = entities;
    }

    @Transactional
    public Optional<Badge> monitor(String badgeId) {
        Monitor monitor = Monitor.find("badgeId", badgeId).firstResult();
        return monitor == null ? Optional.empty() : Optional.of(new Badge(monitor.name, monitor.status));
    }

    @Transactional
    public Optional<Badge> tag(String badgeId) {
        @SuppressWarnings("unchecked")
        List<String> tags = entities.createNativeQuery("SELECT tag FROM tag_badge WHERE badge_id = :id", String.class)
                .setParameter("id", badgeId).getResultList();
        if (tags.isEmpty()) {
            return Optional.empty();
        }
        String tag = tags.get(0);
        @SuppressWarnings("unchecked")
        List<String> statuses = entities.createNativeQuery(
                        "SELECT DISTINCT status FROM " + Monitor.BOTH_TABLES + " WHERE CAST(:tag AS text) = ANY(tags)")
                .setParameter("tag", tag).getResultList();
        for (Status worst : List.of(Status.DOWN, Status.LATE, Status.MAINTENANCE, Status.UP, Status.NEW,
                Status.PAUSED)) {
            if (statuses.contains(worst.name())) {
                return Optional.of(new Badge(tag, worst));
            }
        }
        return Optional.empty();
    }

    /** Makes a badge id for each of these tags that has none yet (in the caller's transaction). */
    void ensureTags(Collection<String> tags) {
        for (String tag : tags) {
            entities.createNativeQuery("INSERT INTO tag_badge (tag, badge_id) VALUES (:tag, :id) ON CONFLICT (tag) DO NOTHING")
                    .setParameter("tag", tag).setParameter("id", Monitor.newBadgeId()).executeUpdate();
        }
    }

    /** The badge ids of these tags, by tag. */
    @Transactional
    public Map<String, String> tagBadgeIds(Collection<String> tags) {
        Map<String, String> ids = new HashMap<>();
        if (tags.isEmpty()) {
            return ids;
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entities.createNativeQuery("SELECT tag, badge_id FROM tag_badge WHERE tag = ANY(CAST(:tags AS text[]))")
                .setParameter("tags", tags.toArray(String[]::new)).getResultList();
        for (Object[] row : rows) {
            ids.put((String) row[0], (String) row[1]);
        }
        return ids;
    }
}
