package io.vigil.notifier;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * The rate limit of one target (a Slack or Teams webhook, a webhook URL hashed, an email channel),
 * shared by every notifier instance: the next claim slot and when the last message left.
 */
@Entity
@Table(name = "target_rate")
public class TargetRate extends PanacheEntityBase {

    @Id
    public String target;

    /** The earliest time a claim may take the target's next slot. */
    @Column(name = "next_allowed_at")
    public Instant nextAllowedAt;

    /** When the last message to the target was answered (in the future while one is in flight). */
    @Column(name = "last_sent_at")
    public Instant lastSentAt;

    /** The target's next claim slot as the database holds it now, or null. */
    public static Instant findNextAllowedAt(String target) {
        return getEntityManager().createQuery("select t.nextAllowedAt from TargetRate t where t.target = ?1", Instant.class)
                .setParameter(1, target).getResultStream().findFirst().orElse(null);
    }
}
