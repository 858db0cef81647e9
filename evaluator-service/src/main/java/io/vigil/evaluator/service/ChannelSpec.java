package io.vigil.evaluator.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.contracts.ChannelType;
import java.time.Duration;
import java.util.List;

/**
 * A channel's writable fields as a request gave them, already checked for shape; the config is checked
 * (and masked secrets restored) by {@link Channels}, which refuses the request naming these errors and the
 * config's together.
 *
 * @param config      the type's settings as sent (secrets possibly in masked form)
 * @param notifyOn    {@code DOWN}, {@code UP}, {@code LATE}
 * @param remindEvery null for no reminders
 * @param errors      problems already found in the other fields (the type is null when it was bad)
 */
public record ChannelSpec(String name, ChannelType type, JsonNode config, List<String> notifyOn, Duration remindEvery,
                          List<FieldError> errors) {
}
