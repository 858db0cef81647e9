package io.vigil.evaluator.service;

import io.vigil.contracts.Status;
import io.vigil.evaluator.Monitor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

/**
 * What badges show: a monitor's status, or a tag's (DOWN if any of its monitors is DOWN, else LATE if
 * any is LATE, else UP if any is UP, else NEW, else PAUSED). Badge URLs carry the installation's badge
 * key, compared in constant time, so they need no API key and cannot be guessed.
 */
@ApplicationScoped
public class Badges {

    /** A badge's subject and status. */
    public record Badge(String label, Status status) {
    }

    private final Installations installations;
    private final EntityManager entities;

    public Badges(Installations installations, EntityManager entities) {
        this.installations = installations;
        this.entities = entities;
    }

    @Transactional
    public Optional<Badge> monitor(String badgeKey, String slug) {
        if (!keyMatches(badgeKey)) {
            return Optional.empty();
        }
        Monitor monitor = Monitor.findBySlug(slug);
        return monitor == null ? Optional.empty() : Optional.of(new Badge(monitor.name, monitor.status));
    }

    @Transactional
    public Optional<Badge> tag(String badgeKey, String tag) {
        if (!keyMatches(badgeKey)) {
            return Optional.empty();
        }
        @SuppressWarnings("unchecked")
        List<String> statuses = entities.createNativeQuery(
                        "SELECT DISTINCT status FROM " + Monitor.BOTH_TABLES + " WHERE CAST(:tag AS text) = ANY(tags)")
                .setParameter("tag", tag).getResultList();
        if (statuses.isEmpty()) {
            return Optional.empty();
        }
        for (Status worst : List.of(Status.DOWN, Status.LATE, Status.UP, Status.NEW, Status.PAUSED)) {
            if (statuses.contains(worst.name())) {
                return Optional.of(new Badge(tag, worst));
            }
        }
        return Optional.empty();
    }

    private boolean keyMatches(String badgeKey) {
        return badgeKey != null && MessageDigest.isEqual(badgeKey.getBytes(StandardCharsets.UTF_8),
                installations.badgeKey().getBytes(StandardCharsets.UTF_8));
    }
}
