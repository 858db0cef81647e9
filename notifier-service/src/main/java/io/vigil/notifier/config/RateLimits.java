package io.vigil.notifier.config;

import io.vigil.contracts.ChannelType;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * The least time between two messages to one target of each channel type: the type's default from its definition,
 * unless {@code vigil.notifier.rate.<type>} (environment {@code VIGIL_NOTIFIER_RATE_<TYPE>}) says otherwise; zero or
 * negative is no limit. The guard ({@code vigil.notifier.rate.guard}) is added to every limited interval.
 */
@ApplicationScoped
public class RateLimits {

    private final Map<ChannelType, Duration> spacing = new EnumMap<>(ChannelType.class);

    public RateLimits(NotifierConfig notifier) {
        Duration guard = notifier.rate().guard();
        for (ChannelType type : ChannelType.values()) {
            Duration interval = notifier.rate().intervals().getOrDefault(type.json(), type.definition().rate());
            spacing.put(type, interval.isZero() || interval.isNegative() ? Duration.ZERO
                    : interval.plus(guard.compareTo(interval.dividedBy(10)) < 0 ? guard : interval.dividedBy(10)));
        }
    }

    /** The least time between two messages to one target of {@code type}, with the jitter guard; zero when unlimited. */
    public Duration spacing(ChannelType type) {
        return spacing.get(type);
    }
}
