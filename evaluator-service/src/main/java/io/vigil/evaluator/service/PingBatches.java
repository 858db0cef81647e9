package io.vigil.evaluator.service;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The failure policy of the ping consumer (DESIGN.md "One failure policy everywhere"), in one place. A batch is
 * applied until it is done: a failure caused by a monitor (a schedule that cannot be evaluated, a constraint its
 * data breaks) puts that monitor in its error state and applies the rest; any other failure (the database away,
 * a timeout) is retried with backoff, never skipped. Unparseable records never fail a batch: the applier sets
 * them aside as dead letters.
 * <p>
 * Which monitor is to blame is found by trials that change nothing: the batch without any ping (offsets and
 * watermarks only) must pass, then each monitor's pings alone; a monitor whose trial fails for a reason that is
 * not transient is the culprit. Only the failing path pays for this.
 */
@ApplicationScoped
public class PingBatches {

    private static final long FIRST_BACKOFF_MS = 100;
    private static final long MAX_BACKOFF_MS = 5_000;

    private final PingApplier applier;

    public PingBatches(PingApplier applier) {
        this.applier = applier;
    }

    /**
     * Applies {@code batch} until it is done, or until {@code stopping} says the service is going away (the batch
     * is then read again by whoever owns the partitions next).
     *
     * @param attempt called as each attempt starts (liveness: a hung attempt is not progress, a retried one is)
     * @return what the batch changed, or null when it was given up because of {@code stopping}
     */
    public PingApplier.Outcome applyUntilDone(Map<Integer, List<ConsumerRecord<String, byte[]>>> batch,
                                              BooleanSupplier stopping, Runnable attempt) {
        long backoff = FIRST_BACKOFF_MS;
        int failures = 0;
        while (!stopping.getAsBoolean()) {
            attempt.run();
            try {
                PingApplier.Outcome outcome = applier.apply(batch);
                if (failures > 0) {
                    Log.infof("applied a batch of pings after %d failed attempt(s)", failures);
                }
                return outcome;
            } catch (RuntimeException failed) {
                failures++;
                try {
                    Map<UUID, String> broken = culprits(batch, failed);
                    if (!broken.isEmpty()) {
                        return applier.apply(batch, broken);
                    }
                } catch (RuntimeException again) {
                    failed = again;
                }
                if (failures == 1 || Integer.bitCount(failures) == 1) {
                    Log.errorf("applying %d ping record(s) failed (%d time(s)); retrying: %s", size(batch), failures,
                            describe(failed));
                }
            }
            if (!pause(backoff)) {
                break;
            }
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        }
        return null;
    }

    /**
     * The monitors to blame for {@code failed}, with why; empty when the failure is not theirs (transient, or the
     * batch fails without any ping).
     */
    private Map<UUID, String> culprits(Map<Integer, List<ConsumerRecord<String, byte[]>>> batch, RuntimeException failed) {
        if (isTransient(failed)) {
            return Map.of();
        }
        applier.trial(batch, Set.of()); // offsets and watermarks alone: throws when the failure is not a monitor's
        Map<UUID, String> broken = new LinkedHashMap<>();
        for (UUID monitor : applier.monitorsOf(batch)) {
            try {
                applier.trial(batch, Set.of(monitor));
            } catch (RuntimeException e) {
                if (isTransient(e)) {
                    throw e;
                }
                broken.put(monitor, describe(e));
            }
        }
        return broken;
    }

    /** A failure that says nothing about the data: the database or the network away, a timeout, a lock conflict. */
    public static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException
                    || t instanceof TimeoutException || t instanceof java.io.IOException
                    || t instanceof org.hibernate.exception.JDBCConnectionException
                    || t instanceof org.hibernate.exception.LockAcquisitionException
                    || t instanceof jakarta.persistence.LockTimeoutException
                    || t instanceof jakarta.persistence.PessimisticLockException
                    || t instanceof jakarta.persistence.QueryTimeoutException) {
                return true;
            }
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                // no state: the pool or driver (acquisition timeout, closed connection); 08 connection; 40
                // serialization or deadlock; 53 resources; 57 operator intervention (shutdown); 58 system; 55P03 lock
                if (state == null || state.startsWith("08") || state.startsWith("40") || state.startsWith("53")
                        || state.startsWith("57") || state.startsWith("58") || state.equals("55P03")) {
                    return true;
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** The failure for people: the innermost cause's message (its kind when it has none). */
    public static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null || root.getMessage().isBlank() ? root.getClass().getSimpleName()
                : root.getMessage();
    }

    private static int size(Map<Integer, List<ConsumerRecord<String, byte[]>>> batch) {
        return batch.values().stream().mapToInt(List::size).sum();
    }

    private static boolean pause(long millis) {
        try {
            Thread.sleep(millis); // backoff between retries of a failed batch (product code, not a test)
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
