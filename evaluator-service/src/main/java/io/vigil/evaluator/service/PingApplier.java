package io.vigil.evaluator.service;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.vigil.contracts.IngestWatermark;
import io.vigil.contracts.Json;
import io.vigil.contracts.PingReceived;
import io.vigil.contracts.PingsRecord;
import io.vigil.evaluator.IngestLease;
import io.vigil.evaluator.Monitor;
import io.vigil.evaluator.MonitorRules;
import io.vigil.evaluator.PartitionOffset;
import io.vigil.evaluator.config.EngineConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.sql.Types;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.hibernate.Session;

/**
 * Applies a batch of {@code vigil.pings.v1} records in one transaction: the pings (per monitor, in
 * received-at order), the ingest watermarks and leases, and each partition's next offset. A record below
 * the stored offset was applied before and changes nothing.
 */
@ApplicationScoped
public class PingApplier {

    /** Body text kept on the monitor for alerts. */
    static final int BODY_TEXT_LIMIT = 1000;

    private final EntityManager em;
    private final FlipRecorder flips;
    private final InstantSource clock;
    private final EngineConfig config;
    private final DeadLetters deadLetters;
    private final AutoProvisioning provisioning;

    public PingApplier(EntityManager em, FlipRecorder flips, InstantSource clock, EngineConfig config,
                       DeadLetters deadLetters, AutoProvisioning provisioning) {
        this.em = em;
        this.flips = flips;
        this.clock = clock;
        this.config = config;
        this.deadLetters = deadLetters;
        this.provisioning = provisioning;
    }

    /** What a batch changed, for the sweep's timer. */
    public record Outcome(int applied, boolean watermarkMoved) {
    }

    /** A ping of this batch, or one held by an earlier batch ({@code held}). */
    private record Received(int partition, long offset, PingReceived ping, boolean held) {
    }

    /** Applies {@code records} (several partitions, each in offset order). */
    @Transactional
    public Outcome apply(Map<Integer, List<ConsumerRecord<String, byte[]>>> records) {
        return applyBatch(records, null, Map.of());
    }

    /**
     * Applies {@code records} but puts the monitors of {@code broken} in their error state (the map's values say
     * why) instead of applying their pings, which are kept in {@code held_ping} until the error is cleared.
     */
    @Transactional
    public Outcome apply(Map<Integer, List<ConsumerRecord<String, byte[]>>> records, Map<UUID, String> broken) {
        return applyBatch(records, null, broken);
    }

    /**
     * Applies {@code records} for the monitors in {@code only} alone (every other ping is left aside), flushes,
     * and rolls everything back: whether those monitors' pings can be applied, changing nothing.
     *
     * @throws RuntimeException what applying them threw
     */
    @Transactional
    public void trial(Map<Integer, List<ConsumerRecord<String, byte[]>>> records, Set<UUID> only) {
        applyBatch(records, only, Map.of());
        em.flush();
        QuarkusTransaction.setRollbackOnly();
    }

    /**
     * The monitors a batch of {@code records} would apply pings to, in a stable order: those its records carry
     * pings for, and those with pings held on its partitions.
     */
    @Transactional
    public Set<UUID> monitorsOf(Map<Integer, List<ConsumerRecord<String, byte[]>>> records) {
        Set<UUID> ids = new TreeSet<>();
        for (List<ConsumerRecord<String, byte[]>> partition : records.values()) {
            for (ConsumerRecord<String, byte[]> record : partition) {
                if (parseQuietly(record) instanceof PingReceived ping) {
                    ids.add(ping.monitorId());
                }
            }
        }
        held(records.keySet()).forEach(r -> ids.add(r.ping().monitorId()));
        return ids;
    }

