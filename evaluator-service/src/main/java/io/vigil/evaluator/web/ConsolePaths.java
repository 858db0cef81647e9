package io.vigil.evaluator.web;

import jakarta.ws.rs.container.ContainerRequestContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Which paths are the web console's (a session is needed) and which are public (nothing is). */
public final class ConsolePaths {

    /** The cookie that carries a console session. */
    public static final String SESSION_COOKIE = "vigil_session";
    /** The cookie the sign-in form's CSRF token is checked against (before there is a session). */
    public static final String SIGN_IN_COOKIE = "vigil_sign_in";

    private static final List<String> CONSOLE = List.of("/monitors", "/channels", "/keys", "/users", "/status-pages", "/logout");
    private static final List<String> PUBLIC = List.of("/badge/", "/q/", "/status/", "/static/", "/webjars/");

    private ConsolePaths() {
    }

    /** Pages anyone may see: badges, status pages, static assets, the sign-in page, health and metrics. */
    public static boolean isPublic(String path) {
        return path.equals("/login") || path.equals("/favicon.ico") || PUBLIC.stream().anyMatch(path::startsWith);
    }

    /** The console's own pages: they need a signed-in session. */
    public static boolean isConsole(String path) {
        return path.equals("/") || CONSOLE.stream().anyMatch(prefix -> path.equals(prefix) || path.startsWith(prefix + "/"));
    }

    /** The sign-in page, asked to come back to this page afterwards (a GET only: a form is not re-posted). */
    public static String signInFor(String path, String query, ContainerRequestContext request) {
        if (!"GET".equals(request.getMethod()) || path.equals("/")) {
            return "/login";
        }
        String back = query == null || query.isEmpty() ? path : path + "?" + query;
        return "/login?next=" + URLEncoder.encode(back, StandardCharsets.UTF_8);
    }

    /** A page to go to after signing in: only a path on this site, never another host. */
    public static String safeNext(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.contains("\\") || !isConsole(pathOf(next))) {
            return "/";
        }
        return next;
    }

    private static String pathOf(String target) {
        int query = target.indexOf('?');
        return query < 0 ? target : target.substring(0, query);
    }
}
