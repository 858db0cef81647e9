package io.vigil.evaluator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The admin API's settings ({@code vigil.evaluator.api.*}), mapped from the environment in application.properties. */
@ConfigMapping(prefix = "vigil.evaluator.api")
public interface AdminApiConfig {

    /**
     * {@code VIGIL_ADMIN_KEY}: a full API key ensured at every start (also how a lost key is recovered); at least
     * 24 characters, or the evaluator does not start.
     */
    Optional<String> adminKey();

    /** {@code VIGIL_PUBLIC_URL}: the ingest service's public base URL, the base of every ping URL. */
    @WithDefault("http://localhost:8080")
    String publicUrl();

    /** {@code VIGIL_ADMIN_URL}: this service's public base URL, the base of badge URLs. */
    @WithDefault("http://localhost:8081")
    String adminUrl();

    /** {@code VIGIL_ALLOW_PRIVATE_TARGETS}: accept channel targets on loopback and private addresses. */
    @WithDefault("false")
    boolean allowPrivateTargets();

    /** {@code VIGIL_NOTIFIER_URL}: the notifier's base URL, for channel tests. */
    @WithDefault("http://localhost:8082")
    String notifierUrl();

    /**
     * {@code VIGIL_INTERNAL_TOKEN}: the secret shared with the notifier, sent on every call of its internal API
     * (without it the notifier answers 401 and channel tests fail with 502).
     */
    Optional<String> internalToken();

    /** How long a channel test may take before the admin API gives up on the notifier. */
    @WithDefault("PT30S")
    Duration notifierTimeout();

    /** Request bodies larger than this many bytes are refused with 413. */
    @WithDefault("262144")
    long maxBodyBytes();

    /**
     * {@code VIGIL_API_KEY_CACHE_TTL}: how long authentication trusts its in-memory copy of the API keys; a key
     * deleted through another evaluator instance stops working here within this time.
     */
    @WithDefault("PT5S")
    Duration keyCacheTtl();

    /**
     * {@code VIGIL_API_KEY_MISS_RELOAD}: an unknown secret reloads the key copy only when it is older than this,
     * so a key created through another instance works at once and a flood of bogus keys reads the key table at
     * most once per this interval.
     */
    @WithDefault("PT1S")
    Duration keyMissReload();

    /**
     * {@code VIGIL_ADMIN_USER}: a full console user ensured at every start together with {@code VIGIL_ADMIN_PASSWORD}
     * (created if missing; its password and full access restored if changed), like {@code VIGIL_ADMIN_KEY}.
     */
    Optional<String> adminUser();

    /** {@code VIGIL_ADMIN_PASSWORD}: the password of {@code VIGIL_ADMIN_USER}, at least 12 characters. */
    Optional<String> adminPassword();

    /** {@code VIGIL_SESSION_TTL}: how long a console sign-in lasts. */
    @WithDefault("PT12H")
    Duration sessionTtl();

    /** {@code VIGIL_SIGN_IN_ATTEMPTS}: failed sign-ins in a row after which a user is locked out. */
    @WithDefault("5")
    int signInAttempts();

    /** {@code VIGIL_SIGN_IN_LOCKOUT}: how long a user stays locked out. */
    @WithDefault("PT15M")
    Duration signInLockout();
}