    private Outcome applyBatch(Map<Integer, List<ConsumerRecord<String, byte[]>>> records, Set<UUID> only,
                               Map<UUID, String> broken) {
        Instant now = clock.instant();
        Map<Integer, Instant> safeUntil = new HashMap<>();
        List<Received> pings = new ArrayList<>();
        boolean moved = false;
        for (var entry : records.entrySet()) {
            int partition = entry.getKey();
            PartitionOffset stored = lockOffset(partition, now);
            Map<String, IngestLease> leases = new HashMap<>();
            IngestLease.<IngestLease>list("partition", partition).forEach(l -> leases.put(l.ingestId, l));
            boolean sawWatermark = false;
            for (ConsumerRecord<String, byte[]> record : entry.getValue()) {
                if (record.offset() < stored.nextOffset) {
                    continue; // applied before: a redelivery after a restart or a rebalance
                }
                stored.nextOffset = record.offset() + 1;
                PingsRecord value;
                try {
                    value = parse(record);
                } catch (IllegalArgumentException e) {
                    deadLetters.record(record, e.getMessage());
                    continue;
                }
                if (value instanceof PingReceived ping) {
                    if (only == null || only.contains(ping.monitorId())) {
                        pings.add(new Received(partition, record.offset(), ping, false));
                    }
                } else if (value instanceof IngestWatermark mark) {
                    lease(leases, partition, mark);
                    sawWatermark = true;
                }
            }
            if (sawWatermark) {
                moved |= storeWatermark(stored, leases, now);
            }
            stored.updatedAt = now;
            safeUntil.put(partition, stored.watermark);
        }
        applyPings(pings, safeUntil, only, broken, now);
        return new Outcome(pings.size(), moved);
    }

    private PartitionOffset lockOffset(int partition, Instant now) {
        em.createNativeQuery("INSERT INTO partition_offset (kafka_partition, next_offset, updated_at) VALUES (?1, 0, ?2)"
                        + " ON CONFLICT (kafka_partition) DO NOTHING")
                .setParameter(1, partition).setParameter(2, now).executeUpdate();
        return em.find(PartitionOffset.class, partition, LockModeType.PESSIMISTIC_WRITE);
    }

