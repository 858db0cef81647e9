package io.vigil.notifier;

import java.util.Locale;

/** Why a delivery exists; the lower-case name is its JSON and database form. */
public enum DeliveryKind {
    /** A flip's alert. */
    ALERT,
    /** A repeated DOWN alert while the monitor stays DOWN. */
    REMINDER,
    /** One message standing for the alerts of a storm window beyond the threshold. */
    DIGEST,
    /** "No longer watched": a DOWN monitor was paused or deleted. */
    NOTICE,
    /** A test message asked for through the admin API. */
    TEST;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DeliveryKind of(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}
