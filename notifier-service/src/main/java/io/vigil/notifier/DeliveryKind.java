package io.vigil.notifier;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
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

    /** Stores a kind as its lower-case code, the form the {@code delivery.kind} column holds. */
    @Converter
    public static class Column implements AttributeConverter<DeliveryKind, String> {

        @Override
        public String convertToDatabaseColumn(DeliveryKind kind) {
            return kind == null ? null : kind.code();
        }

        @Override
        public DeliveryKind convertToEntityAttribute(String code) {
            return code == null ? null : of(code);
        }
    }
}
