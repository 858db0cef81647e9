package io.vigil.notifier;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.vigil.contracts.Json;
import io.vigil.contracts.MonitorFlipped;
import io.vigil.contracts.Status;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/** A flip the notifier has taken in (its event id dedups redelivery); the routing history of a monitor. */
@Entity
@Table(name = "flip")
public class Flip extends PanacheEntityBase {

    /** The flip's event id. */
    @Id
    public UUID id;

    @Column(name = "monitor_id")
    public UUID monitorId;

    public long sequence;

    @Enumerated(EnumType.STRING)
    public Status status;

    @Enumerated(EnumType.STRING)
    @Column(name = "previous_status")
    public Status previousStatus;

    /** The {@link MonitorFlipped} event as JSON. */
    public String payload;

    @Column(name = "received_at")
    public Instant receivedAt;

    /** The event this flip was taken in from. */
    public MonitorFlipped event() {
        return Json.read(payload.getBytes(StandardCharsets.UTF_8), MonitorFlipped.class);
    }

    /** The sequence of the monitor's latest flip taken in, or null when there is none. */
    public static Long findLatestSequence(UUID monitorId) {
        return getEntityManager().createQuery("select max(f.sequence) from Flip f where f.monitorId = ?1", Long.class)
                .setParameter(1, monitorId).getSingleResult();
    }
}
