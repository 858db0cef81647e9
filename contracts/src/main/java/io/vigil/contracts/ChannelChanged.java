package io.vigil.contracts;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A channel as the notifier needs it, on the compacted {@link Topics#CHANNELS} topic keyed by channel
 * id; a deleted channel is a tombstone. {@code config} holds the type's settings unmasked (webhook URLs
 * and secrets): this topic is internal. {@code version} grows with every change.
 *
 * @param notifyOn    the statuses this channel is alerted about ({@code DOWN}, {@code UP}, {@code LATE})
 * @param remindEvery repeat a DOWN alert this often while the monitor stays DOWN, or null
 */
public record ChannelChanged(
        UUID channelId,
        String name,
        ChannelType type,
        Map<String, Object> config,
        List<Status> notifyOn,
        Duration remindEvery,
        long version) {
}
