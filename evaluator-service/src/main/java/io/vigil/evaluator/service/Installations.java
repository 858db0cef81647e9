package io.vigil.evaluator.service;

import io.quarkus.runtime.StartupEvent;
import io.vigil.evaluator.Installation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.InstantSource;

/** The installation's own secrets, made once (by whichever evaluator starts first) and kept in the database. */
@ApplicationScoped
public class Installations {

    private final EntityManager entities;
    private final InstantSource clock;
    private volatile String badgeKey;

    public Installations(EntityManager entities, InstantSource clock) {
        this.entities = entities;
        this.clock = clock;
    }

    @Transactional
    void ensure(@Observes StartupEvent start) {
        entities.createNativeQuery("INSERT INTO installation (id, badge_key, created_at) VALUES (:id, :key, :at)"
                        + " ON CONFLICT (id) DO NOTHING")
                .setParameter("id", Installation.ID).setParameter("key", Secrets.generate())
                .setParameter("at", clock.instant()).executeUpdate();
    }

    /** The per-installation secret in every badge URL. */
    @Transactional
    public String badgeKey() {
        String key = badgeKey;
        if (key == null) {
            key = Installation.current().badgeKey;
            badgeKey = key;
        }
        return key;
    }
}
