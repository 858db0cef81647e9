package io.vigil.notifier.service;

import io.vigil.contracts.ChannelChanged;
import io.vigil.notifier.RejectedRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Applies one batch of {@code vigil.channels.v1} in one transaction: the channel records (older versions ignored,
 * tombstones mark deleted), the unparseable records set aside, and the flips that waited for these channels routed.
 */
@ApplicationScoped
public class ChannelIntake {

    /** One record of the channels topic: a channel's new version, or its tombstone ({@code change} null). */
    public record Change(UUID channelId, ChannelChanged change) {
    }

    private final ChannelStore channels;
    private final FlipIntake flips;
    private final DeadLetterStore deadLetters;

    public ChannelIntake(ChannelStore channels, FlipIntake flips, DeadLetterStore deadLetters) {
        this.channels = channels;
        this.flips = flips;
        this.deadLetters = deadLetters;
    }

    @Transactional
    public Taken apply(List<Change> changes, List<RejectedRecord> rejected, Instant now) {
        int setAside = deadLetters.setAside(rejected, now);
        Set<UUID> ids = new LinkedHashSet<>();
        changes.forEach(change -> ids.add(change.channelId()));
        channels.lock(ids);
        for (Change change : changes) {
            channels.apply(change.channelId(), change.change(), now);
        }
        int deliveries = 0;
        for (UUID id : ids) {
            deliveries += flips.releaseAwaiting(id, now);
        }
        return new Taken(deliveries, setAside);
    }
}
