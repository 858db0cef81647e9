package io.vigil.evaluator.service;

import io.quarkus.logging.Log;
import io.vigil.contracts.Status;
import io.vigil.contracts.TokenHash;
import io.vigil.evaluator.Channel;
import io.vigil.evaluator.Maintenance;
import io.vigil.evaluator.Monitor;
import io.vigil.evaluator.Schedule;
import io.vigil.evaluator.scheduling.ReleaseLoop;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import java.text.Normalizer;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Monitor configuration use cases of the admin API. Each runs in one transaction with the engine's
 * {@link MonitorLifecycle}, so the change, its state and its outbox records commit together.
 */
@ApplicationScoped
public class Monitors {

    /** The reserved system monitor's slug. */
    public static final String PIPELINE_SLUG = "vigil-pipeline";

    private final MonitorLifecycle lifecycle;
    private final EntityManager entities;
    private final InstantSource clock;
    private final Badges badges;
    private final Dependencies dependencies;
    private final ReleaseLoop releases;

    public Monitors(MonitorLifecycle lifecycle, EntityManager entities, InstantSource clock, Badges badges,
                    Dependencies dependencies, ReleaseLoop releases) {
        this.lifecycle = lifecycle;
        this.entities = entities;
        this.clock = clock;
        this.badges = badges;
        this.dependencies = dependencies;
        this.releases = releases;
    }

    @Transactional
    public Monitor create(MonitorSpec spec) {
        if (!spec.dependsOn().isEmpty()) {
            dependencies.lockGraph();
        }
        List<FieldError> errors = new ArrayList<>(spec.errors());
        checkChannels(spec.channels(), errors);
        dependencies.check(null, spec.dependsOn(), errors);
        throwIfInvalid(errors);
        if (spec.slug() != null && Monitor.findBySlug(spec.slug()) != null) {
            throw new ConflictException("The slug is taken by another monitor.",
                    List.of(new FieldError("slug", "is taken by another monitor")));
        }
        if (spec.token() != null && Monitor.count("tokenHash", TokenHash.of(spec.token())) > 0) {
            throw new ConflictException("The token belongs to another monitor.",
                    List.of(new FieldError("token", "belongs to another monitor")));
        }
        Instant now = now();
        Monitor monitor = new Monitor();
        monitor.id = UUID.randomUUID();
        monitor.slug = spec.slug() != null ? spec.slug() : freeSlug(spec.name());
        String token = spec.token() != null ? spec.token() : Secrets.generate();
        monitor.token = token;
        monitor.tokenHash = TokenHash.of(token);
        monitor.status = Status.NEW;
        monitor.createdAt = now;
        apply(monitor, spec, now);
        monitor.persist();
        lifecycle.created(monitor);
        Log.infof("monitor %s (%s) created", monitor.id, monitor.slug);
        return monitor;
    }

    /** Replaces every writable field; without a token the token is kept; without a slug the slug is kept. */
    @Transactional
    public Monitor replace(UUID id, MonitorSpec spec) {
        if (!spec.dependsOn().isEmpty()) {
            dependencies.lockGraph(); // before the monitor's lock, as a delete takes them
        }
        Monitor monitor = lock(id);
        List<FieldError> errors = new ArrayList<>(spec.errors());
        if (spec.token() != null && !TokenHash.matches(TokenHash.of(spec.token()), monitor.tokenHash)) {
            errors.add(new FieldError("token", "can only be set when the monitor is created; use rotate-token to change it"));
        }
        checkChannels(spec.channels(), errors);
        dependencies.check(monitor.id, spec.dependsOn(), errors);
        throwIfInvalid(errors);
        String slug = spec.slug() != null ? spec.slug() : monitor.slug;
        if (monitor.system) {
            checkSystemChange(monitor, spec, slug);
        }
        if (!slug.equals(monitor.slug)) {
            Monitor owner = Monitor.findBySlug(slug);
            if (owner != null && !owner.id.equals(monitor.id)) {
                throw new ConflictException("The slug is taken by another monitor.",
                        List.of(new FieldError("slug", "is taken by another monitor")));
            }
        }
        monitor.slug = slug;
        if (!monitor.dependsOn.equals(spec.dependsOn())) {
            releases.nudgeAfterCommit(); // a parent left the list: a DOWN it held may be sent now
        }
        apply(monitor, spec, now());
        lifecycle.reconfigured(monitor);
        Log.infof("monitor %s (%s) changed", monitor.id, monitor.slug);
        return monitor;
    }

