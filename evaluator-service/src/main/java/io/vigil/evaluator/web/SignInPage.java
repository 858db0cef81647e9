package io.vigil.evaluator.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.ext.web.RoutingContext;
import io.vigil.evaluator.config.AdminApiConfig;
import io.vigil.evaluator.service.Secrets;
import io.vigil.evaluator.service.Users;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.jboss.resteasy.reactive.RestCookie;
import org.jboss.resteasy.reactive.RestForm;

/** The console's sign-in page and sign-out. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class SignInPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance login(String username, String next, String csrf, String error);
    }

    private final Users users;
    private final AdminApiConfig config;

    public SignInPage(Users users, AdminApiConfig config) {
        this.users = users;
        this.config = config;
    }

    @GET
    @Path("login")
    public Response form(@QueryParam("next") String next, RoutingContext routing) {
        String csrf = Secrets.generate();
        return Response.ok(Templates.login("", ConsolePaths.safeNext(next), csrf, null))
                .cookie(signInCookie(csrf, routing)).build();
    }

    @POST
    @Path("login")
    public Response signIn(@RestForm String username, @RestForm String password, @RestForm String next,
            @RestForm(ConsoleFilter.CSRF_FIELD) String csrf, RoutingContext routing) {
        Users.SignInResult result = users.signIn(username, password);
        if (result instanceof Users.SignInResult.Success success) {
            NewCookie session = cookie(ConsolePaths.SESSION_COOKIE, success.token(), "/", routing)
                    .sameSite(NewCookie.SameSite.LAX).maxAge((int) config.sessionTtl().toSeconds()).build();
            NewCookie spent = cookie(ConsolePaths.SIGN_IN_COOKIE, "", "/login", routing).maxAge(0).build();
            return Response.seeOther(URI.create(ConsolePaths.safeNext(next))).cookie(session, spent).build();
        }
        String reason = ((Users.SignInResult.Refused) result).reason();
        return Response.status(401).entity(Templates.login(username == null ? "" : username, ConsolePaths.safeNext(next), csrf, reason)).build();
    }

    @POST
    @Path("logout")
    public Response signOut(@RestCookie(ConsolePaths.SESSION_COOKIE) String token, RoutingContext routing) {
        if (token != null) {
            users.signOut(token);
        }
        NewCookie cleared = cookie(ConsolePaths.SESSION_COOKIE, "", "/", routing).sameSite(NewCookie.SameSite.LAX).maxAge(0).build();
        return Response.seeOther(URI.create("/login")).cookie(cleared).build();
    }

    private static NewCookie signInCookie(String csrf, RoutingContext routing) {
        return cookie(ConsolePaths.SIGN_IN_COOKIE, csrf, "/login", routing).sameSite(NewCookie.SameSite.STRICT).maxAge(3600).build();
    }

    /** HttpOnly always; Secure when the browser came over HTTPS (directly or through a proxy that says so). */
    private static NewCookie.Builder cookie(String name, String value, String path, RoutingContext routing) {
        String forwarded = routing.request().getHeader("X-Forwarded-Proto");
        boolean https = routing.request().isSSL() || "https".equalsIgnoreCase(forwarded);
        return new NewCookie.Builder(name).value(value).path(path).httpOnly(true).secure(https);
    }
}
