package io.vigil.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A channel as the notifier needs it, on the compacted {@link Topics#CHANNELS} topic keyed by channel
 * id; a deleted channel is a tombstone. The type's settings (webhook URLs, secrets, header values) travel
 * sealed in {@code sealedConfig} ({@link SecretsKeyring}, bound to the channel id), so the topic and its
 * copies hold no readable secret; {@code config} is the opened form, set only in memory (and read from
 * records written before sealing). {@code version} grows with every change.
 *
 * @param notifyOn     the statuses this channel is alerted about ({@code DOWN}, {@code UP}, {@code LATE}, {@code MAINTENANCE})
 * @param remindEvery  repeat a DOWN alert this often while the monitor stays DOWN, or null
 * @param sealedConfig {@code config} as JSON sealed with the evaluator's current key, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChannelChanged(
        UUID channelId,
        String name,
        ChannelType type,
        Map<String, Object> config,
        List<Status> notifyOn,
        Duration remindEvery,
        long version,
        String sealedConfig) {

    /** A channel with its settings in the clear (in memory, before {@link #sealedWith}). */
    public ChannelChanged(UUID channelId, String name, ChannelType type, Map<String, Object> config, List<Status> notifyOn,
                          Duration remindEvery, long version) {
        this(channelId, name, type, config, notifyOn, remindEvery, version, null);
    }

    /** This record as it goes on the topic: {@code config} sealed into {@code sealedConfig}. */
    public ChannelChanged sealedWith(SecretsKeyring keys) {
        String sealed = keys.seal(Json.write(config == null ? Map.of() : config), channelId.toString());
        return new ChannelChanged(channelId, name, type, null, notifyOn, remindEvery, version, sealed);
    }

    /** This record with {@code config} opened from {@code sealedConfig} (a record without one is returned as it is). */
    public ChannelChanged openedWith(SecretsKeyring keys) throws SecretsKeyring.SealException {
        if (sealedConfig == null) {
            return this;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> opened = Json.read(keys.open(sealedConfig, String.valueOf(channelId)), Map.class);
        return new ChannelChanged(channelId, name, type, opened, notifyOn, remindEvery, version, null);
    }
}
