package io.vigil.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How a service relays its outbox; each service sets its own lock key (and configures the {@code vigil-outbox} channel). */
@ConfigMapping(prefix = "vigil.outbox")
public interface OutboxConfig {

    /** How often the relay looks even when no commit woke it. */
    @WithDefault("PT5S")
    Duration poll();

    /** Rows published per relay transaction. */
    @WithDefault("500")
    int batch();

    /**
     * The PostgreSQL advisory lock that lets one relay of the service run at a time (order is kept); it must
     * differ between services sharing a database.
     */
    long lockKey();
}
