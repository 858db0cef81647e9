package io.vigil.notifier.service;

import io.vigil.contracts.MonitorFlipped;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The flips this instance took in last, as parsed from their records, so that claiming their deliveries need not read
 * their payloads back and parse them again (a quarter of the dispatcher's CPU). Flips never change, so an entry cannot
 * go stale; a flip that is not here (taken in by another instance, before a restart, or pushed out by a burst larger
 * than the capacity) is read from the database as before.
 */
@ApplicationScoped
public class RecentFlips {

    /** About 15 MB of parsed flips: a burst of this many alerts is claimed without reading one back. */
    static final int CAPACITY = 10_000;

    private final Map<UUID, MonitorFlipped> flips = new LinkedHashMap<>(CAPACITY * 4 / 3, 0.75f) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, MonitorFlipped> eldest) {
            return size() > CAPACITY;
        }
    };

    /** Remembers flips just taken in (the oldest ones go first when full). */
    public synchronized void remember(Collection<MonitorFlipped> taken) {
        taken.forEach(flip -> flips.put(flip.eventId(), flip));
    }

    /** The flip with this event id, if this instance still holds it; else null. */
    public synchronized MonitorFlipped get(UUID eventId) {
        return flips.get(eventId);
    }
}
