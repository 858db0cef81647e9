package io.vigil.evaluator.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the console shows beside each channel: the monitors that notify through it and its newest failed delivery
 * attempt (as the notifier reported it on {@code vigil.deliveries.v1}).
 */
@ApplicationScoped
public class ChannelUsage {

    /** A monitor that uses a channel. */
    public record User(UUID id, String name) {
    }

    /**
     * A channel's newest delivery attempt that did not deliver.
     *
     * @param outcome    {@code retry} or {@code failed}
     * @param httpStatus the provider's answer, when there was one
     * @param error      what went wrong, as the notifier reported it (no secrets: the notifier leaves them out)
     */
    public record LastError(Instant at, String outcome, Integer httpStatus, String error) {
    }

    private final EntityManager entities;

    public ChannelUsage(EntityManager entities) {
        this.entities = entities;
    }

    /** The monitors that use each of {@code channels}, by name; a channel no monitor uses is absent. */
    @Transactional
    public Map<UUID, List<User>> usedBy(Collection<UUID> channels) {
        Map<UUID, List<User>> users = new HashMap<>();
        if (channels.isEmpty()) {
            return users;
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entities.createNativeQuery("SELECT c.channel_id, m.id, m.name FROM monitor m,"
                        + " unnest(m.channel_ids) AS c(channel_id) WHERE c.channel_id = ANY(CAST(:ids AS uuid[])) ORDER BY m.name, m.id")
                .setParameter("ids", ids(channels)).getResultList();
        for (Object[] row : rows) {
            users.computeIfAbsent((UUID) row[0], id -> new ArrayList<>()).add(new User((UUID) row[1], (String) row[2]));
        }
        return users;
    }

    /** The newest attempt of each of {@code channels} that did not deliver; a channel without one is absent. */
    @Transactional
    public Map<UUID, LastError> lastErrors(Collection<UUID> channels) {
        Map<UUID, LastError> errors = new HashMap<>();
        if (channels.isEmpty()) {
            return errors;
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entities.createNativeQuery("SELECT DISTINCT ON (n.channel_id) n.channel_id, a.at, a.outcome,"
                        + " a.http_status, a.error FROM notification n JOIN notification_attempt a ON a.notification_id = n.id"
                        + " WHERE n.channel_id = ANY(CAST(:ids AS uuid[])) AND a.outcome <> 'delivered'"
                        + " ORDER BY n.channel_id, a.at DESC, a.event_id")
                .setParameter("ids", ids(channels)).getResultList();
        for (Object[] row : rows) {
            errors.put((UUID) row[0], new LastError(instant(row[1]), (String) row[2],
                    row[3] == null ? null : ((Number) row[3]).intValue(), (String) row[4]));
        }
        return errors;
    }

    private static String[] ids(Collection<UUID> channels) {
        return channels.stream().map(UUID::toString).toArray(String[]::new);
    }

    private static Instant instant(Object value) {
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toInstant();
        }
        if (value instanceof java.time.OffsetDateTime offset) {
            return offset.toInstant();
        }
        return null;
    }
}
