package io.vigil.notifier.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;
import java.time.Duration;
import java.util.Map;

/** The notifier's settings ({@code vigil.notifier.*}); every one can be set through the environment. */
@ConfigMapping(prefix = "vigil.notifier")
public interface NotifierConfig {

    /** Allow Slack/Teams/webhook targets on loopback, private, link-local or metadata addresses. */
    @WithDefault("false")
    boolean allowPrivateTargets();

    /**
     * {@code VIGIL_INTERNAL_TOKEN}: the secret the evaluator sends on every call of the internal API (at least 24
     * characters); without it every internal call is answered 401.
     */
    java.util.Optional<String> internalToken();

    /** PagerDuty's Events API base ({@code VIGIL_NOTIFIER_PAGERDUTY_URL}; another for tests or a proxy). */
    @WithName("pagerduty-url")
    @WithDefault("https://events.pagerduty.com")
    String pagerdutyUrl();

    /** Opsgenie's API base for the US region ({@code VIGIL_NOTIFIER_OPSGENIE_URL}); the EU one is {@link #opsgenieEuUrl}. */
    @WithName("opsgenie-url")
    @WithDefault("https://api.opsgenie.com")
    String opsgenieUrl();

    /** Opsgenie's API base for channels with {@code "region": "eu"} ({@code VIGIL_NOTIFIER_OPSGENIE_EU_URL}). */
    @WithName("opsgenie-eu-url")
    @WithDefault("https://api.eu.opsgenie.com")
    String opsgenieEuUrl();

    /** Telegram's Bot API base ({@code VIGIL_NOTIFIER_TELEGRAM_URL}). */
    @WithName("telegram-url")
    @WithDefault("https://api.telegram.org")
    String telegramUrl();

    /** Pushover's API base ({@code VIGIL_NOTIFIER_PUSHOVER_URL}). */
    @WithName("pushover-url")
    @WithDefault("https://api.pushover.net")
    String pushoverUrl();

    /** The sender address of alert emails. */
    @WithDefault("vigil@localhost")
    String mailFrom();

    /** Partitions of the keyed topics when the notifier creates them. */
    @WithDefault("8")
    int kafkaPartitions();

    /** Replication factor of the topics when the notifier creates them. */
    @WithDefault("1")
    short kafkaReplication();

    /**
     * One try of a consumer's batch, or one pass of the dispatcher's loop, running this long without finishing means
     * it is stuck: {@code /q/health/live} turns DOWN.
     */
    @WithDefault("PT2M")
    Duration stallAfter();

    /**
     * How long the broker waits for a silent notifier instance (killed, frozen, cut off) before its flip partitions go to
     * the others ({@code VIGIL_KAFKA_SESSION_TIMEOUT}).
     */
    @WithDefault("PT10S")
    Duration consumerSessionTimeout();

    Dispatch dispatch();

    Retry retry();

    Storm storm();

    Rate rate();

    Consumers consumers();

    /** How the dispatcher claims and sends due deliveries. */
    interface Dispatch {

        /** How often the dispatcher looks for due deliveries when nothing woke it. */
        @WithDefault("PT0.2S")
        Duration pollInterval();

        /** Sends in flight at once per notifier instance (sends do not hold a thread while they wait for the answer). */
        @WithDefault("256")
        int concurrency();

        /** Sends in flight at once to one target (a webhook URL, a Slack or Teams webhook, an email channel). */
        @WithDefault("16")
        int perTargetConcurrency();

        /**
         * Keep-alive connections to one host and port (several channels may share a host); sends beyond them wait for
         * one. Kept below common servers' limits of idle connections, which close the surplus (a retry).
         */
        @WithDefault("64")
        int connectionsPerHost();

        /** The most deliveries one claim takes, and the most attempts recorded in one transaction. */
        @WithDefault("500")
        int claimBatch();

        /** Threads that prepare sends (build the message, check and resolve the target, wait out a rate limit's jitter). */
        @WithDefault("8")
        int workers();

        /** How long one send may take (connect + answer, or SMTP) before it counts as a timeout. */
        @WithDefault("PT10S")
        Duration sendTimeout();

        /** How long a claimed delivery stays reserved beyond the send timeout; after that another instance may retry it. */
        @WithDefault("PT30S")
        Duration leaseMargin();
    }

    /** Retries of failed deliveries: exponential backoff with jitter, or the target's Retry-After. */
    interface Retry {

        /** The first retry's delay; each further retry doubles it. */
        @WithDefault("PT10S")
        Duration initialBackoff();

        /** The longest delay between two attempts. */
        @WithDefault("PT1H")
        Duration maxBackoff();

        /** After this long since the first attempt a delivery is FAILED. */
        @WithDefault("PT24H")
        Duration giveUpAfter();
    }

    /** Alert storms on Slack, Teams and email channels. */
    interface Storm {

        /** Alerts per channel and window that go out one by one; the rest of the window goes as one digest. */
        @WithDefault("5")
        int threshold();

        /** The storm window, starting at a channel's first alert. */
        @WithDefault("PT10S")
        Duration window();
    }

    /**
     * The least time between two messages to one target, shared by every notifier instance. Each type's interval is its
     * definition's default ({@link io.vigil.contracts.ChannelDefinition#rate}), or {@code vigil.notifier.rate.<type>}
     * ({@code VIGIL_NOTIFIER_RATE_SLACK=PT2S}); see {@link RateLimits}.
     */
    interface Rate {

        /** Added to every interval (at most a tenth of it) so that network jitter never makes two messages arrive closer than the limit. */
        @WithDefault("PT0.025S")
        Duration guard();

        /** The intervals set per type ({@code vigil.notifier.rate.<type>}), over the definitions' defaults. */
        @WithParentName
        Map<String, Duration> intervals();
    }

    /** How the channel view and the flip consumer retry a batch that could not be recorded. */
    interface Consumers {

        /** The first retry's delay of a batch that could not be recorded (database or broker down); it doubles from there. */
        @WithDefault("PT0.5S")
        Duration initialBackoff();

        /** The longest delay between two tries of a batch. */
        @WithDefault("PT10S")
        Duration maxBackoff();
    }
}