    /**
     * Deletes the monitor and removes it from the {@code dependsOn} of the monitors that list it: it and they are locked
     * together in id order (the one locking rule), after the graph lock, so no new dependent can appear meanwhile.
     */
    @Transactional
    public void delete(UUID id) {
        dependencies.lockGraph();
        Set<UUID> locked = new java.util.TreeSet<>(dependencies.dependentsOf(id));
        locked.add(id);
        Monitor.lockAndRead(locked);
        Monitor monitor = lock(id);
        if (monitor.system) {
            throw new ConflictException("The " + PIPELINE_SLUG + " monitor is Vigil's own and cannot be deleted;"
                    + " its channels can be changed.");
        }
        Instant now = now();
        for (UUID dependentId : locked) {
            Monitor dependent = dependentId.equals(id) ? null : Monitor.findById(dependentId);
            if (dependent != null && dependent.dependsOn.contains(id)) {
                List<UUID> parents = new ArrayList<>(dependent.dependsOn);
                parents.remove(id);
                dependent.dependsOn = parents;
                dependent.updatedAt = now;
                Log.infof("monitor %s no longer depends on %s, which is being deleted", dependent.slug, monitor.slug);
            }
        }
        releases.nudgeAfterCommit();
        lifecycle.deleting(monitor);
        monitor.delete();
        Log.infof("monitor %s (%s) deleted", id, monitor.slug);
    }

    /** Pauses the monitor; with {@code until} it resumes by itself then (a snooze). */
    @Transactional
    public Monitor pause(UUID id, Instant until) {
        Monitor monitor = lock(id);
        if (monitor.system && until != null) {
            throw InvalidRequestException.of("until", "the " + PIPELINE_SLUG + " monitor cannot be snoozed");
        }
        lifecycle.pause(monitor, until);
        return monitor;
    }

    @Transactional
    public Monitor resume(UUID id) {
        Monitor monitor = lock(id);
        lifecycle.resume(monitor);
        return monitor;
    }

    /** A new ping token; the old one stops working once ingest sees the registry record. */
    @Transactional
    public Monitor rotateToken(UUID id) {
        Monitor monitor = lock(id);
        String token = Secrets.generate();
        monitor.token = token;
        monitor.tokenHash = TokenHash.of(token);
        monitor.updatedAt = now();
        lifecycle.tokenRotated(monitor);
        Log.infof("monitor %s (%s): ping token rotated", monitor.id, monitor.slug);
        return monitor;
    }

    /** A new badge id: the monitor's old badge URLs answer 404 from now on (its tags' badges stay). */
    @Transactional
    public Monitor rotateBadge(UUID id) {
        Monitor monitor = lock(id);
        monitor.badgeId = Monitor.newBadgeId();
        Log.infof("monitor %s (%s): badge id rotated", monitor.id, monitor.slug);
        return monitor;
    }

    @Transactional
    public Monitor get(UUID id) {
        Monitor monitor = Monitor.findById(id);
        if (monitor == null) {
            throw missing(id);
        }
        return monitor;
    }

    /** Monitors by creation time, holding every tag in {@code tags} and (when given) in one of {@code statuses}. */
    @Transactional
    public Pages.Page<Monitor> page(List<String> tags, List<Status> statuses, Pages.Cursor after, int limit) {
        return page(tags, statuses, null, after, limit);
    }

    /** As {@link #page(List, List, Pages.Cursor, int)}, and (when not null) with {@code search} in the name, any case. */
    @Transactional
    public Pages.Page<Monitor> page(List<String> tags, List<Status> statuses, String search, Pages.Cursor after, int limit) {
        StringBuilder sql = new StringBuilder("SELECT * FROM " + Monitor.BOTH_TABLES + " WHERE true");
        if (search != null) {
            sql.append(" AND strpos(lower(name), lower(:search)) > 0");
        }
        for (int i = 0; i < tags.size(); i++) {
            sql.append(" AND CAST(:tag").append(i).append(" AS text) = ANY(tags)");
        }
        if (!statuses.isEmpty()) {
            sql.append(" AND status IN (:statuses)");
        }
        if (after != null) {
            sql.append(" AND (created_at > :at OR (created_at = :at AND id > CAST(:id AS uuid)))");
        }
        sql.append(" ORDER BY created_at, id LIMIT :limit");
        Query query = entities.createNativeQuery(sql.toString(), Monitor.class);
        if (search != null) {
            query.setParameter("search", search);
        }
        for (int i = 0; i < tags.size(); i++) {
            query.setParameter("tag" + i, tags.get(i));
        }
        if (!statuses.isEmpty()) {
            query.setParameter("statuses", statuses.stream().map(Status::name).toList());
        }
        if (after != null) {
            query.setParameter("at", after.at());
            query.setParameter("id", after.id().toString());
        }
        query.setParameter("limit", limit + 1);
        @SuppressWarnings("unchecked")
        List<Monitor> fetched = query.getResultList();
        return Pages.of(fetched, limit, monitor -> Pages.Cursor.of(monitor.createdAt, monitor.id));
    }

    /** How many monitors have each status (statuses without one are left out), and how many are running a job now. */
    public record Counts(Map<Status, Long> byStatus, long running) {
    }

