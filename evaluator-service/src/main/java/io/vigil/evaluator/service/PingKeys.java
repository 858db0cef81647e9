package io.vigil.evaluator.service;

import io.quarkus.logging.Log;
import io.vigil.contracts.PingKeyRegistered;
import io.vigil.contracts.TokenHash;
import io.vigil.contracts.Topics;
import io.vigil.evaluator.Monitor;
import io.vigil.evaluator.PingKey;
import io.vigil.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Ping keys of the admin API: creation (the key is returned once; its hash is stored and published on
 * {@code vigil.monitors.v1} in the same transaction, so ingest accepts slug URLs under it), listing and deletion
 * (a tombstone: ingest refuses the key from then on, and the evaluator creates no monitor for a create ping of a
 * deleted key).
 */
@ApplicationScoped
public class PingKeys {

    /** A key just created, with its secret: the only time the secret is known. */
    public record CreatedKey(PingKey key, String secret) {
    }

    private final Outbox outbox;
    private final InstantSource clock;

    public PingKeys(Outbox outbox, InstantSource clock) {
        this.outbox = outbox;
        this.clock = clock;
    }

    /**
     * A new key whose auto-created monitors get {@code defaults}' schedule, grace, channels and tags. Errors are
     * named {@code defaults.<field>}, as the request names them.
     */
    @Transactional
    public CreatedKey create(String name, MonitorSpec defaults) {
        List<FieldError> errors = new ArrayList<>(defaults.errors());
        List<FieldError> channelErrors = new ArrayList<>();
        Monitors.checkChannels(defaults.channels(), channelErrors);
        channelErrors.forEach(error -> errors.add(new FieldError("defaults." + error.field(), error.message())));
        Monitors.throwIfInvalid(errors);
        String secret = Secrets.generate();
        PingKey key = new PingKey();
        key.id = UUID.randomUUID();
        key.name = name;
        key.keyHash = TokenHash.of(secret);
        Monitor probe = new Monitor();
        defaults.schedule().applyTo(probe);
        key.scheduleType = probe.scheduleType;
        key.everyMs = probe.everyMs;
        key.cronExpression = probe.cronExpression;
        key.timezone = probe.timezone;
        Duration grace = defaults.grace() != null ? defaults.grace() : defaults.schedule().defaultGrace();
        key.graceMs = grace.toMillis();
        key.tags = new ArrayList<>(defaults.tags());
        key.channelIds = new ArrayList<>(defaults.channels());
        key.createdAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        key.persist();
        outbox.enqueue(Topics.MONITORS, key.id.toString(), new PingKeyRegistered(key.id, key.keyHash, key.version));
        Log.infof("ping key %s (%s) created", key.id, name);
        return new CreatedKey(key, secret);
    }

    /** Keys by creation time. */
    @Transactional
    public Pages.Page<PingKey> page(Pages.Cursor after, int limit) {
        List<PingKey> fetched = after == null
                ? PingKey.find("order by createdAt, id").page(0, limit + 1).list()
                : PingKey.find("createdAt > ?1 or (createdAt = ?1 and id > ?2) order by createdAt, id",
                        after.at(), after.id()).page(0, limit + 1).list();
        return Pages.of(fetched, limit, key -> Pages.Cursor.of(key.createdAt, key.id));
    }

    @Transactional
    public PingKey get(UUID id) {
        PingKey key = PingKey.findById(id);
        if (key == null) {
            throw missing(id);
        }
        return key;
    }

    /** Deletes a key; the monitors it created stay, pingable by their tokens and by other keys. */
    @Transactional
    public void delete(UUID id) {
        PingKey key = PingKey.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (key == null) {
            throw missing(id);
        }
        key.delete();
        outbox.enqueue(Topics.MONITORS, id.toString(), null);
        Log.infof("ping key %s deleted", id);
    }

    private static NotFoundException missing(UUID id) {
        return new NotFoundException("No ping key with id " + id + ".");
    }
}
