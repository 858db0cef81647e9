package io.vigil.ingest;

import io.vigil.contracts.MonitorRegistered;
import io.vigil.contracts.PingKeyRegistered;
import io.vigil.contracts.TokenHash;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-memory view of the compacted token registry ({@code vigil.monitors.v1}): token hash to
 * monitor and slug to monitor, both O(1). One follower thread writes it; every event loop reads it.
 * A record older than the version held for its monitor is ignored, a tombstone deletes. The same topic
 * carries the ping keys' hashes (keyed by ping key id), for Healthchecks' slug URLs.
 */
@ApplicationScoped
public class TokenRegistry {

    /** A monitor as ingest knows it: enough to accept its pings. */
    public record Entry(UUID monitorId, String slug, String tokenHash, long version) {
    }

    /** A ping key as ingest knows it: its id, for the create pings it authorises. */
    public record PingKey(UUID pingKeyId, String keyHash, long version) {
    }

    private final Map<UUID, Entry> byMonitor = new ConcurrentHashMap<>();
    private final Map<UUID, PingKey> pingKeys = new ConcurrentHashMap<>();
    private final Map<String, PingKey> byKeyHash = new ConcurrentHashMap<>();
    private final Map<String, Entry> byTokenHash = new ConcurrentHashMap<>();
    private final Map<String, Entry> bySlug = new ConcurrentHashMap<>();

    /** The monitor whose token hashes to {@code tokenHash}, else null. */
    public Entry byTokenHash(String tokenHash) {
        return byTokenHash.get(tokenHash);
    }

    /** The ping key that hashes to {@code keyHash}, else null. */
    public PingKey pingKey(String keyHash) {
        return byKeyHash.get(keyHash);
    }

    /** The monitor with that slug, else null (a slug URL under a ping key needs no token). */
    public Entry bySlug(String slug) {
        return bySlug.get(slug);
    }

    /** Applies a ping key record; returns false when it was older than the version held. */
    public boolean apply(PingKeyRegistered record) {
        PingKey held = pingKeys.get(record.pingKeyId());
        if (held != null && record.version() < held.version()) {
            return false;
        }
        PingKey key = new PingKey(record.pingKeyId(), record.keyHash(), record.version());
        pingKeys.put(key.pingKeyId(), key);
        if (key.keyHash() != null) {
            byKeyHash.put(key.keyHash(), key);
        }
        if (held != null && held.keyHash() != null && !held.keyHash().equals(key.keyHash())) {
            byKeyHash.remove(held.keyHash(), held);
        }
        return true;
    }

    /** The monitor with that slug whose token is {@code token} (compared in constant time), else null. */
    public Entry bySlugAndToken(String slug, String token) {
        Entry entry = bySlug.get(slug);
        if (entry == null) {
            // Still hash, so a wrong slug costs the same as a wrong token.
            TokenHash.matches(TokenHash.of(token), "");
            return null;
        }
        return TokenHash.matches(TokenHash.of(token), entry.tokenHash()) ? entry : null;
    }

    /** Applies a registry record; returns false when it was older than the version held. */
    public boolean apply(MonitorRegistered record) {
        Entry held = byMonitor.get(record.monitorId());
        if (held != null && record.version() < held.version()) {
            return false;
        }
        Entry entry = new Entry(record.monitorId(), record.slug(), record.tokenHash(), record.version());
        byMonitor.put(entry.monitorId(), entry);
        if (entry.tokenHash() != null) {
            byTokenHash.put(entry.tokenHash(), entry);
        }
        if (entry.slug() != null) {
            bySlug.put(entry.slug(), entry);
        }
        if (held != null) {
            unlink(held, entry);
        }
        return true;
    }

    /** Applies a tombstone: the monitor (or ping key) with that id is deleted and its token (or key) stops working. */
    public void delete(UUID monitorId) {
        Entry held = byMonitor.remove(monitorId);
        if (held != null) {
            unlink(held, null);
        }
        PingKey key = pingKeys.remove(monitorId);
        if (key != null && key.keyHash() != null) {
            byKeyHash.remove(key.keyHash(), key);
        }
    }

    /** What the first segment of {@code /ping/{a}/...} is: a ping key first, else a token (by its hash). */
    public PingUrl.Segment segment(String segment) {
        String hash = TokenHash.of(segment);
        if (byKeyHash.containsKey(hash)) {
            return PingUrl.Segment.PING_KEY;
        }
        return byTokenHash.containsKey(hash) ? PingUrl.Segment.TOKEN : PingUrl.Segment.UNKNOWN;
    }

    /** Number of monitors known. */
    public int size() {
        return byMonitor.size();
    }

    /** Removes the old entry's token and slug unless the new entry (or another monitor) still owns them. */
    private void unlink(Entry old, Entry current) {
        if (old.tokenHash() != null && (current == null || !old.tokenHash().equals(current.tokenHash()))) {
            byTokenHash.remove(old.tokenHash(), old);
        }
        if (old.slug() != null && (current == null || !old.slug().equals(current.slug()))) {
            bySlug.remove(old.slug(), old);
        }
    }
}
