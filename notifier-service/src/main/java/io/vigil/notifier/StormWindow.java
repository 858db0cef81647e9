package io.vigil.notifier;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A Slack, Teams or email channel's current storm window: when it started, its alerts, its open digest. */
@Entity
@Table(name = "storm_window")
public class StormWindow extends PanacheEntityBase {

    @Id
    @Column(name = "channel_id")
    public UUID channelId;

    @Column(name = "window_start")
    public Instant windowStart;

    @Column(name = "alert_count")
    public int alertCount;

    /** The digest the window's overflow goes into, or null while none is open. */
    @Column(name = "digest_id")
    public UUID digestId;

    /** The channel's window, locked for the caller's transaction, or null. */
    public static StormWindow findLocked(UUID channelId) {
        return findById(channelId, LockModeType.PESSIMISTIC_WRITE);
    }
}
