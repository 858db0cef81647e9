package io.vigil.evaluator.service;

import io.quarkus.logging.Log;
import io.vigil.contracts.PingReceived;
import io.vigil.contracts.Status;
import io.vigil.contracts.TokenHash;
import io.vigil.evaluator.Channel;
import io.vigil.evaluator.Monitor;
import io.vigil.evaluator.PingKey;
import io.vigil.evaluator.messaging.KafkaTopology;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.hibernate.Session;

/**
 * Auto-provisioning (Healthchecks' {@code ?create=1} slug pings): resolves a create ping to the monitor that has
 * its slug, creating that monitor with the ping key's defaults when there is none, inside the applier's
 * transaction, so the monitor, its registry record and the ping's effect commit together.
 * <p>
 * Creation is idempotent: every first ping of a slug carries the slug's name-based monitor id, so they travel on
 * one partition and are applied in order by one evaluator; the first creates the monitor, the others find it by
 * its slug. A monitor the admin API created with that slug a moment before (ingest did not know it yet) is found
 * the same way, and the monitor row is inserted with {@code ON CONFLICT DO NOTHING}, so an admin create racing
 * with the ping's transaction makes one monitor, never a failed batch.
 */
@ApplicationScoped
public class AutoProvisioning {

    private static final String INSERT_MONITOR = """
            INSERT INTO monitor (id, name, slug, description, tags, schedule_type, every_ms, cron_expression, timezone,
                                 grace_ms, max_runtime_ms, channel_ids, token, token_hash, system, version, badge_id,
                                 created_at, updated_at)
            VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, false, 1, ?, ?, ?)
            ON CONFLICT DO NOTHING""";

    private final EntityManager em;
    private final MonitorLifecycle lifecycle;
    private final KafkaTopology topology;
    private final Badges badges;

    public AutoProvisioning(EntityManager em, MonitorLifecycle lifecycle, KafkaTopology topology, Badges badges) {
        this.em = em;
        this.lifecycle = lifecycle;
        this.topology = topology;
        this.badges = badges;
    }

    /**
     * The id of the monitor a create ping is for: the one with its slug, else one created now with the ping key's
     * defaults; null when there is none and the ping key was deleted (the ping is then not applied).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public UUID resolve(PingReceived ping, Instant now) {
        PingReceived.AutoCreate create = ping.create();
        UUID existing = idBySlug(create.slug());
        if (existing != null) {
            return existing;
        }
        PingKey key = PingKey.findById(create.pingKeyId(), LockModeType.PESSIMISTIC_READ);
        if (key == null) {
            Log.infof("a create ping for slug %s is not applied: its ping key %s was deleted", create.slug(),
                    create.pingKeyId());
            return null;
        }
        // the slug's own id, unless a monitor created with it has since been given another slug
        UUID id = idExists(ping.monitorId()) ? UUID.randomUUID() : ping.monitorId();
        if (!insert(id, create.slug(), key, now)) {
            UUID winner = idBySlug(create.slug());
            if (winner == null) {
                Log.warnf("a create ping for slug %s is not applied: the monitor could not be created", create.slug());
            }
            return winner;
        }
        Monitor monitor = Monitor.findById(id);
        lifecycle.created(monitor);
        em.flush();
        em.detach(monitor); // the applier reads it again under its lock, as every monitor of the batch
        Log.infof("monitor %s (%s) created by a ping with ping key %s", id, create.slug(), key.id);
        return id;
    }

    private boolean idExists(UUID id) {
        return !em.createNativeQuery("SELECT 1 FROM monitor WHERE id = ?1").setParameter(1, id).getResultList().isEmpty();
    }

    private UUID idBySlug(String slug) {
        List<?> ids = em.createNativeQuery("SELECT id FROM monitor WHERE slug = ?1", UUID.class)
                .setParameter(1, slug).getResultList();
        return ids.isEmpty() ? null : (UUID) ids.get(0);
    }

    /** Inserts the monitor and its state row; false when a monitor took the slug (or the id) first. */
    private boolean insert(UUID id, String slug, PingKey key, Instant now) {
        Set<UUID> channels = new HashSet<>(key.channelIds);
        if (!channels.isEmpty()) {
            // a channel deleted since the key was made is left out, as its deletion removed it from every monitor
            Set<UUID> existing = new HashSet<>(Channel.<Channel>list("id in ?1", channels).stream().map(c -> c.id).toList());
            channels.retainAll(existing);
        }
        List<UUID> channelIds = key.channelIds.stream().filter(channels::contains).toList();
        String token = Secrets.generate();
        OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        int[] inserted = new int[1];
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement st = connection.prepareStatement(INSERT_MONITOR)) {
                st.setObject(1, id);
                st.setString(2, slug);
                st.setString(3, slug);
                st.setArray(4, connection.createArrayOf("text", key.tags.toArray()));
                st.setString(5, key.scheduleType);
                st.setObject(6, key.everyMs, Types.BIGINT);
                st.setString(7, key.cronExpression);
                st.setString(8, key.timezone);
                st.setLong(9, key.graceMs);
                st.setArray(10, connection.createArrayOf("uuid", channelIds.toArray()));
                st.setString(11, token);
                st.setString(12, TokenHash.of(token));
                st.setString(13, Monitor.newBadgeId());
                st.setObject(14, at);
                st.setObject(15, at);
                inserted[0] = st.executeUpdate();
            }
            if (inserted[0] == 1) {
                try (PreparedStatement st = connection.prepareStatement(
                        "INSERT INTO monitor_state (id, kafka_partition, status, maintenance_from) VALUES (?, ?, ?, ?)")) {
                    st.setObject(1, id);
                    st.setInt(2, topology.partitionOf(id));
                    st.setString(3, Status.NEW.name());
                    st.setObject(4, at); // windows apply from creation on, as for a monitor created through the API
                    st.executeUpdate();
                }
            }
        });
        if (inserted[0] == 1) {
            badges.ensureTags(key.tags);
        }
        return inserted[0] == 1;
    }
}
