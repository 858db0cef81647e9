package io.vigil.evaluator.web;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vigil.evaluator.ApiKey;
import io.vigil.evaluator.ConsoleUser;
import io.vigil.evaluator.rest.Caller;
import io.vigil.evaluator.rest.Times;
import io.vigil.evaluator.rest.UserResource;
import io.vigil.evaluator.service.ConflictException;
import io.vigil.evaluator.service.InvalidRequestException;
import io.vigil.evaluator.service.Pages;
import io.vigil.evaluator.service.Users;
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
 * The console users page (full users only): the users, a form to create one and deletion. A user cannot delete
 * themselves here (another full user can), so the console is never left without the user working in it.
 */
@ConsoleForms
@Path("/users")
@Produces(MediaType.TEXT_HTML)
public class UsersPage {

    /** Why a read-only user is refused here. */
    private static final String READ_ONLY = "Console users are managed by full users only.";

    /** A user in the list. */
    public record UserRow(UUID id, String username, String access, String createdAt, String lockedUntil, boolean you) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(List<UserRow> users, String next, String username, String access, FieldMessages errors);
    }

    private final Users users;
    private final Caller caller;

    public UsersPage(Users users, Caller caller) {
        this.users = users;
        this.caller = caller;
    }

    @GET
    public TemplateInstance list(@QueryParam("cursor") String cursor) {
        caller.requireFull(READ_ONLY);
        return page(cursor, "", ApiKey.READ_ONLY, FieldMessages.none());
    }

    @POST
    public Response create(@RestForm String username, @RestForm String password, @RestForm String access) {
        caller.requireFull(READ_ONLY);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("username", username == null ? "" : username);
        body.put("password", password == null ? "" : password);
        body.put("access", access == null ? "" : access);
        Set<String> fields = Set.of("username", "password", "access");
        try {
            UserResource.NewUser request = UserResource.request(body);
            users.create(request.username(), request.password(), request.access());
        } catch (InvalidRequestException e) {
            return refused(400, FieldMessages.of(e.getMessage(), e.errors(), fields, Labels::of), username, access);
        } catch (ConflictException e) {
            return refused(409, FieldMessages.of(e.getMessage(), e.errors(), fields, Labels::of), username, access);
        }
        return Response.seeOther(URI.create("/users")).build();
    }

    @POST
    @Path("{id}/delete")
    public Response delete(@PathParam("id") UUID id) {
        caller.requireFull(READ_ONLY);
        if (caller.user().map(user -> user.userId().equals(id)).orElse(false)) {
            throw new ConflictException("You cannot delete the user you are signed in as; another full user can.");
        }
        users.delete(id);
        return Response.seeOther(URI.create("/users")).build();
    }

    /** The page again with the form's messages; the password is never sent back. */
    private Response refused(int status, FieldMessages errors, String username, String access) {
        return Response.status(status).entity(page(null, username == null ? "" : username, access == null ? "" : access, errors)).build();
    }

    private TemplateInstance page(String cursor, String username, String access, FieldMessages errors) {
        UUID you = caller.user().map(Users.SignedIn::userId).orElse(null);
        Pages.Page<ConsoleUser> page = users.page(Pages.cursor(cursor), Pages.MAX_LIMIT);
        List<UserRow> rows = page.items().stream().map(user -> new UserRow(user.id, user.username, user.access,
                Times.format(user.createdAt), user.lockedUntil == null ? "" : Times.format(user.lockedUntil), user.id.equals(you))).toList();
        return Templates.list(rows, page.nextCursor() == null ? "" : page.nextCursor(), username, access, errors);
    }
}
