package io.vigil.evaluator.hc;

import io.vigil.contracts.Status;
import io.vigil.evaluator.Channel;
import io.vigil.evaluator.Flip;
import io.vigil.evaluator.Monitor;
import io.vigil.evaluator.PingRecord;
import io.vigil.evaluator.Schedule;
import io.vigil.evaluator.service.MonitorSpec;
import io.vigil.evaluator.service.Monitors;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The use cases of the Healthchecks-compatible API, on top of {@link Monitors}: a check is a monitor (its uuid is
 * the monitor's id) plus its {@link HcCheck} row. Writes go through {@link Monitors}, so the engine, the outbox and
 * ingest's token registry see them as they see the admin API's. Vigil's reserved {@code vigil-pipeline} monitor
 * is not a check.
 */
@ApplicationScoped
public class HcChecks {

    /** A check as the API answers it: the monitor, its Healthchecks fields, and whether the call created it. */
    record Saved(Monitor monitor, HcCheck fields, boolean created) {
    }

    private static final Pattern TAG = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._:-]{0,49}$");
    private static final int MAX_TAGS = 50;

    private final Monitors monitors;

    public HcChecks(Monitors monitors) {
        this.monitors = monitors;
    }

    /** Every check, oldest first. */
    @Transactional
    public List<Monitor> all() {
        return Monitor.list("system = false order by createdAt, id");
    }

    /** The Healthchecks fields of {@code monitors}, defaults for those without a row. */
    @Transactional
    public Map<UUID, HcCheck> fields(Collection<Monitor> checks) {
        Map<UUID, HcCheck> stored = checks.isEmpty() ? Map.of()
                : HcCheck.<HcCheck>list("monitorId in ?1", checks.stream().map(m -> m.id).toList()).stream()
                        .collect(Collectors.toMap(f -> f.monitorId, Function.identity()));
        return checks.stream().collect(Collectors.toMap(m -> m.id, m -> {
            HcCheck f = stored.get(m.id);
            if (f != null) {
                return f;
            }
            HcCheck fresh = new HcCheck();
            fresh.monitorId = m.id;
            return fresh;
        }));
    }

    /** The check, or null. */
    @Transactional
    public Monitor find(UUID id) {
        Monitor monitor = Monitor.findById(id);
        return monitor == null || monitor.system ? null : monitor;
    }

    /** The check whose {@link #uniqueKey} is {@code key}, or null. */
    @Transactional
    public Monitor findByUniqueKey(String key) {
        return all().stream().filter(m -> uniqueKey(m.id).equals(key)).findFirst().orElse(null);
    }

    /**
     * Creates a check, or, when {@code unique} names fields that all came and match an existing check, updates that
     * one (Healthchecks' upsert).
     */
    @Transactional
    public Saved create(HcSpec spec, int version) {
        Monitor existing = lookup(spec);
        if (existing != null) {
            return update(existing.id, spec, version);
        }
        List<UUID> channels = channels(spec.channels());
        HcCheck fields = new HcCheck();
        MonitorSpec monitorSpec = monitorSpec(null, fields, spec, version, channels == null ? List.of() : channels);
        Monitor monitor = monitors.create(monitorSpec);
        fields.monitorId = monitor.id;
        fields.persist();
        return new Saved(monitor, fields, true);
    }

    /** Changes the fields the request gives; the others stay. */
    @Transactional
    public Saved update(UUID id, HcSpec spec, int version) {
        Monitor current = require(id);
        List<UUID> channels = channels(spec.channels());
        HcCheck fields = HcCheck.of(id);
        MonitorSpec monitorSpec = monitorSpec(current, fields, spec, version, channels == null ? current.channelIds : channels);
        Monitor monitor = monitors.replace(id, monitorSpec);
        if (!fields.isPersistent()) {
            fields.persist();
        }
        return new Saved(monitor, fields, false);
    }

    /** Deletes the check and answers it as it was. */
    @Transactional
    public Saved delete(UUID id) {
        Monitor monitor = require(id);
        HcCheck fields = HcCheck.of(id);
        Saved before = new Saved(copy(monitor), copy(fields), false);
        if (fields.isPersistent()) {
            fields.delete();
        }
        monitors.delete(id);
        return before;
    }

    /** Pauses the check; a paused check is answered as it is. */
    @Transactional
    public Monitor pause(UUID id) {
        Monitor monitor = require(id);
        if (monitor.status == Status.PAUSED) {
            return monitor;
        }
        return monitors.pause(id, null);
    }

    /** Resumes a paused check; any other is 409 {@code check is not paused}, as in Healthchecks. */
    @Transactional
    public Monitor resume(UUID id) {
        Monitor monitor = require(id);
        if (monitor.status != Status.PAUSED) {
            throw HcException.text(409, "check is not paused");
        }
        return monitors.resume(id);
    }

    /** The newest kept pings, newest first. */
    @Transactional
    public List<PingRecord> pings(UUID id, int limit) {
        require(id);
        return PingRecord.newestFirst(id, limit);
    }

    /** Ping number {@code n}, or null when it is not kept. */
    @Transactional
    public PingRecord ping(UUID id, long n) {
        require(id);
        return PingRecord.findByNumber(id, n);
    }

    /** The check's flips, newest first, at or after {@code from} and before {@code to} (each optional). */
    @Transactional
    public List<Flip> flips(UUID id, Instant from, Instant to) {
        StringBuilder where = new StringBuilder("monitorId = :monitor");
        io.quarkus.panache.common.Parameters parameters = io.quarkus.panache.common.Parameters.with("monitor", id);
        if (from != null) {
            where.append(" and at >= :from");
            parameters.and("from", from);
        }
        if (to != null) {
            where.append(" and at < :to");
            parameters.and("to", to);
        }
        return Flip.list(where + " order by at desc, sequence desc", parameters);
    }

    /** Every channel, oldest first. */
    @Transactional
    public List<Channel> channels() {
        return Channel.list("order by createdAt, id");
    }

    /**
     * The read-only id of a check: the SHA-1 (hex) of the first half of its id's hex digits, as Healthchecks makes
     * it. Stable and not secret (Vigil's secret is the ping token, never derived from the id).
     */
    static String uniqueKey(UUID id) {
        String half = id.toString().replace("-", "").substring(0, 16);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(half.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Django's slugify, which Healthchecks' v1 and v2 apply to a check's name. */
    static String slugify(String name) {
        String ascii = Normalizer.normalize(name, Normalizer.Form.NFKD).replaceAll("[^\\p{ASCII}]", "");
        String kept = ascii.replaceAll("[^\\w\\s-]", "").toLowerCase(Locale.ROOT).strip();
        return kept.replaceAll("[-\\s]+", "-").replaceAll("^[-_]+|[-_]+$", "");
    }

    /** The check's tags as Healthchecks shows them: as sent while they still are the monitor's, else space-joined. */
    static String tags(Monitor monitor, HcCheck fields) {
        return splitTags(fields.tags).equals(monitor.tags) ? fields.tags : String.join(" ", monitor.tags);
    }

    private static List<String> splitTags(String tags) {
        return List.copyOf(new LinkedHashSet<>(List.of(tags.split(" ")).stream().map(String::strip).filter(t -> !t.isEmpty()).toList()));
    }

    /** Healthchecks' {@code _lookup}: the first check matching every field named in {@code unique}, if all came. */
    private Monitor lookup(HcSpec spec) {
        List<String> unique = spec.unique();
        if (unique == null || unique.isEmpty()) {
            return null;
        }
        for (String field : unique) {
            Object value = switch (field) {
                case "name" -> spec.name();
                case "slug" -> spec.slug();
                case "tags" -> spec.tags();
                case "timeout" -> spec.timeout();
                default -> spec.grace();
            };
            if (value == null) {
                return null;
            }
        }
        List<Monitor> candidates = all();
        Map<UUID, HcCheck> fields = fields(candidates);
        for (Monitor m : candidates) {
            boolean match = (!unique.contains("name") || spec.name().equals(m.name))
                    && (!unique.contains("slug") || spec.slug().equals(m.slug))
                    && (!unique.contains("tags") || spec.tags().equals(tags(m, fields.get(m.id))))
                    && (!unique.contains("timeout") || spec.timeout() * 1000 == timeoutMillis(m, fields.get(m.id)))
                    && (!unique.contains("grace") || spec.grace() * 1000 == m.graceMs);
            if (match) {
                return m;
            }
        }
        return null;
    }

    private static long timeoutMillis(Monitor monitor, HcCheck fields) {
        return monitor.everyMs != null ? monitor.everyMs : fields.timeoutSeconds * 1000;
    }

    /**
     * Healthchecks' channel rule: null leaves the channels as they are, {@code "*"} is every channel, {@code ""}
     * none, else a CSV of channel ids or unique channel names.
     */
    private List<UUID> channels(String csv) {
        if (csv == null) {
            return null;
        }
        List<Channel> available = channels();
        if (csv.equals("*")) {
            return available.stream().map(c -> c.id).toList();
        }
        if (csv.isEmpty()) {
            return List.of();
        }
        Set<UUID> chosen = new LinkedHashSet<>();
        for (String s : csv.split(",", -1)) {
            if (s.isEmpty()) {
                throw HcException.error(400, "empty channel identifier");
            }
            List<Channel> matches = available.stream().filter(c -> c.id.toString().equals(s) || s.equals(c.name)).toList();
            if (matches.isEmpty()) {
                throw HcException.error(400, "invalid channel identifier: " + s);
            }
            if (matches.size() > 1) {
                throw HcException.error(400, "non-unique channel identifier: " + s);
            }
            chosen.add(matches.get(0).id);
        }
        return new ArrayList<>(chosen);
    }

    /**
     * The monitor's fields after the request: what it gives replaces, what it leaves out stays (or takes Healthchecks'
     * default on create). Updates {@code fields} with the request's Healthchecks-only fields.
     */
    private MonitorSpec monitorSpec(Monitor current, HcCheck fields, HcSpec spec, int version, List<UUID> channels) {
        String name = spec.name() != null ? spec.name() : current != null ? current.name : "";
        String slug = spec.slug();
        if (slug == null && version < 3 && spec.name() != null) {
            slug = slugify(spec.name());
        }
        if (slug == null && current != null) {
            slug = current.slug;
        }
        slug = freeSlug(slug, current);
        String description = spec.desc() != null ? spec.desc() : current != null ? current.description : "";
        List<String> tags = current != null ? List.copyOf(current.tags) : List.of();
        if (spec.tags() != null) {
            tags = splitTags(spec.tags());
            for (String tag : tags) {
                if (!TAG.matcher(tag).matches()) {
                    throw HcException.error(400, "json validation error: tags has a tag Vigil does not allow: each tag is 1 to 50"
                            + " characters of letters, digits, '.', '_', ':' and '-', starting with a letter or digit");
                }
            }
            if (tags.size() > MAX_TAGS) {
                throw HcException.error(400, "json validation error: tags has more than " + MAX_TAGS + " tags");
            }
            fields.tags = spec.tags();
        } else if (current != null) {
            fields.tags = tags(current, fields);
        }
        if (spec.tz() != null) {
            fields.tz = spec.tz();
        }
        Schedule schedule;
        String kind = spec.kind();
        if ("simple".equals(kind)) {
            fields.timeoutSeconds = spec.timeout();
            schedule = Schedule.interval(Duration.ofSeconds(spec.timeout()));
        } else if ("cron".equals(kind)) {
            fields.schedule = spec.schedule();
            schedule = Schedule.cron(spec.schedule(), fields.tz);
        } else if (current == null) {
            schedule = Schedule.interval(Duration.ofSeconds(HcSpec.DEFAULT_TIMEOUT));
        } else if ("cron".equals(current.scheduleType)) {
            fields.schedule = current.cronExpression;
            schedule = Schedule.cron(current.cronExpression, spec.tz() != null ? spec.tz() : current.timezone);
        } else {
            schedule = Schedule.of(current);
        }
        Duration grace = spec.grace() != null ? Duration.ofSeconds(spec.grace())
                : current != null ? Duration.ofMillis(current.graceMs) : Duration.ofSeconds(HcSpec.DEFAULT_GRACE);
        Duration maxRuntime = current == null || current.maxRuntimeMs == null ? null : Duration.ofMillis(current.maxRuntimeMs);
        MonitorSpec.RunRules rules = current != null ? MonitorSpec.RunRules.of(current) : MonitorSpec.RunRules.DEFAULT;
        if (spec.manualResume() != null) {
            rules = new MonitorSpec.RunRules(rules.failureThreshold(), rules.recoveryThreshold(), rules.minRuntime(),
                    rules.minInterval(), spec.manualResume());
        }
        applyFilters(fields, spec);
        // Healthchecks has no dependencies or maintenance windows: an update keeps the monitor's own
        List<UUID> dependsOn = current == null ? List.of() : List.copyOf(current.dependsOn);
        List<io.vigil.evaluator.Maintenance.Window> maintenance = current == null ? List.of()
                : io.vigil.evaluator.Maintenance.of(current).windows();
        return new MonitorSpec(name, slug, description, tags, schedule, grace, maxRuntime, List.copyOf(channels), null,
                rules, dependsOn, List.of(), maintenance);
    }

    /** The email-filtering fields, with Healthchecks' mapping of the deprecated subject and subject_fail. */
    private static void applyFilters(HcCheck fields, HcSpec spec) {
        if (spec.subject() != null) {
            fields.successKw = spec.subject();
            fields.filterSubject = !fields.successKw.isEmpty() || !fields.failureKw.isEmpty();
        }
        if (spec.subjectFail() != null) {
            fields.failureKw = spec.subjectFail();
            fields.filterSubject = !fields.successKw.isEmpty() || !fields.failureKw.isEmpty();
        }
        if (spec.methods() != null) {
            fields.methods = spec.methods();
        }
        if (spec.startKw() != null) {
            fields.startKw = spec.startKw();
        }
        if (spec.successKw() != null) {
            fields.successKw = spec.successKw();
        }
        if (spec.failureKw() != null) {
            fields.failureKw = spec.failureKw();
        }
        if (spec.filterSubject() != null) {
            fields.filterSubject = spec.filterSubject();
        }
        if (spec.filterBody() != null) {
            fields.filterBody = spec.filterBody();
        }
        if (spec.filterHttpBody() != null) {
            fields.filterHttpBody = spec.filterHttpBody();
        }
        if (spec.filterDefaultFail() != null) {
            fields.filterDefaultFail = spec.filterDefaultFail();
        }
    }

    /**
     * Vigil's slugs are unique and never empty, Healthchecks' are neither: an empty slug becomes {@code check}, and a
     * slug another monitor holds gets the first free numeric suffix.
     */
    private static String freeSlug(String slug, Monitor current) {
        String base = slug == null || slug.isEmpty() ? "check" : slug;
        String candidate = base;
        for (int n = 2; ; n++) {
            Monitor owner = Monitor.findBySlug(candidate);
            if (owner == null || (current != null && owner.id.equals(current.id))) {
                return candidate;
            }
            candidate = base + "-" + n;
        }
    }

    private Monitor require(UUID id) {
        Monitor monitor = find(id);
        if (monitor == null) {
            throw HcException.empty(404);
        }
        return monitor;
    }

    private static Monitor copy(Monitor m) {
        Monitor c = new Monitor();
        c.id = m.id;
        c.name = m.name;
        c.slug = m.slug;
        c.description = m.description;
        c.tags = new ArrayList<>(m.tags);
        c.scheduleType = m.scheduleType;
        c.everyMs = m.everyMs;
        c.cronExpression = m.cronExpression;
        c.timezone = m.timezone;
        c.graceMs = m.graceMs;
        c.manualResume = m.manualResume;
        c.status = m.status;
        c.running = m.running;
        c.runStartedAt = m.runStartedAt;
        c.lastPingAt = m.lastPingAt;
        c.lastDurationMs = m.lastDurationMs;
        c.pingCount = m.pingCount;
        c.dueAt = m.dueAt;
        c.token = m.token;
        c.badgeId = m.badgeId;
        // Healthchecks answers a deleted check with its channels already unassigned
        c.channelIds = new ArrayList<>();
        return c;
    }

    private static HcCheck copy(HcCheck f) {
        HcCheck c = new HcCheck();
        c.monitorId = f.monitorId;
        c.methods = f.methods;
        c.tags = f.tags;
        c.tz = f.tz;
        c.timeoutSeconds = f.timeoutSeconds;
        c.schedule = f.schedule;
        c.startKw = f.startKw;
        c.successKw = f.successKw;
        c.failureKw = f.failureKw;
        c.filterSubject = f.filterSubject;
        c.filterBody = f.filterBody;
        c.filterHttpBody = f.filterHttpBody;
        c.filterDefaultFail = f.filterDefaultFail;
        return c;
    }
}
