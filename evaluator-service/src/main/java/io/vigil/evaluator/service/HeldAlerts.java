package io.vigil.evaluator.service;

import io.vigil.contracts.Status;
import io.vigil.evaluator.Flip;
import io.vigil.evaluator.Monitor;
import io.vigil.evaluator.MonitorRules;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The release pass of dependencies, in a transaction of its own: finds held DOWNs whose monitor has no parent LATE or
 * DOWN any more, locks those monitors by the one rule (in id order, holding no other monitor: a parent's writer never
 * waits for it), and decides on the state read after the lock ({@link MonitorRules#release}): a monitor still DOWN
 * from the held flip alerts now, once; one that has flipped since sends nothing. Several evaluator instances may run
 * it at once: the second finds the flip no longer held.
 */
@ApplicationScoped
public class HeldAlerts {

    private final EntityManager em;
    private final Dependencies dependencies;
    private final FlipRecorder flips;
    private final InstantSource clock;

    public HeldAlerts(EntityManager em, Dependencies dependencies, FlipRecorder flips, InstantSource clock) {
        this.em = em;
        this.dependencies = dependencies;
        this.flips = flips;
        this.clock = clock;
    }

    /** What one pass did: held DOWNs looked at, and how many of them were settled (sent or dropped). */
    public record Pass(int candidates, int settled) {
    }

    /** Settles at most {@code limit} held DOWNs whose parents are all neither LATE nor DOWN. */
    @Transactional
    public Pass releaseDue(int limit) {
        @SuppressWarnings("unchecked")
        List<UUID> candidates = em.createNativeQuery("""
                        SELECT DISTINCT f.monitor_id FROM flip f JOIN monitor m ON m.id = f.monitor_id
                        WHERE f.held AND NOT EXISTS (
                            SELECT 1 FROM monitor_state p WHERE p.id = ANY (m.depends_on) AND p.status IN ('LATE', 'DOWN'))
                        ORDER BY f.monitor_id LIMIT ?1""", UUID.class)
                .setParameter(1, limit).getResultList();
        if (candidates.isEmpty()) {
            return new Pass(0, 0);
        }
        Instant now = clock.instant();
        int settled = 0;
        for (Monitor monitor : Monitor.lockAndRead(candidates)) {
            List<Flip> held = Flip.list("monitorId = ?1 and held = true order by sequence", monitor.id);
            if (held.isEmpty()) {
                continue; // another instance settled them first
            }
            Map<UUID, Status> parents = dependencies.statuses(monitor.dependsOn);
            for (Flip flip : held) {
                switch (MonitorRules.release(monitor, flip.sequence, parents)) {
                    case HOLD -> {
                        continue;
                    }
                    case SEND -> {
                        flips.release(monitor, flip, MonitorRules.releasedText(flip.reasonText, parentName(flip.suppressedBy),
                                parentWasDown(flip)));
                        flip.releasedAt = now;
                    }
                    case DROP -> { }
                }
                flip.held = false;
                settled++;
            }
        }
        return new Pass(candidates.size(), settled);
    }

    /** The parent's name, or its id once it has been deleted. */
    private String parentName(UUID parent) {
        List<?> names = em.createNativeQuery("SELECT name FROM monitor WHERE id = ?1").setParameter(1, parent).getResultList();
        return names.isEmpty() ? parent.toString() : (String) names.get(0);
    }

    /**
     * Whether the parent that held {@code flip} was DOWN while it held it (it left DOWN since, or is DOWN still), rather
     * than only LATE. A deleted parent counts as down.
     */
    private boolean parentWasDown(Flip flip) {
        Object answer = em.createNativeQuery("""
                        SELECT NOT EXISTS (SELECT 1 FROM monitor WHERE id = ?1)
                            OR EXISTS (SELECT 1 FROM monitor_state WHERE id = ?1 AND status = 'DOWN')
                            OR EXISTS (SELECT 1 FROM flip WHERE monitor_id = ?1 AND from_status = 'DOWN' AND detected_at >= ?2)""")
                .setParameter(1, flip.suppressedBy).setParameter(2, flip.detectedAt).getSingleResult();
        return Boolean.TRUE.equals(answer);
    }
}
