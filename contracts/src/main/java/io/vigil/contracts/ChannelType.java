package io.vigil.contracts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The kinds of notification channel; the JSON form is lower case ({@code "slack"}). */
public enum ChannelType {
    EMAIL, SLACK, TEAMS, WEBHOOK;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ChannelType fromJson(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
