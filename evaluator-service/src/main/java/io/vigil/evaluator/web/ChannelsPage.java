package io.vigil.evaluator.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vigil.contracts.ChannelDefinition;
import io.vigil.contracts.ChannelDefinition.Field;
import io.vigil.contracts.ChannelType;
import io.vigil.evaluator.Channel;
import io.vigil.evaluator.ChannelConfig;
import io.vigil.evaluator.Durations;
import io.vigil.evaluator.rest.Caller;
import io.vigil.evaluator.rest.ChannelResource;
import io.vigil.evaluator.rest.Times;
import io.vigil.evaluator.service.ChannelSpec;
import io.vigil.evaluator.service.ChannelTests;
import io.vigil.evaluator.service.ChannelUsage;
import io.vigil.evaluator.service.Channels;
import io.vigil.evaluator.service.FieldError;
import io.vigil.evaluator.service.InvalidRequestException;
import io.vigil.evaluator.service.NotifierUnavailableException;
import io.vigil.evaluator.service.Pages;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * The channels pages: the list (with each channel's newest delivery error and the monitors that use it), a form per
 * channel type built from its {@link ChannelDefinition}, the edit page with the test send, and deletion. A form is
 * turned into the JSON body the API takes and read by the API's own code ({@link ChannelResource#spec}), so it is
 * refused for the same reasons with the same messages; secrets are only ever shown masked, as the API shows them.
 */
@ConsoleForms
@Path("/channels")
@Produces(MediaType.TEXT_HTML)
public class ChannelsPage {

    /** Why a read-only user is refused here. */
    private static final String READ_ONLY = "Read-only users cannot change channels.";

    /** A channel in the list. */
    public record ChannelRow(UUID id, String name, String type, String notifyOn, LastError lastError,
                             List<ChannelUsage.User> usedBy) {
    }

    /** A channel's newest failed delivery attempt, as the pages show it. */
    public record LastError(String at, String text) {
    }

    /** A type one can create a channel of. */
    public record TypeChoice(String type, String label) {
    }

    /** One line of a channel's facts (read-only view): its settings, masked. */
    public record Fact(String label, String value) {
    }

    /** A channel as its page shows it. */
    public record ChannelView(UUID id, String name, String type, String typeLabel, String notifyOn, String remindEvery,
                              List<Fact> config, LastError lastError, List<ChannelUsage.User> usedBy, String createdAt,
                              String updatedAt) {
    }

    /** An option of a select or a checkbox of a group. */
    public record Choice(String value, String label, boolean selected) {
    }

    /**
     * One config field's input.
     *
     * @param name  the form field, {@code config.<field>}
     * @param input {@code text}, {@code password}, {@code url}, {@code number}, {@code select} or {@code textarea}
     */
    public record ConfigInput(String name, String label, String input, String value, boolean required, List<Choice> choices,
                              String hint, String min, String max, boolean secret) {
    }

    /** The create or edit form of a channel, filled in. */
    public record ChannelForm(String action, String type, String typeLabel, String name, List<Choice> notifyOn,
                              String remindEvery, List<ConfigInput> config, boolean editing) {
    }

    /** The outcome of a test send, for {@code #test-outcome}. */
    public record TestOutcome(boolean sent, String title, String detail) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(List<ChannelRow> channels, List<TypeChoice> types, String next);

        static native TemplateInstance types(List<TypeChoice> types, String error);

        static native TemplateInstance create(ChannelForm form, FieldMessages errors);

        static native TemplateInstance channel(ChannelView channel, ChannelForm form, FieldMessages errors, TestOutcome outcome);
    }

    private static final List<String> NOTIFY_ON = List.of("DOWN", "UP", "LATE", "MAINTENANCE");
    private static final List<String> DEFAULT_NOTIFY_ON = List.of("DOWN", "UP");

    private final Channels channels;
    private final ChannelTests tests;
    private final ChannelUsage usage;
    private final Caller caller;

    public ChannelsPage(Channels channels, ChannelTests tests, ChannelUsage usage, Caller caller) {
        this.channels = channels;
        this.tests = tests;
        this.usage = usage;
        this.caller = caller;
    }

    @GET
    public TemplateInstance list(@QueryParam("cursor") String cursor) {
        Pages.Page<Channel> page = channels.page(Pages.cursor(cursor), Pages.MAX_LIMIT);
        Set<UUID> ids = page.items().stream().map(channel -> channel.id).collect(Collectors.toSet());
        Map<UUID, List<ChannelUsage.User>> users = usage.usedBy(ids);
        Map<UUID, ChannelUsage.LastError> errors = usage.lastErrors(ids);
        List<ChannelRow> rows = page.items().stream().map(channel -> new ChannelRow(channel.id, channel.name,
                channel.type.json(), String.join(", ", channel.notifyOn), lastError(errors.get(channel.id)),
                users.getOrDefault(channel.id, List.of()))).toList();
        return Templates.list(rows, types(), page.nextCursor() == null ? "" : page.nextCursor());
    }

    @GET
    @Path("new")
    public Response createForm(@QueryParam("type") String type) {
        caller.requireFull(READ_ONLY);
        if (type == null || type.isBlank()) {
            return Response.ok(Templates.types(types(), "")).build();
        }
        ChannelType channelType = typeOf(type);
        if (channelType == null) {
            return Response.status(400).entity(Templates.types(types(), "There is no channel type " + type.strip()
                    + "; the types are " + ChannelType.names() + ".")).build();
        }
        ChannelForm form = new ChannelForm("/channels", channelType.json(), label(channelType), "",
                notifyOn(DEFAULT_NOTIFY_ON), "", inputs(channelType, null, null), false);
        return Response.ok(Templates.create(form, FieldMessages.none())).build();
    }

    @POST
    public Response create() {
        caller.requireFull(READ_ONLY);
        PostedForm posted = PostedForm.current();
        ChannelType type = typeOf(posted.text("type"));
        List<FieldError> formErrors = new ArrayList<>();
        ObjectNode body = body(posted, type, posted.text("type"), formErrors);
        try {
            channels.create(withErrors(ChannelResource.spec(body), formErrors));
        } catch (InvalidRequestException e) {
            if (type == null) {
                return Response.status(400).entity(Templates.types(types(), "There is no channel type "
                        + posted.text("type").strip() + "; the types are " + ChannelType.names() + ".")).build();
            }
            ChannelForm form = new ChannelForm("/channels", type.json(), label(type), posted.text("name"),
                    notifyOn(posted.all("notifyOn")), posted.text("remindEvery"), inputs(type, null, posted), false);
            return Response.status(400).entity(Templates.create(form, messages(e, form))).build();
        }
        return Response.seeOther(URI.create("/channels")).build();
    }

    @GET
    @Path("{id}")
    public TemplateInstance channel(@PathParam("id") UUID id) {
        Channel channel = channels.get(id);
        return Templates.channel(view(channel), caller.full() ? editForm(channel, null) : null, FieldMessages.none(), null);
    }

    @POST
    @Path("{id}")
    public Response replace(@PathParam("id") UUID id) {
        caller.requireFull(READ_ONLY);
        Channel stored = channels.get(id);
        PostedForm posted = PostedForm.current();
        List<FieldError> formErrors = new ArrayList<>();
        ObjectNode body = body(posted, stored.type, stored.type.json(), formErrors);
        try {
            channels.replace(id, withErrors(ChannelResource.spec(body), formErrors));
        } catch (InvalidRequestException e) {
            Channel current = channels.get(id);
            ChannelForm form = editForm(current, posted);
            return Response.status(400).entity(Templates.channel(view(current), form, messages(e, form), null)).build();
        }
        return Response.seeOther(URI.create("/channels")).build();
    }

    @POST
    @Path("{id}/delete")
    public Response delete(@PathParam("id") UUID id) {
        caller.requireFull(READ_ONLY);
        channels.delete(id);
        return Response.seeOther(URI.create("/channels")).build();
    }

    /**
     * Sends a test notification now and shows its outcome on the channel's page (answered, not redirected to: the
     * outcome is of this send only).
     */
    @POST
    @Path("{id}/test")
    public Response test(@PathParam("id") UUID id) {
        caller.requireFull(READ_ONLY);
        TestOutcome outcome;
        int status = 200;
        try {
            ChannelTests.Outcome sent = tests.test(id);
            boolean ok = "SENT".equals(sent.status());
            String detail = (sent.httpStatus() == null ? "" : "HTTP " + sent.httpStatus() + ". ")
                    + (sent.error() == null ? "" : sent.error() + " ") + "(" + sent.durationMs() + " ms)";
            outcome = new TestOutcome(ok, ok ? "The test notification was sent." : "The test notification failed.", detail.strip());
        } catch (NotifierUnavailableException e) {
            status = e.status();
            outcome = new TestOutcome(false, "The test could not be sent.", e.getMessage());
        }
        Channel channel = channels.get(id);
        return Response.status(status).entity(Templates.channel(view(channel), editForm(channel, null), FieldMessages.none(), outcome))
                .build();
    }

    /** The JSON body the API would be sent for this form. */
    private static ObjectNode body(PostedForm posted, ChannelType type, String typeText, List<FieldError> formErrors) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("name", posted.text("name"));
        body.put("type", typeText);
        ArrayNode notifyOn = body.putArray("notifyOn");
        posted.all("notifyOn").forEach(notifyOn::add);
        if (!posted.text("remindEvery").isBlank()) {
            body.put("remindEvery", posted.text("remindEvery"));
        }
        ObjectNode config = body.putObject("config");
        if (type != null) {
            for (Field field : type.definition().fields()) {
                config(config, field, posted.text("config." + field.name()), formErrors);
            }
        }
        return body;
    }

    /** A config field in its JSON form; a blank input is an omitted field (its default, or "is required"). */
    private static void config(ObjectNode config, Field field, String raw, List<FieldError> formErrors) {
        String path = "config." + field.name();
        if (raw.isBlank()) {
            return;
        }
        switch (field.kind()) {
            case EMAILS -> {
                ArrayNode to = config.putArray(field.name());
                Arrays.stream(raw.split("[,;\\s]+")).filter(address -> !address.isEmpty()).forEach(to::add);
            }
            case HEADERS -> {
                ObjectNode headers = config.putObject(field.name());
                String[] lines = raw.split("\r\n|\r|\n");
                for (int i = 0; i < lines.length; i++) {
                    String line = lines[i];
                    if (line.isBlank()) {
                        continue;
                    }
                    int colon = line.indexOf(':');
                    if (colon <= 0) {
                        formErrors.add(new FieldError(path, "line " + (i + 1) + " is not \"Name: value\""));
                    } else {
                        headers.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
                    }
                }
            }
            case INT -> {
                try {
                    config.put(field.name(), Integer.parseInt(raw.strip()));
                } catch (NumberFormatException e) {
                    config.put(field.name(), raw.strip()); // the API says what it must be
                }
            }
            default -> config.put(field.name(), raw.strip());
        }
    }

    private static ChannelSpec withErrors(ChannelSpec spec, List<FieldError> formErrors) {
        if (formErrors.isEmpty()) {
            return spec;
        }
        List<FieldError> errors = new ArrayList<>(spec.errors());
        errors.addAll(formErrors);
        return new ChannelSpec(spec.name(), spec.type(), spec.config(), spec.notifyOn(), spec.remindEvery(), errors);
    }

    private static FieldMessages messages(InvalidRequestException e, ChannelForm form) {
        Set<String> fields = new HashSet<>(List.of("name", "notifyOn", "remindEvery"));
        form.config().forEach(input -> fields.add(input.name()));
        return FieldMessages.of(e.getMessage(), e.errors(), fields,
                field -> Labels.of(field.startsWith("config.") ? field.substring("config.".length()) : field));
    }

    private ChannelForm editForm(Channel channel, PostedForm posted) {
        ObjectNode masked = ChannelConfig.masked(channel.type, Channels.config(channel));
        String remindEvery = channel.remindEveryMs == null ? "" : Durations.format(Duration.ofMillis(channel.remindEveryMs));
        if (posted == null) {
            return new ChannelForm("/channels/" + channel.id, channel.type.json(), label(channel.type), channel.name,
                    notifyOn(channel.notifyOn), remindEvery, inputs(channel.type, masked, null), true);
        }
        return new ChannelForm("/channels/" + channel.id, channel.type.json(), label(channel.type), posted.text("name"),
                notifyOn(posted.all("notifyOn")), posted.text("remindEvery"), inputs(channel.type, masked, posted), true);
    }

    /**
     * The type's config inputs, filled from the posted form or else the stored (masked) config. A secret is never
     * filled from a post: a refused form shows it as before (masked, or empty on a new channel), so no page carries a
     * secret someone typed.
     */
    private static List<ConfigInput> inputs(ChannelType type, ObjectNode masked, PostedForm posted) {
        List<ConfigInput> inputs = new ArrayList<>();
        for (Field field : type.definition().fields()) {
            String name = "config." + field.name();
            String stored = masked == null ? "" : shown(field, masked.get(field.name()));
            String value = posted == null || field.secret() ? stored : posted.text(name);
            String input = switch (field.kind()) {
                case HEADERS -> "textarea";
                case CHOICE -> "select";
                case INT -> "number";
                case URL -> field.secret() ? "password" : "url";
                default -> field.secret() ? "password" : "text";
            };
            List<Choice> choices = new ArrayList<>();
            if (field.kind() == ChannelDefinition.Kind.CHOICE) {
                String selected = value.isEmpty() && field.defaultValue() != null ? field.defaultValue().toString() : value;
                if (!field.required() && field.defaultValue() == null) {
                    choices.add(new Choice("", "(none)", selected.isEmpty()));
                }
                field.choices().forEach(choice -> choices.add(new Choice(choice, choice, choice.equalsIgnoreCase(selected))));
            }
            inputs.add(new ConfigInput(name, Labels.of(field.name()), input, value, field.required(), choices,
                    hint(field, masked != null), field.kind() == ChannelDefinition.Kind.INT ? String.valueOf(field.min()) : "",
                    field.kind() == ChannelDefinition.Kind.INT ? String.valueOf(field.max()) : "", field.secret()));
        }
        return inputs;
    }

    /** A stored value as its input shows it. */
    private static String shown(Field field, JsonNode value) {
        if (value == null || value.isNull()) {
            return "";
        }
        return switch (field.kind()) {
            case EMAILS -> StreamSupport.stream(value.spliterator(), false).map(JsonNode::asText).collect(Collectors.joining(", "));
            case HEADERS -> {
                List<String> lines = new ArrayList<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> header = it.next();
                    lines.add(header.getKey() + ": " + header.getValue().asText());
                }
                yield String.join("\n", lines);
            }
            default -> value.asText();
        };
    }

    private static String hint(Field field, boolean editing) {
        List<String> parts = new ArrayList<>();
        switch (field.kind()) {
            case URL -> parts.add("An http or https URL.");
            case EMAILS -> parts.add("Addresses separated by commas, at most " + field.max() + ".");
            case HEADERS -> parts.add("One header per line, as Name: value.");
            case INT -> parts.add("A whole number from " + field.min() + " to " + field.max() + ".");
            case TEXT -> {
                if (field.hint() != null) {
                    parts.add("Must be " + field.hint() + ".");
                }
            }
            case CHOICE -> {
                if (field.defaultValue() != null) {
                    parts.add("Default: " + field.defaultValue() + ".");
                }
            }
        }
        if (!field.required() && field.kind() != ChannelDefinition.Kind.CHOICE) {
            Object fallback = field.defaultValue();
            parts.add(fallback == null || fallback instanceof Map<?, ?> ? "Optional." : "Optional; empty is " + fallback + ".");
        }
        if (field.secret()) {
            parts.add(editing ? "Secret: shown masked (****); leave the masked value as it is to keep the stored one."
                    : "Secret: never shown again once saved.");
        }
        return String.join(" ", parts);
    }

    private static List<Choice> notifyOn(List<String> selected) {
        Set<String> upper = selected.stream().map(status -> status.toUpperCase(Locale.ROOT)).collect(Collectors.toSet());
        return NOTIFY_ON.stream().map(status -> new Choice(status, status, upper.contains(status))).toList();
    }

    private ChannelView view(Channel channel) {
        Map<UUID, ChannelUsage.LastError> errors = usage.lastErrors(List.of(channel.id));
        ObjectNode masked = ChannelConfig.masked(channel.type, Channels.config(channel));
        List<Fact> facts = new ArrayList<>();
        for (Field field : channel.type.definition().fields()) {
            String shown = shown(field, masked.get(field.name()));
            facts.add(new Fact(Labels.of(field.name()), shown.isEmpty() ? "(none)" : shown));
        }
        return new ChannelView(channel.id, channel.name, channel.type.json(), label(channel.type), String.join(", ", channel.notifyOn),
                channel.remindEveryMs == null ? "never" : Durations.human(Duration.ofMillis(channel.remindEveryMs)), facts,
                lastError(errors.get(channel.id)), usage.usedBy(List.of(channel.id)).getOrDefault(channel.id, List.of()),
                Times.format(channel.createdAt), Times.format(channel.updatedAt));
    }

    private static LastError lastError(ChannelUsage.LastError error) {
        if (error == null) {
            return null;
        }
        String text = (error.httpStatus() == null ? "" : "HTTP " + error.httpStatus() + ": ")
                + (error.error() == null ? error.outcome() : error.error());
        return new LastError(Times.format(error.at()), text);
    }

    private static List<TypeChoice> types() {
        return Arrays.stream(ChannelType.values()).map(type -> new TypeChoice(type.json(), label(type))).toList();
    }

    private static String label(ChannelType type) {
        return switch (type) {
            case PAGERDUTY -> "PagerDuty";
            case OPSGENIE -> "Opsgenie";
            case GOOGLECHAT -> "Google Chat";
            case ROCKETCHAT -> "Rocket.Chat";
            case NTFY -> "ntfy";
            default -> type.json().substring(0, 1).toUpperCase(Locale.ROOT) + type.json().substring(1);
        };
    }

    private static ChannelType typeOf(String type) {
        try {
            return type == null || type.isBlank() ? null : ChannelType.fromJson(type.strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