    @Transactional
    public Counts counts() {
        Map<Status, Long> byStatus = new EnumMap<>(Status.class);
        long running = 0;
        for (Object[] row : entities.createQuery("select m.status, count(m), sum(case when m.running then 1 else 0 end)"
                + " from Monitor m group by m.status", Object[].class).getResultList()) {
            byStatus.put((Status) row[0], (Long) row[1]);
            running += ((Number) row[2]).longValue();
        }
        return new Counts(byStatus, running);
    }

    /** Every tag some monitor has, in order. */
    @Transactional
    @SuppressWarnings("unchecked")
    public List<String> tags() {
        return entities.createNativeQuery("SELECT DISTINCT unnest(tags) AS tag FROM monitor ORDER BY tag").getResultList();
    }

    /** Every monitor, for the Prometheus export and badges. */
    @Transactional
    public List<Monitor> all() {
        return Monitor.list("order by createdAt, id");
    }

    private void apply(Monitor monitor, MonitorSpec spec, Instant now) {
        monitor.name = spec.name();
        monitor.description = spec.description();
        monitor.tags = new ArrayList<>(spec.tags());
        badges.ensureTags(monitor.tags);
        spec.schedule().applyTo(monitor);
        Duration grace = spec.grace() != null ? spec.grace() : spec.schedule().defaultGrace();
        monitor.graceMs = grace.toMillis();
        monitor.maxRuntimeMs = spec.maxRuntime() == null ? null : spec.maxRuntime().toMillis();
        monitor.channelIds = new ArrayList<>(spec.channels());
        spec.rules().applyTo(monitor);
        String maintenance = Maintenance.of(spec.maintenance()).toJson();
        if (!maintenance.equals(monitor.maintenance) || monitor.maintenanceFrom == null) {
            // changed windows apply from the request on, never to the past
            monitor.maintenance = maintenance;
            monitor.maintenanceFrom = now;
        }
        monitor.dependsOn = new ArrayList<>(spec.dependsOn());
        monitor.updatedAt = now;
    }

    /** The reserved pipeline monitor: only its channels may change. */
    private static void checkSystemChange(Monitor monitor, MonitorSpec spec, String slug) {
        Monitor probe = new Monitor();
        spec.schedule().applyTo(probe);
        Duration grace = spec.grace() != null ? spec.grace() : spec.schedule().defaultGrace();
        boolean same = Objects.equals(spec.name(), monitor.name) && Objects.equals(slug, monitor.slug)
                && Objects.equals(spec.description(), monitor.description)
                && new HashSet<>(spec.tags()).equals(new HashSet<>(monitor.tags))
                && Objects.equals(probe.scheduleType, monitor.scheduleType) && Objects.equals(probe.everyMs, monitor.everyMs)
                && Objects.equals(probe.cronExpression, monitor.cronExpression) && Objects.equals(probe.timezone, monitor.timezone)
                && grace.toMillis() == monitor.graceMs
                && Objects.equals(spec.maxRuntime() == null ? null : spec.maxRuntime().toMillis(), monitor.maxRuntimeMs)
                && spec.rules().equals(MonitorSpec.RunRules.of(monitor))
                && Maintenance.of(spec.maintenance()).toJson().equals(monitor.maintenance)

                && spec.dependsOn().equals(monitor.dependsOn);
        if (!same) {
            throw new ConflictException("The " + PIPELINE_SLUG + " monitor is Vigil's own: only its channels can be changed.");
        }
    }

    static void checkChannels(List<UUID> channels, List<FieldError> errors) {
        if (channels.isEmpty()) {
            return;
        }
        Set<UUID> known = new HashSet<>(Channel.<Channel>list("id in ?1", channels).stream().map(channel -> channel.id).toList());
        for (int i = 0; i < channels.size(); i++) {
            if (!known.contains(channels.get(i))) {
                errors.add(new FieldError("channels[" + i + "]", "no channel has this id"));
            }
        }
    }

    static void throwIfInvalid(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors.size() == 1 ? "The request has an invalid field."
                    : "The request has " + errors.size() + " invalid fields.", errors);
        }
    }

    /** A slug made from the name: lower case, runs of other characters as one dash, unique by a numeric suffix. */
    static String freeSlug(String name) {
        String base = Normalizer.normalize(name, Normalizer.Form.NFKD).replaceAll("\\p{M}", "").toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9_-]+", "-").replaceAll("-{2,}", "-").replaceAll("^-|-$", "");
        if (base.length() > 90) {
            base = base.substring(0, 90).replaceAll("-$", "");
        }
        if (base.isEmpty()) {
            base = "monitor";
        }
        String slug = base;
        for (int n = 2; Monitor.findBySlug(slug) != null; n++) {
            slug = base + "-" + n;
        }
        return slug;
    }

    private Monitor lock(UUID id) {
        Monitor monitor = Monitor.findLocked(id);
        if (monitor == null) {
            throw missing(id);
        }
        return monitor;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static NotFoundException missing(UUID id) {
        return new NotFoundException("No monitor with id " + id + ".");
    }
}
