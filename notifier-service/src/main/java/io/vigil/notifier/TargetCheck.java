package io.vigil.notifier;

import io.vigil.contracts.TargetPolicy;
import java.util.Optional;

/**
 * The send-time re-check of a channel's HTTP target (a name may resolve elsewhere than when the
 * channel was created): refused targets are a permanent failure with a reason that never repeats the URL.
 */
public final class TargetCheck {

    private final TargetPolicy policy;

    public TargetCheck(boolean allowPrivateTargets) {
        this.policy = new TargetPolicy(allowPrivateTargets);
    }

    /** Empty when the channel may be sent to now, else why not. */
    public Optional<String> refusal(Channel channel) {
        String url = channel.targetUrl();
        if (url == null) {
            return Optional.empty(); // email, or a provider's fixed address (the operator's setting)
        }
        return policy.refusal(url).map(reason -> "target refused: the URL " + reason);
    }
}
