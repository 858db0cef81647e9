package io.vigil.evaluator.service;

import io.quarkus.logging.Log;
import io.vigil.evaluator.StatusPage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Status pages: create, read, replace, delete. A page is found by its slug or its id; slugs are unique (409) and
 * every listed monitor must exist (400 naming {@code monitors[i]}).
 */
@ApplicationScoped
public class StatusPages {

    private final EntityManager entities;
    private final InstantSource clock;

    public StatusPages(EntityManager entities, InstantSource clock) {
        this.entities = entities;
        this.clock = clock;
    }

    @Transactional
    public StatusPage create(StatusPageSpec spec) {
        check(spec, null);
        StatusPage page = new StatusPage();
        page.id = UUID.randomUUID();
        page.createdAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        apply(page, spec);
        page.persist();
        Log.infof("status page %s created", page.slug);
        return page;
    }

    /** Replaces every writable field, the slug included. */
    @Transactional
    public StatusPage replace(String key, StatusPageSpec spec) {
        StatusPage page = find(key, true);
        check(spec, page);
        apply(page, spec);
        Log.infof("status page %s changed", page.slug);
        return page;
    }

    @Transactional
    public void delete(String key) {
        StatusPage page = find(key, true);
        page.delete();
        Log.infof("status page %s deleted", page.slug);
    }

    @Transactional
    public StatusPage get(String key) {
        return find(key, false);
    }

    /** Pages by creation time. */
    @Transactional
    public Pages.Page<StatusPage> page(Pages.Cursor after, int limit) {
        List<StatusPage> fetched = after == null
                ? StatusPage.find("order by createdAt, id").page(0, limit + 1).list()
                : StatusPage.find("createdAt > ?1 or (createdAt = ?1 and id > ?2) order by createdAt, id",
                        after.at(), after.id()).page(0, limit + 1).list();
        return Pages.of(fetched, limit, page -> Pages.Cursor.of(page.createdAt, page.id));
    }

    /** Which of {@code ids} are monitors that exist. */
    @Transactional
    public Set<UUID> existing(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        @SuppressWarnings("unchecked")
        List<UUID> found = entities.createNativeQuery("SELECT id FROM monitor WHERE id = ANY(CAST(:ids AS uuid[]))", UUID.class)
                .setParameter("ids", ids.stream().map(UUID::toString).toArray(String[]::new)).getResultList();
        return new HashSet<>(found);
    }

    private void check(StatusPageSpec spec, StatusPage self) {
        List<FieldError> errors = new ArrayList<>(spec.errors());
        Set<UUID> existing = existing(spec.monitors());
        for (int i = 0; i < spec.monitors().size(); i++) {
            if (!existing.contains(spec.monitors().get(i))) {
                errors.add(new FieldError("monitors[" + i + "]", "no monitor has this id"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors.size() == 1 ? "The request has an invalid field."
                    : "The request has " + errors.size() + " invalid fields.", errors);
        }
        StatusPage holder = StatusPage.findBySlug(spec.slug());
        if (holder != null && (self == null || !holder.id.equals(self.id))) {
            throw new ConflictException("Another status page has the slug " + spec.slug() + ".",
                    List.of(new FieldError("slug", "is taken by another status page")));
        }
    }

    private void apply(StatusPage page, StatusPageSpec spec) {
        page.slug = spec.slug();
        page.title = spec.title();
        page.description = spec.description();
        page.monitorIds = new ArrayList<>(new LinkedHashSet<>(spec.monitors()));
        page.tags = new ArrayList<>(new LinkedHashSet<>(spec.tags()));
        page.updatedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private StatusPage find(String key, boolean lock) {
        // only a possible slug is looked up: PostgreSQL refuses some text (a NUL) with an error, not a miss
        StatusPage page = key.matches("[a-z0-9-]{1,64}") ? StatusPage.findBySlug(key) : null;
        if (page == null) {
            UUID id = uuid(key);
            page = id == null ? null : lock ? StatusPage.findById(id, LockModeType.PESSIMISTIC_WRITE) : StatusPage.findById(id);
        } else if (lock) {
            entities.lock(page, LockModeType.PESSIMISTIC_WRITE);
        }
        if (page == null) {
            throw new NotFoundException("No status page has this slug or id.");
        }
        return page;
    }

    private static UUID uuid(String key) {
        try {
            return UUID.fromString(key);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The ids of {@code pages}' listed monitors that still exist, for answers that leave deleted ones out. */
    @Transactional
    public Set<UUID> existingMonitors(Collection<StatusPage> pages) {
        return existing(pages.stream().flatMap(page -> page.monitorIds.stream()).collect(Collectors.toSet()));
    }
}
