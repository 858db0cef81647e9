package io.vigil.evaluator.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vigil.evaluator.rest.NotifierStandIn;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = NotifierStandIn.class, restrictToAnnotatedClass = false)
class SignInTest {

    private static final String PASSWORD = "a long enough password";

    @Test
    void aPageWithoutASessionSendsTheBrowserToSignInAndBackAfterwards() {
        given().redirects().follow(false).get("/monitors?status=down").then().statusCode(303)
                .header("Location", local("/login?next=%2Fmonitors%3Fstatus%3Ddown"));
        given().redirects().follow(false).get("/").then().statusCode(303).header("Location", local("/login"));
        given().redirects().follow(false).header("HX-Request", "true").get("/monitors").then().statusCode(401)
                .header("HX-Redirect", "/login?next=%2Fmonitors");
        given().redirects().follow(false).cookie(ConsolePaths.SESSION_COOKIE, "not-a-session").get("/channels")
                .then().statusCode(303);

        String form = given().queryParam("next", "/monitors?status=down").get("/login").then().statusCode(200)
                .contentType(containsString("text/html")).header("Cache-Control", "no-store")
                .header("X-Frame-Options", "DENY").extract().asString();
        assertThat(form).contains("<label for=\"username\">", "<label for=\"password\">", "value=\"/monitors?status=down\"");
    }

    @Test
    void signingInSetsAHardenedSessionCookieAndSigningOutEndsIt() {
        String username = ConsoleSession.newUser("full", PASSWORD);
        Response signedIn = ConsoleSession.submitSignIn(username, PASSWORD);
        signedIn.then().statusCode(303).header("Location", local("/"));
        String setCookie = signedIn.headers().getValues("Set-Cookie").stream()
                .filter(value -> value.startsWith(ConsolePaths.SESSION_COOKIE + "=")).findFirst().orElseThrow();
        assertThat(setCookie).contains("HttpOnly", "SameSite=Lax", "Path=/").doesNotContain("Secure");

        ConsoleSession session = ConsoleSession.signIn(username, PASSWORD);
        session.get("/monitors").then().statusCode(200).body(containsString(username)).body(containsString("Sign out"));
        session.post("/logout", Map.of()).then().statusCode(303).header("Location", local("/login"));
        session.get("/monitors").then().statusCode(303);
    }

    @Test
    void behindAnHttpsProxyTheCookieIsSecure() {
        Response form = given().get("/login");
        Response signedIn = given().redirects().follow(false).header("X-Forwarded-Proto", "https")
                .cookie(ConsolePaths.SIGN_IN_COOKIE, form.cookie(ConsolePaths.SIGN_IN_COOKIE)).contentType(ContentType.URLENC)
                .formParam("_csrf", ConsoleSession.csrfOf(form.asString()))
                .formParam("username", ConsoleSession.ADMIN_USER).formParam("password", ConsoleSession.ADMIN_PASSWORD).post("/login");
        signedIn.then().statusCode(303);
        assertThat(signedIn.headers().getValues("Set-Cookie")).anySatisfy(value ->
                assertThat(value).startsWith(ConsolePaths.SESSION_COOKIE + "=").contains("Secure", "HttpOnly"));
    }

    @Test
    void aWrongPasswordIsRefusedAndRepeatedFailuresLockTheUserOut() {
        String username = ConsoleSession.newUser("read-only", PASSWORD);
        for (int attempt = 1; attempt < 5; attempt++) {
            ConsoleSession.submitSignIn(username, "wrong password " + attempt).then().statusCode(401)
                    .body(containsString("The username or password is not right."));
        }
        ConsoleSession.submitSignIn(username, "wrong password 5").then().statusCode(401).body(containsString("locked out"));
        ConsoleSession.submitSignIn(username, PASSWORD).then().statusCode(401).body(containsString("locked out"));
        ConsoleSession.submitSignIn("nobody-" + username, PASSWORD).then().statusCode(401)
                .body(containsString("The username or password is not right."));
    }

    @Test
    void aSuccessResetsTheCountOfFailures() {
        String username = ConsoleSession.newUser("full", PASSWORD);
        for (int round = 0; round < 2; round++) {
            for (int attempt = 1; attempt < 5; attempt++) {
                ConsoleSession.submitSignIn(username, "wrong").then().statusCode(401);
            }
            ConsoleSession.submitSignIn(username, PASSWORD).then().statusCode(303);
        }
    }

    @Test
    void formsWithoutTheSessionsCsrfTokenAreRefused() {
        ConsoleSession session = ConsoleSession.admin();
        session.post("/logout", Map.of("_csrf", "forged")).then().statusCode(403).body(containsString("expired"));
        session.request().contentType(ContentType.URLENC).post("/logout").then().statusCode(403);
        session.request().contentType(ContentType.JSON).body("{}").post("/logout").then().statusCode(403);
        session.request().header("Sec-Fetch-Site", "cross-site").contentType(ContentType.URLENC)
                .formParam("_csrf", session.csrf()).post("/logout").then().statusCode(403).body(containsString("another site"));
        // another session's token is not this session's
        ConsoleSession other = ConsoleSession.admin();
        session.post("/logout", Map.of("_csrf", other.csrf())).then().statusCode(403);
        session.get("/monitors").then().statusCode(200);

        // the sign-in form's token is bound to its cookie
        given().redirects().follow(false).contentType(ContentType.URLENC).formParam("_csrf", "x")
                .formParam("username", ConsoleSession.ADMIN_USER).formParam("password", ConsoleSession.ADMIN_PASSWORD)
                .post("/login").then().statusCode(403);
    }

    @Test
    void afterSignInOnlyPagesOfThisSiteAreVisited() {
        for (String next : new String[] {"//evil.example/", "https://evil.example/", "/\\evil.example", "/api/v1/monitors"}) {
            Response form = given().get("/login");
            given().redirects().follow(false).cookie(ConsolePaths.SIGN_IN_COOKIE, form.cookie(ConsolePaths.SIGN_IN_COOKIE))
                    .contentType(ContentType.URLENC).formParam("_csrf", ConsoleSession.csrfOf(form.asString())).formParam("next", next)
                    .formParam("username", ConsoleSession.ADMIN_USER).formParam("password", ConsoleSession.ADMIN_PASSWORD)
                    .post("/login").then().statusCode(303).header("Location", equalTo(local("/")));
        }
    }

    @Test
    void aReadOnlyUserSeesNoChangesInTheMenuAndTheApiStillNeedsAKey() {
        String username = ConsoleSession.newUser("read-only", PASSWORD);
        ConsoleSession session = ConsoleSession.signIn(username, PASSWORD);
        session.get("/monitors").then().statusCode(200).body(containsString("read-only")).body(not(containsString("href=\"/users\"")));
        // a session is not an API key
        session.get("/api/v1/monitors").then().statusCode(401);
    }

    /** Where a redirect to this path of the console points: JAX-RS makes a Location absolute. */
    private static String local(String path) {
        return "http://localhost:" + io.restassured.RestAssured.port + path;
    }
}
