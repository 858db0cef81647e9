package io.vigil.notifier;

import com.fasterxml.jackson.core.type.TypeReference;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.vigil.contracts.ChannelType;
import io.vigil.contracts.Json;
import io.vigil.contracts.Status;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A row of the notifier's view of {@code vigil.channels.v1} (table {@code channel}). A deleted channel
 * is kept, marked, so a late flip naming it is recognised. Senders work on the detached {@link Channel}
 * value ({@link #toChannel()}), never on the entity. {@code config} is unmasked JSON: never log it.
 */
@Entity
@Table(name = "channel")
public class ChannelEntry extends PanacheEntityBase {

    private static final TypeReference<Map<String, Object>> CONFIG = new TypeReference<>() { };

    @Id
    public UUID id;

    public String name;

    /** The channel type's JSON name ({@code slack}, {@code teams}, {@code email}, {@code webhook}). */
    public String type;

    /** The channel's config as JSON. */
    public String config;

    /** Comma-separated statuses. */
    @Column(name = "notify_on")
    public String notifyOn;

    @Column(name = "remind_every_ms")
    public Long remindEveryMs;

    public long version;

    public boolean deleted;

    @Column(name = "updated_at")
    public Instant updatedAt;

    /** The channels with these ids that exist and are not deleted. */
    public static List<ChannelEntry> findLive(Collection<UUID> ids) {
        return ids.isEmpty() ? List.of() : list("deleted = false and id in ?1", ids);
    }

    /** The ids among these that the view holds, live or deleted. */
    public static Set<UUID> findKnownIds(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        return Set.copyOf(getEntityManager().createQuery("select c.id from ChannelEntry c where c.id in ?1", UUID.class)
                .setParameter(1, ids).getResultList());
    }

    /** The channel as the senders see it: config parsed, statuses and reminder interval typed. */
    public Channel toChannel() {
        Map<String, Object> parsed;
        try {
            parsed = Json.mapper().readValue(config, CONFIG);
        } catch (Exception e) {
            parsed = Map.of();
        }
        Set<Status> statuses = notifyOn == null || notifyOn.isBlank() ? EnumSet.noneOf(Status.class)
                : Arrays.stream(notifyOn.split(",")).map(Status::valueOf)
                        .collect(Collectors.toCollection(() -> EnumSet.noneOf(Status.class)));
        return new Channel(id, name, ChannelType.fromJson(type), parsed, statuses,
                remindEveryMs == null ? null : Duration.ofMillis(remindEveryMs), version, deleted);
    }
}
