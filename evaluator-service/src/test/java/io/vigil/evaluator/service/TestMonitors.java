package io.vigil.evaluator.service;

import io.vigil.contracts.TokenHash;
import io.vigil.evaluator.Flip;
import io.vigil.evaluator.Monitor;
import io.vigil.evaluator.PingRecord;
import io.vigil.evaluator.Schedule;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Creates and reads monitors for the engine's tests the way the admin API does (persist, then the lifecycle). */
@ApplicationScoped
public class TestMonitors {

    private final MonitorLifecycle lifecycle;

    public TestMonitors(MonitorLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    /** A new monitor due {@code every} after each success, with {@code grace}. */
    @Transactional
    public Monitor create(Duration every, Duration grace, Duration maxRuntime) {
        return persist(Schedule.interval(every), grace, maxRuntime, List.of(UUID.randomUUID()));
    }

    /**
     * A monitor on a cron schedule as stored, without the admin API's checks (so one that never fires can be
     * made, as an older Vigil accepted them).
     */
    @Transactional
    public Monitor createCron(String expression) {
        return persist(Schedule.cron(expression, "UTC"), Duration.ofHours(1), null, List.of());
    }

    private Monitor persist(Schedule schedule, Duration grace, Duration maxRuntime, List<UUID> channels) {
        Monitor m = new Monitor();
        m.id = UUID.randomUUID();
        m.name = "engine test " + m.id;
        m.slug = "engine-" + m.id;
        m.tags = List.of("engine-test");
        schedule.applyTo(m);
        m.graceMs = grace.toMillis();
        m.maxRuntimeMs = maxRuntime == null ? null : maxRuntime.toMillis();
        m.token = "tok-" + UUID.randomUUID();
        m.tokenHash = TokenHash.of(m.token);
        m.channelIds = channels;
        m.createdAt = Instant.now();
        m.updatedAt = m.createdAt;
        m.persist();
        lifecycle.created(m);
        return m;
    }

    /** Waits (at most 20 s) until the monitor has {@code status}, then reads it. */
    public Monitor awaitStatus(UUID id, io.vigil.contracts.Status status) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> find(id).status == status);
        return find(id);
    }

    /** Gives the monitor these maintenance windows from {@code from} on, as a PUT of them would. */
    @Transactional
    public Monitor setMaintenance(UUID id, List<io.vigil.evaluator.Maintenance.Window> windows, Instant from) {
        Monitor m = Monitor.findLocked(id);
        m.maintenance = io.vigil.evaluator.Maintenance.of(windows).toJson();
        m.maintenanceFrom = from;
        lifecycle.reconfigured(m);
        return m;
    }

    /** How many of the monitor's pings wait in {@code held_ping}. */
    @Transactional
    public long heldPings(UUID id) {
        return ((Number) Monitor.getEntityManager().createNativeQuery("SELECT count(*) FROM held_ping WHERE monitor_id = ?1")
                .setParameter(1, id).getSingleResult()).longValue();
    }

    @Transactional
    public Monitor find(UUID id) {
        return Monitor.findById(id);
    }

    @Transactional
    public Monitor findBySlug(String slug) {
        return Monitor.findBySlug(slug);
    }

    /** Oldest first. */
    @Transactional
    public List<Flip> flips(UUID id) {
        return Flip.list("monitorId = ?1 order by sequence", id);
    }

    @Transactional
    public List<PingRecord> pings(UUID id) {
        return PingRecord.newestFirst(id, 1000);
    }

    /** Moves the monitor to {@code partition} of the pings topic (tests that drive the applier and sweep directly). */
    @Transactional
    public void movePartition(UUID id, int partition) {
        Monitor.getEntityManager().createNativeQuery("UPDATE monitor_state SET kafka_partition = ?1 WHERE id = ?2")
                .setParameter(1, partition).setParameter(2, id).executeUpdate();
    }

    @Transactional
    public void pause(UUID id) {
        lifecycle.pause(Monitor.findLocked(id), null);
    }

    /** Pauses the monitor until {@code until} (a snooze). */
    @Transactional
    public void pause(UUID id, Instant until) {
        lifecycle.pause(Monitor.findLocked(id), until);
    }

    /** Changes the monitor's settings as an admin request would, then lets the engine take the change in. */
    @Transactional
    public Monitor configure(UUID id, java.util.function.Consumer<Monitor> change) {
        Monitor monitor = Monitor.findLocked(id);
        change.accept(monitor);
        lifecycle.reconfigured(monitor);
        return monitor;
    }

    @Transactional
    public void resume(UUID id) {
        lifecycle.resume(Monitor.findLocked(id));
    }

    @Transactional
    public void delete(UUID id) {
        Monitor m = Monitor.findLocked(id);
        lifecycle.deleting(m);
        m.delete();
    }
}
