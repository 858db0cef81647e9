package io.vigil.evaluator.service;

import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.vigil.contracts.TokenHash;
import io.vigil.evaluator.ApiKey;
import io.vigil.evaluator.config.AdminApiConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.temporal.ChronoUnit;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Admin API keys: creation (the secret is returned once), listing, deletion (never the last full key),
 * authentication by constant-time hash comparison, and the {@code VIGIL_ADMIN_KEY} recovery path.
 */
@ApplicationScoped
public class ApiKeys {

    /** A key just created, with its secret: the only time the secret is known. */
    public record CreatedKey(ApiKey key, String secret) {
    }

    /** The PostgreSQL advisory lock that serialises {@link #ensureAdminKey()} across instances. */
    private static final long BOOTSTRAP_LOCK = 130195078605907L;

    private final AdminApiConfig config;
    private final InstantSource clock;

    public ApiKeys(AdminApiConfig config, InstantSource clock) {
        this.config = config;
        this.clock = clock;
    }

    void onStart(@Observes StartupEvent start) {
        ensureAdminKey();
    }

    /**
     * Ensures the configured admin key exists as a full key (run at every start, so a lost or deleted key
     * is recovered by restarting with {@code VIGIL_ADMIN_KEY} set).
     */
    @Transactional
    public void ensureAdminKey() {
        // Instances starting together would both find no key and both insert it, and the loser's start would
        // fail on the unique hash: one at a time, the second sees the first's key.
        Panache.getEntityManager().createNativeQuery("SELECT 1 FROM pg_advisory_xact_lock(?1)")
                .setParameter(1, BOOTSTRAP_LOCK).getSingleResult();
        Optional<String> adminKey = config.adminKey().filter(key -> !key.isBlank());
        if (adminKey.isEmpty()) {
            if (ApiKey.countFull() == 0) {
                Log.warn("No VIGIL_ADMIN_KEY is set and no full API key exists: the admin API cannot be used");
            }
            return;
        }
        String hash = TokenHash.of(adminKey.get());
        ApiKey existing = ApiKey.findByHash(hash);
        if (existing == null) {
            ApiKey key = newKey("admin (VIGIL_ADMIN_KEY)", ApiKey.FULL, hash);
            key.persist();
            Log.infof("API key %s created from VIGIL_ADMIN_KEY", key.id);
        } else if (!existing.isFull()) {
            existing.access = ApiKey.FULL;
            Log.infof("API key %s from VIGIL_ADMIN_KEY restored to full access", existing.id);
        }
    }

    /**
     * Finds the key with this secret, comparing its hash with every stored hash in constant time.
     *
     * @return the key, or empty for an unknown secret
     */
    @Transactional
    public Optional<ApiKey> authenticate(String secret) {
        String hash = TokenHash.of(secret);
        ApiKey found = null;
        for (ApiKey key : ApiKey.all()) {
            // no early exit: the time taken does not depend on which key (if any) matched
            if (TokenHash.matches(hash, key.keyHash)) {
                found = key;
            }
        }
        return Optional.ofNullable(found);
    }

    @Transactional
    public CreatedKey create(String name, String access) {
        String secret = Secrets.generate();
        ApiKey key = newKey(name, access, TokenHash.of(secret));
        key.persist();
        Log.infof("API key %s (%s) created", key.id, access);
        return new CreatedKey(key, secret);
    }

    /** Keys by creation time. */
    @Transactional
    public Pages.Page<ApiKey> page(Pages.Cursor after, int limit) {
        List<ApiKey> fetched = after == null
                ? ApiKey.find("order by createdAt, id").page(0, limit + 1).list()
                : ApiKey.find("createdAt > ?1 or (createdAt = ?1 and id > ?2) order by createdAt, id",
                        after.at(), after.id()).page(0, limit + 1).list();
        return Pages.of(fetched, limit, key -> Pages.Cursor.of(key.createdAt, key.id));
    }

    /** Deletes a key; the last full key cannot be deleted (it would lock everyone out). */
    @Transactional
    public void delete(UUID id) {
        ApiKey key = ApiKey.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (key == null) {
            throw new NotFoundException("No API key with id " + id + ".");
        }
        if (key.isFull()) {
            // serialise concurrent deletions of full keys so two of them cannot remove the last two
            List<ApiKey> full = ApiKey.find("access", ApiKey.FULL).withLock(LockModeType.PESSIMISTIC_WRITE).list();
            if (full.size() <= 1) {
                throw new ConflictException("This is the last full API key; create another full key before deleting it.");
            }
        }
        key.delete();
        Log.infof("API key %s deleted", id);
    }

    private ApiKey newKey(String name, String access, String hash) {
        ApiKey key = new ApiKey();
        key.id = UUID.randomUUID();
        key.name = name;
        key.access = access;
        key.keyHash = hash;
        key.createdAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        return key;
    }
}
