package io.vigil.evaluator.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.InstantSource;

/** The evaluator's one clock; tests replace it with a movable one. */
@ApplicationScoped
public class Clock {

    @Produces
    @ApplicationScoped
    InstantSource clock() {
        return InstantSource.system();
    }
}
