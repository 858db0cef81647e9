package io.vigil.evaluator.web;

import static io.restassured.RestAssured.given;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A browser's view of the console for tests: signs in through the sign-in form, then sends the session cookie and
 * the page's CSRF token as a browser would. Redirects are not followed, so a test sees each 303.
 */
public final class ConsoleSession {

    /** The full user the test profile ensures at start ({@code %test.vigil.evaluator.api.admin-user}). */
    public static final String ADMIN_USER = "admin";
    public static final String ADMIN_PASSWORD = "test-admin-password";

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private final String cookie;
    private final String csrf;

    private ConsoleSession(String cookie, String csrf) {
        this.cookie = cookie;
        this.csrf = csrf;
    }

    public static ConsoleSession admin() {
        return signIn(ADMIN_USER, ADMIN_PASSWORD);
    }

    /** Signs in through the form; fails the test unless the sign-in succeeds. */
    public static ConsoleSession signIn(String username, String password) {
        Response signedIn = submitSignIn(username, password);
        if (signedIn.statusCode() != 303) {
            throw new AssertionError("sign-in of " + username + " answered " + signedIn.statusCode() + ": " + signedIn.asString());
        }
        String cookie = signedIn.cookie(ConsolePaths.SESSION_COOKIE);
        String page = given().redirects().follow(false).cookie(ConsolePaths.SESSION_COOKIE, cookie).get("/monitors").asString();
        return new ConsoleSession(cookie, csrfOf(page));
    }

    /** Loads the sign-in form and posts it with this username and password, as a browser does. */
    public static Response submitSignIn(String username, String password) {
        Response form = given().redirects().follow(false).get("/login");
        String signInCookie = form.cookie(ConsolePaths.SIGN_IN_COOKIE);
        return given().redirects().follow(false).cookie(ConsolePaths.SIGN_IN_COOKIE, signInCookie)
                .contentType(ContentType.URLENC).formParam("_csrf", csrfOf(form.asString()))
                .formParam("username", username).formParam("password", password).post("/login");
    }

    /** A user made for a test through the API; its password is {@code password}. */
    public static String newUser(String access, String password) {
        String username = "u-" + UUID.randomUUID().toString().substring(0, 8);
        given().header("Authorization", "Bearer test-admin-key-0123456789abcdef").contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", password, "access", access))
                .post("/api/v1/users").then().statusCode(201);
        return username;
    }

    public static String csrfOf(String page) {
        Matcher matcher = CSRF.matcher(page);
        if (!matcher.find()) {
            throw new AssertionError("the page has no CSRF field: " + page);
        }
        return matcher.group(1);
    }

    /** A request with the session cookie; redirects are not followed. */
    public RequestSpecification request() {
        return RestAssured.given().redirects().follow(false).cookie(ConsolePaths.SESSION_COOKIE, cookie);
    }

    public Response get(String path) {
        return request().get(path);
    }

    /** Posts a form as the console's pages do, with this session's CSRF token. */
    public Response post(String path, Map<String, ?> form) {
        Map<String, Object> fields = new HashMap<>(form);
        fields.putIfAbsent("_csrf", csrf);
        return request().contentType(ContentType.URLENC).formParams(fields).post(path);
    }

    public String cookie() {
        return cookie;
    }

    public String csrf() {
        return csrf;
    }
}
