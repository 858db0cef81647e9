package io.vigil.evaluator.service;

import io.vigil.evaluator.Maintenance;
import io.vigil.evaluator.Schedule;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * A monitor's writable fields as a request gave them, checked for shape; {@link Monitors} checks what
 * needs the database (channels exist, slug and token free) and refuses the request naming all problems.
 *
 * @param slug       null: made from the name (create) or kept (replace)
 * @param schedule   null only when it was invalid (then {@code errors} says why)
 * @param grace      null: the schedule's default grace
 * @param maxRuntime null: grace bounds a run
 * @param token      null: generated (create) or kept (replace)
 * @param rules      the run rules (thresholds, shortest run and interval, manual resume)
 * @param dependsOn  the parent monitors' ids (checked by {@link Dependencies}); empty: none
 * @param errors     problems already found
 * @param maintenance the maintenance windows (empty: none)
 */
public record MonitorSpec(String name, String slug, String description, List<String> tags, Schedule schedule,
                          Duration grace, Duration maxRuntime, List<UUID> channels, String token, RunRules rules,
                          List<UUID> dependsOn, List<FieldError> errors, List<Maintenance.Window> maintenance) {

    /**
     * The rules that decide which runs count as failed and when a monitor changes status for them.
     *
     * @param failureThreshold  DOWN on this many failed runs in a row (1 to 100)
     * @param recoveryThreshold UP again on this many successes in a row (1 to 100)
     * @param minRuntime        null: any run length is fine
     * @param minInterval       null: successes may come as often as they like
     * @param manualResume      a DOWN ends only by a resume request
     */
    public record RunRules(int failureThreshold, int recoveryThreshold, Duration minRuntime, Duration minInterval,
                           boolean manualResume) {

        /** What a monitor has when a request names none of them. */
        public static final RunRules DEFAULT = new RunRules(1, 1, null, null, false);

        public void applyTo(io.vigil.evaluator.Monitor monitor) {
            monitor.failureThreshold = failureThreshold;
            monitor.recoveryThreshold = recoveryThreshold;
            monitor.minRuntimeMs = minRuntime == null ? null : minRuntime.toMillis();
            monitor.minIntervalMs = minInterval == null ? null : minInterval.toMillis();
            monitor.manualResume = manualResume;
        }

        public static RunRules of(io.vigil.evaluator.Monitor monitor) {
            return new RunRules(monitor.failureThreshold, monitor.recoveryThreshold,
                    monitor.minRuntimeMs == null ? null : Duration.ofMillis(monitor.minRuntimeMs),
                    monitor.minIntervalMs == null ? null : Duration.ofMillis(monitor.minIntervalMs), monitor.manualResume);
        }
    }
}
