package io.vigil.evaluator.web;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.contracts.Json;
import io.vigil.evaluator.Durations;
import io.vigil.evaluator.Monitor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jboss.resteasy.reactive.RestForm;

/**
 * The monitor form's fields as the browser sent them (kept as text, so a refused form comes back as it was typed).
 * {@link #into} writes them over a monitor's API document, which the API's own parser then reads: the fields the
 * form does not show (rules, maintenance, dependencies) are kept as they are.
 */
public class MonitorForm {

    @RestForm
    public String name = "";
    @RestForm
    public String tags = "";
    @RestForm
    public String description = "";
    @RestForm
    public String scheduleType = "interval";
    @RestForm
    public String every = "1h";
    @RestForm
    public String expression = "0 3 * * *";
    @RestForm
    public String timezone = "UTC";
    @RestForm
    public String grace = "";
    @RestForm
    public String maxRuntime = "";
    @RestForm
    public List<String> channels = new ArrayList<>();

    /** The form filled in with a monitor's values. */
    static MonitorForm of(Monitor monitor) {
        MonitorForm form = new MonitorForm();
        form.name = monitor.name;
        form.tags = String.join(" ", monitor.tags);
        form.description = monitor.description == null ? "" : monitor.description;
        form.scheduleType = "cron".equals(monitor.scheduleType) ? "cron" : "interval";
        if (monitor.everyMs != null) {
            form.every = Durations.human(Duration.ofMillis(monitor.everyMs));
        }
        if (monitor.cronExpression != null) {
            form.expression = monitor.cronExpression;
            form.timezone = monitor.timezone == null ? "UTC" : monitor.timezone;
        }
        form.grace = Durations.human(Duration.ofMillis(monitor.graceMs));
        form.maxRuntime = monitor.maxRuntimeMs == null ? "" : Durations.human(Duration.ofMillis(monitor.maxRuntimeMs));
        form.channels = monitor.channelIds.stream().map(Object::toString).toList();
        return form;
    }

    /** Whether the channel with this id is ticked. */
    public boolean has(Object channelId) {
        return channels != null && channels.contains(String.valueOf(channelId));
    }

    public boolean cron() {
        return "cron".equals(scheduleType);
    }

    /** The form's fields written over {@code document} (a monitor's API document without its server fields). */
    ObjectNode into(ObjectNode document) {
        document.put("name", trim(name));
        ArrayNode tagList = document.putArray("tags");
        Arrays.stream(trim(tags).split("[\\s,]+")).filter(tag -> !tag.isEmpty()).forEach(tagList::add);
        String text = trim(description);
        if (text.isEmpty()) {
            document.putNull("description");
        } else {
            document.put("description", text.replace("\r\n", "\n"));
        }
        ObjectNode schedule = document.putObject("schedule");
        if (cron()) {
            schedule.put("type", "cron").put("expression", trim(expression));
            schedule.put("timezone", trim(timezone).isEmpty() ? "UTC" : trim(timezone));
        } else {
            schedule.put("type", "interval").put("every", trim(every));
        }
        optional(document, "grace", grace);
        optional(document, "maxRuntime", maxRuntime);
        ArrayNode channelList = document.putArray("channels");
        if (channels != null) {
            channels.forEach(channelList::add);
        }
        return document;
    }

    /** A new monitor's document. */
    ObjectNode toNew() {
        return into(Json.mapper().createObjectNode());
    }

    /** The API's field names as the form's: {@code schedule.every} is {@code every}, {@code schedule.type} {@code scheduleType}. */
    static String field(String apiField) {
        if (apiField.startsWith("schedule.")) {
            String rest = apiField.substring("schedule.".length());
            return rest.equals("type") ? "scheduleType" : rest;
        }
        return apiField.equals("schedule") ? "scheduleType" : apiField;
    }

    private static void optional(ObjectNode document, String field, String value) {
        if (trim(value).isEmpty()) {
            document.putNull(field);
        } else {
            document.put(field, trim(value));
        }
    }

    private static String trim(String value) {
        return value == null ? "" : value.trim();
    }
}
