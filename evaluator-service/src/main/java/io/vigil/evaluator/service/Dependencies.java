package io.vigil.evaluator.service;

import io.vigil.contracts.Status;
import io.vigil.evaluator.Monitor;
import io.vigil.evaluator.MonitorRules;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Monitors' {@code dependsOn}: which parent holds a dependent's alert when its LATE or DOWN is recorded, and the
 * checks of the admin API (known ids, no cycle). Parents are read, never locked: a writer holds only the monitors it
 * changes (the one locking rule), so holding an alert can never deadlock with a parent's own writer. A parent's
 * status is its committed one, or the one this transaction has just recorded for it (an apply batch or a sweep
 * that flips the parent and its dependents together).
 */
@ApplicationScoped
public class Dependencies {

    /** At most this many parents per monitor. */
    public static final int MAX_PARENTS = 50;

    /** The transaction-level advisory lock every change that adds edges to the graph (or deletes a monitor) takes first. */
    private static final long GRAPH_LOCK = 130195078605907L;

    private static final Object RECORDED = new Object();

    private final EntityManager em;
    private final TransactionSynchronizationRegistry transactions;

    public Dependencies(EntityManager em, TransactionSynchronizationRegistry transactions) {
        this.em = em;
        this.transactions = transactions;
    }

    /** The parent that holds the alert of {@code monitor}'s flip to {@code to}, or null (see {@link MonitorRules#heldBy}). */
    @Transactional(Transactional.TxType.MANDATORY)
    public UUID holder(Monitor monitor, Status to) {
        if (monitor.dependsOn == null || monitor.dependsOn.isEmpty() || (to != Status.LATE && to != Status.DOWN)) {
            return null;
        }
        return MonitorRules.heldBy(monitor.dependsOn, statuses(monitor.dependsOn), to);
    }

    /** Remembers, for the rest of the transaction, the status a flip of {@code monitor} just set. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void recorded(Monitor monitor, Status to) {
        recordedHere().put(monitor.id, to);
    }

    /** The statuses of {@code ids} as this transaction sees them; a deleted monitor is absent. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Map<UUID, Status> statuses(Collection<UUID> ids) {
        Map<UUID, Status> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT id, status FROM monitor_state WHERE id IN (:ids)")
                .setParameter("ids", ids).getResultList();
        for (Object[] row : rows) {
            out.put((UUID) row[0], Status.valueOf((String) row[1]));
        }
        Map<UUID, Status> here = recordedHere();
        for (UUID id : ids) {
            if (here.containsKey(id) && out.containsKey(id)) {
                out.put(id, here.get(id));
            }
        }
        return out;
    }

    /**
     * Serialises changes to the dependency graph: taken before any monitor lock by a create or replace that sets
     * parents and by a delete, so two concurrent changes cannot close a cycle between them and a delete sees every
     * monitor that depends on the one it deletes.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void lockGraph() {
        em.createNativeQuery("SELECT pg_advisory_xact_lock(?1)").setParameter(1, GRAPH_LOCK).getSingleResult();
    }

    /** The monitors that list {@code parent} in their {@code dependsOn}. */
    @Transactional(Transactional.TxType.MANDATORY)
    @SuppressWarnings("unchecked")
    public List<UUID> dependentsOf(UUID parent) {
        return em.createNativeQuery("SELECT id FROM monitor WHERE depends_on @> ARRAY[CAST(?1 AS uuid)] ORDER BY id", UUID.class)
                .setParameter(1, parent.toString()).getResultList();
    }

    /**
     * Checks {@code parents} for {@code self} (null on create): each a known monitor, not the monitor itself, and no
     * cycle through any depth. Every problem is named {@code dependsOn}.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void check(UUID self, List<UUID> parents, List<FieldError> errors) {
        if (parents.isEmpty()) {
            return;
        }
        if (self != null && parents.contains(self)) {
            errors.add(new FieldError("dependsOn", "a monitor cannot depend on itself"));
            return;
        }
        @SuppressWarnings("unchecked")
        Set<UUID> known = new HashSet<>(em.createNativeQuery("SELECT id FROM monitor WHERE id IN (:ids)", UUID.class)
                .setParameter("ids", parents).getResultList());
        List<String> unknown = new ArrayList<>();
        for (int i = 0; i < parents.size(); i++) {
            if (!known.contains(parents.get(i))) {
                unknown.add("item " + i + " (" + parents.get(i) + ")");
            }
        }
        if (!unknown.isEmpty()) {
            errors.add(new FieldError("dependsOn", "no monitor has the id of " + String.join(", ", unknown)));
            return;
        }
        if (self != null) {
            @SuppressWarnings("unchecked")
            List<String> via = em.createNativeQuery("""
                            WITH RECURSIVE above(parent, id) AS (
                                SELECT p, p FROM unnest(CAST(?1 AS uuid[])) AS p
                                UNION
                                SELECT above.parent, unnest(m.depends_on) FROM monitor m JOIN above ON m.id = above.id
                            )
                            SELECT DISTINCT m.slug FROM above JOIN monitor m ON m.id = above.parent
                            WHERE above.id = CAST(?2 AS uuid) ORDER BY m.slug""")
                    .setParameter(1, "{" + String.join(",", parents.stream().map(UUID::toString).toList()) + "}")
                    .setParameter(2, self.toString()).getResultList();
            if (!via.isEmpty()) {
                errors.add(new FieldError("dependsOn", "would make a cycle: " + String.join(", ", via)
                        + " already depend" + (via.size() == 1 ? "s" : "") + " on this monitor"));
            }
        }
    }

    /**
     * {@code ids} (a batch's monitors) in an order where each comes after its parents among them, the rest as given: a
     * batch that fails a parent and its dependents together records the parent's DOWN first, so the dependents' are
     * held. {@code found} holds the monitors read (a deleted one is absent).
     */
    public static List<UUID> parentsFirst(Collection<UUID> ids, Map<UUID, Monitor> found) {
        List<UUID> out = new ArrayList<>(ids.size());
        Set<UUID> seen = new HashSet<>();
        for (UUID id : ids) {
            visit(id, found, seen, out);
        }
        return out;
    }

    private static void visit(UUID id, Map<UUID, Monitor> found, Set<UUID> seen, List<UUID> out) {
        if (!seen.add(id)) {
            return;
        }
        Monitor monitor = found.get(id);
        if (monitor != null) {
            for (UUID parent : monitor.dependsOn) {
                if (found.containsKey(parent)) {
                    visit(parent, found, seen, out);
                }
            }
        }
        out.add(id);
    }

    @SuppressWarnings("unchecked")
    private Map<UUID, Status> recordedHere() {
        Map<UUID, Status> here = (Map<UUID, Status>) transactions.getResource(RECORDED);
        if (here == null) {
            here = new HashMap<>();
            transactions.putResource(RECORDED, here);
        }
        return here;
    }
}
