package io.vigil.evaluator.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.evaluator.ConsoleUser;
import io.vigil.evaluator.service.Pages;
import io.vigil.evaluator.service.Users;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/v1/users}: the web console's users (create, list, delete); a full key only, reads included. */
@Path("/api/v1/users")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Users")
@SecurityRequirement(name = MonitorResource.BEARER)
@SecurityRequirement(name = MonitorResource.API_KEY)
public class UserResource {

    /** A user as answers show it; the password is never shown. */
    @JsonPropertyOrder({"id", "username", "access", "createdAt", "lockedUntil"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record UserJson(UUID id, String username, String access, String createdAt, String lockedUntil) {

        static UserJson of(ConsoleUser user) {
            return new UserJson(user.id, user.username, user.access, Times.format(user.createdAt), Times.format(user.lockedUntil));
        }
    }

    /** A page of users. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record UserPage(List<UserJson> items, String nextCursor) {
    }

    /** A user to create, as a request names it. */
    public record NewUser(String username, String password, String access) {
    }

    private static final Set<String> WRITABLE = Set.of("username", "password", "access");
    private static final Set<String> SERVER = Set.of("id", "createdAt", "lockedUntil");

    private final Users users;
    private final Caller caller;

    public UserResource(Users users, Caller caller) {
        this.users = users;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a console user", description = "The password (12 characters or more) is stored as a bcrypt hash.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "an on-call engineer",
            value = "{\"username\":\"ada\",\"password\":\"correct horse battery\",\"access\":\"read-only\"}")))
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = UserJson.class)))
    @APIResponse(responseCode = "400", description = "Invalid username, password or access")
    @APIResponse(responseCode = "409", description = "The username is taken")
    public Response create(String body) {
        requireFull();
        NewUser request = request(Input.object(body));
        ConsoleUser user = users.create(request.username(), request.password(), request.access());
        return Response.created(URI.create("/api/v1/users/" + user.id)).entity(UserJson.of(user)).build();
    }

    @GET
    @Operation(summary = "List console users", description = "By creation time.")
    @APIResponse(responseCode = "200", description = "A page of users", content = @Content(schema = @Schema(implementation = UserPage.class)))
    public UserPage list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        requireFull();
        Pages.Page<UserJson> page = users.page(Pages.cursor(cursor), Pages.limit(limit)).map(UserJson::of);
        return new UserPage(page.items(), page.nextCursor());
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a console user", description = "Their sessions end at once.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such user")
    public Response delete(@PathParam("id") UUID id) {
        requireFull();
        users.delete(id);
        return Response.noContent().build();
    }

    /** A user to create read from a request body (this API and the console's form); a 400 naming each bad field. */
    public static NewUser request(ObjectNode body) {
        Input input = Input.of(body, WRITABLE, SERVER);
        String username = input.text("username", true, 64);
        String password = input.text("password", true, 200);
        String access = input.text("access", true, 20);
        input.check();
        return new NewUser(username, password, access);
    }

    private void requireFull() {
        if (!caller.full()) {
            throw new AccessDeniedException(403, "Console users are managed with a full API key only.");
        }
    }
}
