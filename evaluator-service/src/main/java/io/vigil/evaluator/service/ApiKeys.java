package io.vigil.evaluator.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.vigil.contracts.TokenHash;
import io.vigil.evaluator.ApiKey;
import io.vigil.evaluator.config.AdminApiConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.temporal.ChronoUnit;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Admin API keys: creation (the secret is returned once), listing, deletion (never the last full key),
 * authentication by constant-time hash comparison, and the {@code VIGIL_ADMIN_KEY} recovery path.
 *
 * <p>Authentication reads no database: it compares against an in-memory copy of every key's hash and
 * access (a few hundred bytes per key; its size is the number of keys, never the number of secrets
 * tried), so a flood of bogus keys costs PostgreSQL nothing. The copy is
 * <ul>
 * <li>reloaded at once after this instance creates or deletes a key (after the commit);</li>
 * <li>reloaded when older than {@code VIGIL_API_KEY_CACHE_TTL} (default 5 s): a key deleted through another
 *     evaluator instance stops working here within that time;</li>
 * <li>reloaded when a secret matches no key and the copy is older than
 *     {@code VIGIL_API_KEY_MISS_RELOAD} (default 1 s): a key created through another instance works here at
 *     once, and unknown secrets cause at most one read of the key table per that interval.</li>
 * </ul>
 * One reload runs at a time; while one runs, other requests answer from the copy they have.
 */
@ApplicationScoped
public class ApiKeys {

    /** One key as authentication needs it; detached from any persistence context. */
    private record Known(ApiKey key) {
    }

    /** The keys as last read, and when ({@link System#nanoTime()}). */
    private record Snapshot(List<Known> keys, long loadedAt) {
    }

    /** A key just created, with its secret: the only time the secret is known. */
    public record CreatedKey(ApiKey key, String secret) {
    }

    /** The PostgreSQL advisory lock that serialises {@link #ensureAdminKey()} across instances. */
    private static final long BOOTSTRAP_LOCK = 130195078605907L;

    private final AdminApiConfig config;
    private final InstantSource clock;
    private final Event<KeysChanged> changes;
    private final Counter loads;
    private final ReentrantLock reloading = new ReentrantLock();
    private volatile Snapshot snapshot;

    /** Fired inside a transaction that created, changed or deleted a key; reloads the copy once it commits. */
    public record KeysChanged() {
    }

    public ApiKeys(AdminApiConfig config, InstantSource clock, Event<KeysChanged> changes, MeterRegistry meters) {
        this.config = config;
        this.clock = clock;
        this.changes = changes;
        this.loads = Counter.builder("vigil.api.key.loads")
                .description("Reads of the API key table for authentication (the in-memory copy reloaded)")
                .register(meters);
    }

    void onStart(@Observes StartupEvent start) {
        checkAdminKey(config.adminKey());
        ensureAdminKey();
    }

    /** The shortest {@code VIGIL_ADMIN_KEY} accepted. */
    public static final int MIN_ADMIN_KEY_LENGTH = 24;

    /**
     * Refuses a {@code VIGIL_ADMIN_KEY} shorter than {@value #MIN_ADMIN_KEY_LENGTH} characters (the start fails with
     * this message): the admin key opens everything, and a short one can be guessed. No key at all is allowed
     * (the API then needs a key created earlier).
     */
    public static void checkAdminKey(Optional<String> adminKey) {
        if (adminKey.isPresent() && !adminKey.get().isBlank() && adminKey.get().strip().length() < MIN_ADMIN_KEY_LENGTH) {
            throw new IllegalStateException("VIGIL_ADMIN_KEY is " + adminKey.get().strip().length()
                    + " characters long; it must be at least " + MIN_ADMIN_KEY_LENGTH
                    + " (for example the output of: openssl rand -hex 24). The evaluator does not start with a short admin key.");
        }
    }

    void onKeysChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) KeysChanged changed) {
        reload(true);
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
        changes.fire(new KeysChanged());
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
     * Finds the key with this secret, comparing its hash with every known hash in constant time, from the
     * in-memory copy (see the class comment for when it is reloaded).
     *
     * @return the key (a detached copy: read it, do not change it), or empty for an unknown secret
     */
    public Optional<ApiKey> authenticate(String secret) {
        String hash = TokenHash.of(secret);
        Snapshot current = snapshot;
        long now = System.nanoTime();
        if (current == null || now - current.loadedAt() > config.keyCacheTtl().toNanos()) {
            current = reload(current == null);
        }
        Optional<ApiKey> found = match(current, hash);
        if (found.isEmpty() && System.nanoTime() - current.loadedAt() > config.keyMissReload().toNanos()) {
            found = match(reload(false), hash);
        }
        return found;
    }

    private static Optional<ApiKey> match(Snapshot snapshot, String hash) {
        ApiKey found = null;
        for (Known known : snapshot.keys()) {
            // no early exit: the time taken does not depend on which key (if any) matched
            if (TokenHash.matches(hash, known.key().keyHash)) {
                found = known.key();
            }
        }
        return Optional.ofNullable(found);
    }

    /**
     * Reads every key into a new copy. One reload at a time: reloads are serialised, so one that starts after
     * a commit always stores what that commit wrote; without {@code wait}, a caller finding a reload already
     * running answers from the copy it has rather than queue behind a slow database.
     */
    private Snapshot reload(boolean wait) {
        Snapshot before = snapshot;
        if (before != null && !wait) {
            if (!reloading.tryLock()) {
                return before;
            }
        } else {
            reloading.lock();
        }
        try {
            if (!wait && snapshot != before) {
                return snapshot; // another caller reloaded while we looked
            }
            List<Known> keys = QuarkusTransaction.requiringNew().call(() -> ApiKey.all().stream()
                    .map(ApiKeys::detached).map(Known::new).toList());
            loads.increment();
            Snapshot loaded = new Snapshot(keys, System.nanoTime());
            snapshot = loaded;
            return loaded;
        } finally {
            reloading.unlock();
        }
    }

    private static ApiKey detached(ApiKey stored) {
        ApiKey copy = new ApiKey();
        copy.id = stored.id;
        copy.name = stored.name;
        copy.access = stored.access;
        copy.keyHash = stored.keyHash;
        copy.createdAt = stored.createdAt;
        return copy;
    }

    @Transactional
    public CreatedKey create(String name, String access) {
        String secret = Secrets.generate();
        ApiKey key = newKey(name, access, TokenHash.of(secret));
        key.persist();
        changes.fire(new KeysChanged());
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
        changes.fire(new KeysChanged());
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
