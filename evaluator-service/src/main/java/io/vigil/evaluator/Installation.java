package io.vigil.evaluator;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The one row of per-installation secrets: the badge key that makes badge URLs unguessable. */
@Entity
@Table(name = "installation")
public class Installation extends PanacheEntityBase {

    /** The id of the only row. */
    public static final int ID = 1;

    @Id
    public int id;

    @Column(name = "badge_key")
    public String badgeKey;

    @Column(name = "created_at")
    public Instant createdAt;

    public static Installation current() {
        return findById(ID);
    }
}