    /**
     * The record's value.
     *
     * @throws IllegalArgumentException when it cannot be parsed, or lacks what every ping or watermark carries
     */
    private static PingsRecord parse(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            throw new IllegalArgumentException("an empty record");
        }
        PingsRecord value = Json.read(record.value(), PingsRecord.class);
        if (value == null) {
            throw new IllegalArgumentException("neither a ping nor a watermark");
        }
        if (value instanceof PingReceived p && (p.monitorId() == null || p.eventId() == null || p.type() == null
                || p.receivedAt() == null)) {
            throw new IllegalArgumentException("a ping without monitorId, eventId, type or receivedAt");
        }
        if (value instanceof IngestWatermark w && (w.ingestId() == null || w.watermark() == null
                || w.leaseExpiresAt() == null)) {
            throw new IllegalArgumentException("a watermark without ingestId, watermark or leaseExpiresAt");
        }
        return value;
    }

    private static PingsRecord parseQuietly(ConsumerRecord<String, byte[]> record) {
        try {
            return parse(record);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static void lease(Map<String, IngestLease> leases, int partition, IngestWatermark mark) {
        IngestLease lease = leases.get(mark.ingestId());
        if (lease == null) {
            lease = new IngestLease();
            lease.partition = partition;
            lease.ingestId = mark.ingestId();
            lease.watermark = mark.watermark();
            lease.leaseExpiresAt = mark.leaseExpiresAt();
            lease.persist();
            leases.put(lease.ingestId, lease);
            return;
        }
        if (mark.watermark().isAfter(lease.watermark)) {
            lease.watermark = mark.watermark();
        }
        if (mark.leaseExpiresAt().isAfter(lease.leaseExpiresAt)) {
            lease.leaseExpiresAt = mark.leaseExpiresAt();
        }
    }

    /**
     * The partition's watermark is the oldest among live leases; a lease is live while its expiry is after
     * the partition's stream time (the newest watermark any instance wrote), so an evaluator catching up on a
     * backlog does not expire leases by its own clock. The stored watermark never goes back.
     */
    private static boolean storeWatermark(PartitionOffset stored, Map<String, IngestLease> leases, Instant now) {
        Instant streamTime = leases.values().stream().map(l -> l.watermark).max(Comparator.naturalOrder()).orElse(null);
        if (streamTime == null) {
            return false;
        }
        Instant oldestLive = null;
        for (IngestLease lease : leases.values()) {
            if (lease.leaseExpiresAt.isAfter(streamTime)) {
                if (oldestLive == null || lease.watermark.isBefore(oldestLive)) {
                    oldestLive = lease.watermark;
                }
            } else {
                lease.delete();
            }
        }
        if (oldestLive == null) {
            oldestLive = streamTime;
        }
        if (stored.watermark == null || oldestLive.isAfter(stored.watermark)) {
            stored.watermark = oldestLive;
            stored.watermarkAdvancedAt = now;
            return true;
        }
        return false;
    }

    /**
     * Applies the batch's pings and the held ones of its partitions, per monitor in received-at order. A ping
     * received at or after its monitor's next deadline waits while the partition's watermark is before it (a
     * ping received before the deadline may still be on its way from another ingest instance: applying the later
     * one first would erase the outage); the monitor's later pings wait behind it. Once the watermark passes it,
     * it is applied, and the deadlines it crossed are declared at their own times first.
     */
    private void applyPings(List<Received> received, Map<Integer, Instant> safeUntil, Set<UUID> only,
                            Map<UUID, String> broken, Instant now) {
        List<Received> all = new ArrayList<>(received);
        for (Received r : held(safeUntil.keySet())) {
            if (only == null || only.contains(r.ping().monitorId())) {
                all.add(r);
            }
        }
        if (all.isEmpty()) {
            return;
        }
        all = provision(all, now);
        Map<UUID, List<Received>> byMonitor = new LinkedHashMap<>();
        for (Received r : all) {
            byMonitor.computeIfAbsent(r.ping().monitorId(), k -> new ArrayList<>()).add(r);
        }
        // flips' inserts go out as JDBC batches at flush
        em.unwrap(Session.class).setJdbcBatchSize(all.size());
        // the one locking rule (Monitor.lockAndRead); read-only: no dirty checking, the state is written once per
        // monitor by writeState, under these locks
        List<Monitor> monitors = Monitor.lockAndRead(byMonitor.keySet(), true);
        Map<UUID, Monitor> found = new HashMap<>();
        monitors.forEach(m -> found.put(m.id, m));
        Set<UUID> postOnly = postOnly(found.keySet());
        Map<Slot, HistoryRow> history = new LinkedHashMap<>();
        List<Received> hold = new ArrayList<>();
        List<Received> released = new ArrayList<>();
        for (UUID id : Dependencies.parentsFirst(byMonitor.keySet(), found)) {
            var entry = Map.entry(id, byMonitor.get(id));
            Monitor monitor = found.get(entry.getKey());
            if (monitor == null) {
                Log.debugf("skipping %d ping(s) for unknown monitor %s (deleted)", entry.getValue().size(), entry.getKey());
                continue;
            }
            entry.getValue().sort(Comparator.comparing((Received r) -> r.ping().receivedAt()).thenComparing(Received::offset));
            String why = broken.get(monitor.id);
            if (why != null && monitor.errorText == null) {
                monitor.errorText = why;
                monitor.errorAt = now;
                Log.errorf("monitor %s cannot be evaluated, its pings are kept until it is changed: %s", monitor.slug, why);
            }
            if (monitor.errorText != null) {
                // in its error state: every ping waits, untouched, until a change to the monitor clears the error
                entry.getValue().stream().filter(r -> !r.held()).forEach(hold::add);
                continue;
            }
            boolean waiting = false;
            for (Received r : entry.getValue()) {
                Instant watermark = safeUntil.get(r.partition());
                waiting = waiting || MonitorRules.mustWait(monitor, r.ping().receivedAt(), watermark);
                if (waiting) {
                    if (!r.held()) {
                        hold.add(r);
                    }
                    continue;
                }
                if (r.held()) {
                    released.add(r);
                }
                applyOne(monitor, r, watermark, history, postOnly);
            }
        }
        writeHistory(history.values());
        writeState(monitors);
        writeHeld(hold, released);
    }

    /**
     * The pings with each create ping ({@code ?create=1}) turned into a ping for the monitor with its slug, created
     * first when there is none; a create ping of a deleted ping key for a slug no monitor has is left out.
     */
    private List<Received> provision(List<Received> all, Instant now) {
        if (all.stream().noneMatch(r -> r.ping().create() != null)) {
            return all;
        }
        List<Received> resolved = new ArrayList<>(all.size());
        for (Received r : all) {
            if (r.ping().create() == null) {
                resolved.add(r);
                continue;
            }
            UUID id = provisioning.resolve(r.ping(), now);
            if (id != null) {
                resolved.add(id.equals(r.ping().monitorId()) ? r
                        : new Received(r.partition(), r.offset(), r.ping().forMonitor(id), r.held()));
            }
        }
        return resolved;
    }

    /** The pings held on {@code partitions}: usually none. */
    private List<Received> held(Collection<Integer> partitions) {
        if (partitions.isEmpty()) {
            return List.of();
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(
                        "SELECT kafka_partition, kafka_offset, record FROM held_ping WHERE kafka_partition IN (:partitions)")
                .setParameter("partitions", partitions)
                .getResultList();
        List<Received> held = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            held.add(new Received(((Number) row[0]).intValue(), ((Number) row[1]).longValue(),
                    Json.read((byte[]) row[2], PingReceived.class), true));
        }
        return held;
    }

    private void writeHeld(List<Received> hold, List<Received> released) {
        if (hold.isEmpty() && released.isEmpty()) {
            return;
        }
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO held_ping (kafka_partition, kafka_offset, monitor_id, received_at, record)
                    VALUES (?, ?, ?, ?, ?)""");
                 PreparedStatement delete = connection.prepareStatement(
                         "DELETE FROM held_ping WHERE kafka_partition = ? AND kafka_offset = ?")) {
                for (Received r : hold) {
                    insert.setInt(1, r.partition());
                    insert.setLong(2, r.offset());
                    insert.setObject(3, r.ping().monitorId());
                    insert.setObject(4, timestamp(r.ping().receivedAt()));
                    insert.setBytes(5, Json.write(r.ping()));
                    insert.addBatch();
                }
                for (Received r : released) {
                    delete.setInt(1, r.partition());
                    delete.setLong(2, r.offset());
                    delete.addBatch();
                }
                insert.executeBatch();
                delete.executeBatch();
            }
        });
        if (!hold.isEmpty()) {
            Log.debugf("holding %d ping(s) received after their monitor's deadline until the watermark passes them",
                    hold.size());
        }
    }

    /**
     * The monitors among {@code ids} that take POST pings only (Healthchecks' {@code methods: "POST"}, kept in
     * {@code hc_check} by the Healthchecks-compatible API): their GET and HEAD pings are kept as ignored.
     */
    @SuppressWarnings("unchecked")
    private Set<UUID> postOnly(Set<UUID> ids) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(em.createNativeQuery("SELECT monitor_id FROM hc_check WHERE methods = 'POST' AND monitor_id IN (:ids)",
                UUID.class).setParameter("ids", ids).getResultList());
    }

    private void applyOne(Monitor monitor, Received r, Instant safeUntil, Map<Slot, HistoryRow> history, Set<UUID> postOnly) {
        PingReceived ping = r.ping();
        Instant lastPingAt = monitor.lastPingAt;
        String lastBody = monitor.lastBody;
        boolean refused = postOnly.contains(monitor.id) && !"POST".equalsIgnoreCase(ping.method());
        MonitorRules.Applied applied = refused ? MonitorRules.applyIgnoredPing(monitor, ping, safeUntil)
                : MonitorRules.applyPing(monitor, ping, safeUntil);
        if (!refused && !ping.receivedAt().isBefore(monitor.lastPingAt)) {
            monitor.lastBody = bodyText(ping.body());
        }
        // a later ping of the batch that lands in the same ring slot replaces the earlier one (one row per slot
        // and statement: a multi-row upsert cannot touch a row twice)
        Slot slot = new Slot(monitor.id, (int) (monitor.pingCount % config.pingHistory()));
        history.remove(slot);
        history.put(slot, new HistoryRow(slot, monitor.pingCount, ping,
                applied.runDuration() == null ? null : applied.runDuration().toMillis(), applied.ignored()));
        var before = applied.transitions().stream().filter(t -> t.at().isBefore(ping.receivedAt())).toList();
        var after = applied.transitions().stream().filter(t -> !t.at().isBefore(ping.receivedAt())).toList();
        flips.record(monitor, before, lastPingAt, lastBody);
        flips.record(monitor, after);
    }

    private record Slot(UUID monitorId, int slot) {
    }

    private record HistoryRow(Slot slot, long n, PingReceived ping, Long durationMs, boolean ignored) {
    }

    private static final String UPSERT = """
            INSERT INTO ping (monitor_id, slot, n, event_id, type, exit_status, rid, received_at, method, scheme,
                              remote_addr, user_agent, content_type, body, body_size, duration_ms, ignored)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (monitor_id, slot) DO UPDATE SET
                n = excluded.n, event_id = excluded.event_id, type = excluded.type, exit_status = excluded.exit_status,
                rid = excluded.rid, received_at = excluded.received_at, method = excluded.method,
                scheme = excluded.scheme, remote_addr = excluded.remote_addr, user_agent = excluded.user_agent,
                content_type = excluded.content_type, body = excluded.body, body_size = excluded.body_size,
                duration_ms = excluded.duration_ms, ignored = excluded.ignored
            """;

    /**
     * Writes the history rows with one JDBC batch on the transaction's connection (the driver's
     * {@code reWriteBatchedInserts} turns it into multi-row upserts).
     */
    private void writeHistory(Collection<HistoryRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement st = connection.prepareStatement(UPSERT)) {
                for (HistoryRow row : rows) {
                    PingReceived ping = row.ping();
                    st.setObject(1, row.slot().monitorId());
                    st.setInt(2, row.slot().slot());
                    st.setLong(3, row.n());
                    st.setObject(4, ping.eventId());
                    st.setString(5, ping.type().json());
                    st.setObject(6, ping.exitStatus(), Types.INTEGER);
                    st.setObject(7, ping.rid(), Types.OTHER);
                    st.setObject(8, timestamp(ping.receivedAt()));
                    st.setString(9, clean(ping.method()));
                    st.setString(10, clean(ping.scheme()));
                    st.setString(11, clean(ping.remoteAddr()));
                    st.setString(12, clean(ping.userAgent()));
                    st.setString(13, clean(ping.contentType()));
                    st.setBytes(14, ping.body());
                    st.setLong(15, ping.body() != null && ping.bodySize() == 0 ? ping.body().length : ping.bodySize());
                    st.setObject(16, row.durationMs(), Types.BIGINT);
                    st.setBoolean(17, row.ignored());
                    st.addBatch();
                }
                st.executeBatch();
            }
        });
    }

    /**
     * The batch's state UPDATE, generated from {@link Monitor#ENGINE_COLUMNS}: one array per column, unnested into
     * one row per monitor.
     */
    static final String UPDATE_STATE = updateState();

    private static String updateState() {
        List<Monitor.StateColumn> columns = Monitor.ENGINE_COLUMNS;
        StringBuilder sql = new StringBuilder("UPDATE monitor_state s SET ");
        StringJoiner set = new StringJoiner(", ");
        StringJoiner arrays = new StringJoiner(", ", "?::uuid[], ", "");
        StringJoiner names = new StringJoiner(", ", "id, ", "");
        for (Monitor.StateColumn c : columns) {
            set.add(c.name() + " = v." + c.name());
            arrays.add("?::" + c.sqlType() + "[]");
            names.add(c.name());
        }
        return sql.append(set).append(" FROM unnest(").append(arrays).append(") AS v(").append(names)
                .append(") WHERE s.id = v.id").toString();
    }

    /**
     * Writes the engine's columns of every monitor of the batch with one statement (the configuration columns
     * stay the admin API's): one row per monitor however many of its pings the batch held.
     */
    private void writeState(List<Monitor> monitors) {
        List<Monitor.StateColumn> columns = Monitor.ENGINE_COLUMNS;
        int n = monitors.size();
        Object[] ids = new Object[n];
        Object[][] values = new Object[columns.size()][n];
        for (int i = 0; i < n; i++) {
            Monitor m = monitors.get(i);
            ids[i] = m.id;
            for (int c = 0; c < columns.size(); c++) {
                values[c][i] = columns.get(c).value().apply(m);
            }
        }
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement st = connection.prepareStatement(UPDATE_STATE)) {
                st.setArray(1, connection.createArrayOf("uuid", ids));
                for (int c = 0; c < columns.size(); c++) {
                    st.setArray(c + 2, connection.createArrayOf(columns.get(c).sqlType(), values[c]));
                }
                st.executeUpdate();
            }
        });
    }

    private static OffsetDateTime timestamp(Instant at) {
        return at == null ? null : OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }

    /** The body as text for alerts: at most 1000 characters, null when empty. */
    static String bodyText(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        String text = clean(new String(body, StandardCharsets.UTF_8));
        return text.length() <= BODY_TEXT_LIMIT ? text : text.substring(0, BODY_TEXT_LIMIT);
    }

    /** PostgreSQL text cannot hold NUL: a sender's bytes must not be able to block a partition. */
    static String clean(String text) {
        return text == null || text.indexOf('\u0000') < 0 ? text : text.replace('\u0000', '\uFFFD');
    }
}
