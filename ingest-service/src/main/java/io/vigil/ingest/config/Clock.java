package io.vigil.ingest.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.InstantSource;

/** The ingest service's one clock: every received-at time and watermark comes from it. */
@ApplicationScoped
public class Clock {

    @Produces
    @ApplicationScoped
    InstantSource clock() {
        return InstantSource.system();
    }
}
