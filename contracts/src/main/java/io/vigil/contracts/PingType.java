package io.vigil.contracts;

import com.fasterxml.jackson.annotation.JsonValue;

/** The signal a ping carries; the JSON form is lower case, as the admin API shows it. */
public enum PingType {
    SUCCESS, START, FAIL, LOG;

    @JsonValue
    public String json() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    @com.fasterxml.jackson.annotation.JsonCreator
    public static PingType fromJson(String value) {
        return valueOf(value.toUpperCase(java.util.Locale.ROOT));
    }
}
