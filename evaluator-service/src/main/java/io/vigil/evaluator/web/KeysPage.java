package io.vigil.evaluator.web;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vigil.evaluator.ApiKey;
import io.vigil.evaluator.rest.ApiKeyResource;
import io.vigil.evaluator.rest.Caller;
import io.vigil.evaluator.rest.Times;
import io.vigil.evaluator.service.ApiKeys;
import io.vigil.evaluator.service.InvalidRequestException;
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
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestForm;

/**
 * The API keys page (full users only): the keys, a form to create one and deletion. A new key's secret is shown once,
 * on the page that answers the form; only its hash is stored.
 */
@ConsoleForms
@Path("/keys")
@Produces(MediaType.TEXT_HTML)
public class KeysPage {

    /** Why a read-only user is refused here. */
    private static final String READ_ONLY = "API keys are managed by full users only.";

    /** A key in the list; its secret is never known again. */
    public record KeyRow(UUID id, String name, String access, String createdAt) {
    }

    /** The key just created, with its secret. */
    public record Created(String name, String access, String secret) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(List<KeyRow> keys, String next, String name, String access, FieldMessages errors,
                                            Created created);
    }

    private final ApiKeys apiKeys;
    private final Caller caller;

    public KeysPage(ApiKeys apiKeys, Caller caller) {
        this.apiKeys = apiKeys;
        this.caller = caller;
    }

    @GET
    public TemplateInstance list(@QueryParam("cursor") String cursor) {
        caller.requireFull(READ_ONLY);
        return page(cursor, "", ApiKey.READ_ONLY, FieldMessages.none(), null);
    }

    /**
     * Creates a key and answers the page with its secret (not a redirect: the secret is shown this once and stored
     * nowhere a later request could read it).
     */
    @POST
    public Response create(@RestForm String name, @RestForm String access) {
        caller.requireFull(READ_ONLY);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("name", name == null ? "" : name);
        body.put("access", access == null ? "" : access);
        try {
            ApiKeyResource.NewKey request = ApiKeyResource.request(body);
            ApiKeys.CreatedKey created = apiKeys.create(request.name(), request.access());
            return Response.ok(page(null, "", ApiKey.READ_ONLY, FieldMessages.none(),
                    new Created(created.key().name, created.key().access, created.secret()))).build();
        } catch (InvalidRequestException e) {
            FieldMessages errors = FieldMessages.of(e.getMessage(), e.errors(), Set.of("name", "access"), Labels::of);
            return Response.status(400).entity(page(null, name == null ? "" : name, access == null ? "" : access, errors, null)).build();
        }
    }

    @POST
    @Path("{id}/delete")
    public Response delete(@PathParam("id") UUID id) {
        caller.requireFull(READ_ONLY);
        apiKeys.delete(id);
        return Response.seeOther(URI.create("/keys")).build();
    }

    private TemplateInstance page(String cursor, String name, String access, FieldMessages errors, Created created) {
        Pages.Page<ApiKey> page = apiKeys.page(Pages.cursor(cursor), Pages.MAX_LIMIT);
        List<KeyRow> rows = page.items().stream()
                .map(key -> new KeyRow(key.id, key.name, key.access, Times.format(key.createdAt))).toList();
        return Templates.list(rows, page.nextCursor() == null ? "" : page.nextCursor(), name, access, errors, created);
    }
}
