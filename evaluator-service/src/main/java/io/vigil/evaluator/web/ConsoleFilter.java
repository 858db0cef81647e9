package io.vigil.evaluator.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.ext.web.RoutingContext;
import io.vigil.contracts.TokenHash;
import io.vigil.evaluator.rest.Caller;
import io.vigil.evaluator.rest.Problem;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

/**
 * The console's defences: every form a browser posts to it carries the CSRF token of its session (or, for the
 * sign-in form, of its sign-in cookie), and a post from another site is refused; console pages are never cached,
 * framed or given a referrer. A page without a session is answered with the way to the sign-in page.
 */
public class ConsoleFilter {

    /** The form field every console form carries. */
    public static final String CSRF_FIELD = "_csrf";

    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    private final Caller caller;

    public ConsoleFilter(Caller caller) {
        this.caller = caller;
    }

    @ConsoleForms
    @ServerRequestFilter(readBody = true)
    public Response checkForm(ResteasyReactiveContainerRequestContext request, RoutingContext routing) {
        String path = routing.normalizedPath();
        boolean signIn = path.equals("/login");
        if (SAFE.contains(request.getMethod().toUpperCase(Locale.ROOT)) || !(signIn || ConsolePaths.isConsole(path))) {
            return null;
        }
        if (crossSite(request)) {
            return refused("This form was posted from another site.");
        }
        if (!MediaType.APPLICATION_FORM_URLENCODED_TYPE.isCompatible(request.getMediaType())) {
            return refused("The console takes forms only.");
        }
        Object sent = ((ResteasyReactiveRequestContext) request.getServerRequestContext()).getFormParameter(CSRF_FIELD, true, false);
        String token = sent == null ? null : sent.toString();
        String expected;
        if (signIn) {
            Cookie cookie = request.getCookies().get(ConsolePaths.SIGN_IN_COOKIE);
            expected = cookie == null ? null : cookie.getValue();
        } else {
            expected = caller.user().map(user -> user.csrf()).orElse(null);
        }
        if (token == null || expected == null || !TokenHash.matches(TokenHash.of(token), TokenHash.of(expected))) {
            return refused(signIn ? "The sign-in form has expired; reload the page and sign in again."
                    : "The form has expired or was not sent from this console; reload the page and try again.");
        }
        return null;
    }

    @CheckedTemplate(basePath = "")
    static class Templates {
        static native TemplateInstance error(Problem problem);
    }

    @ServerResponseFilter
    public void headers(ContainerRequestContext request, ContainerResponseContext response, RoutingContext routing) {
        String path = routing.normalizedPath();
        if (path.equals("/login") || ConsolePaths.isConsole(path)) {
            if (response.getEntity() instanceof Problem problem) {
                // a person reads this one: the API's problem, as a page of the console
                response.setEntity(Templates.error(problem).render(), null, MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"));
            }
            response.getHeaders().putSingle("Cache-Control", "no-store");
            response.getHeaders().putSingle("X-Frame-Options", "DENY");
            response.getHeaders().putSingle("X-Content-Type-Options", "nosniff");
            response.getHeaders().putSingle("Referrer-Policy", "same-origin");
            response.getHeaders().putSingle("Content-Security-Policy",
                    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'");
        }
    }

    @ServerExceptionMapper
    public Response signInRequired(SignInRequiredException e, ContainerRequestContext request) {
        if (request.getHeaderString("HX-Request") != null) {
            // htmx follows HX-Redirect with a full page load: a live refresh whose session ended goes to sign-in
            return Response.status(401).header("HX-Redirect", e.signIn()).build();
        }
        return Response.seeOther(java.net.URI.create(e.signIn())).build();
    }

    /**
     * A browser tells where a post comes from (Sec-Fetch-Site); another site is refused. The CSRF token is the defence
     * that counts; Origin is not compared with Host, which a reverse proxy may rewrite.
     */
    private static boolean crossSite(ContainerRequestContext request) {
        String site = request.getHeaderString("Sec-Fetch-Site");
        return site != null && !site.equals("same-origin") && !site.equals("none");
    }

    private static Response refused(String reason) {
        return Response.status(403).type(MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8")).entity(reason).build();
    }
}
