package io.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.contracts.Json;
import io.vigil.testkit.HttpReceiver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.opentest4j.TestAbortedException;

/**
 * The web console in a real browser (headless Chromium) against the packaged services: an operator signs in, makes a
 * webhook channel, a monitor alerting it and a status page through the forms of docs/console.md, watches the monitor
 * go UP live, pauses and resumes it, reads a ping's body, forces it DOWN and sees that on the public status page and
 * at the webhook, makes a read-only user; that user then sees every page without a ping URL or token. Screenshots of
 * each main page at 1280 and 390 px go to {@code target/screenshots/}. Runs only where Chromium and chromedriver are
 * installed (skipped with a message otherwise).
 */
@EnabledIf(value = "io.vigil.e2e.Browser#available",
        disabledReason = "Chromium or chromedriver is not installed (Debian: apt-get install chromium chromium-driver)")
class ConsoleWalkthroughIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration LIVE = Duration.ofSeconds(30);
    private static final String ADMIN_USER = "console-" + unique();
    private static final String ADMIN_PASSWORD = "e2e console " + UUID.randomUUID();

    private static HttpReceiver receiver;
    private static VigilStack vigil;
    private static AdminApi admin;

    private Browser browser;
    private final List<String> overflowing = new ArrayList<>();

    /** A failing test leaves the page it failed on as {@code failed-<test>-1280.png} and {@code -390.png}. */
    @RegisterExtension
    final TestExecutionExceptionHandler screenshotOnFailure = (context, thrown) -> {
        if (browser != null && !(thrown instanceof TestAbortedException)) {
            try {
                System.out.println(context.getDisplayName() + " failed at " + browser.path() + ", showing " + browser.problems());
                browser.screenshot("failed-" + context.getRequiredTestMethod().getName());
            } catch (RuntimeException e) {
                thrown.addSuppressed(e);
            }
        }
        throw thrown;
    };

    @BeforeAll
    static void startVigil() {
        receiver = HttpReceiver.start();
        vigil = VigilStack.start(env -> {
            env.put("VIGIL_ADMIN_USER", ADMIN_USER);
            env.put("VIGIL_ADMIN_PASSWORD", ADMIN_PASSWORD);
        });
        admin = vigil.admin();
    }

    @AfterAll
    static void stopVigil() {
        VigilStack.stop(vigil, receiver);
    }

    @BeforeEach
    void openBrowser() {
        browser = Browser.start(vigil.evaluator.baseUrl());
    }

    @AfterEach
    void closeBrowser() {
        VigilStack.stop(browser);
        if (!overflowing.isEmpty()) {
            System.out.println("Console pages wider than the window (horizontal scrolling): " + overflowing);
        }
    }

    @Test
    void signingInReturnsToTheAskedPageAndThePublicStatusPageShowsADownMonitorAndItsIncident() {
        String s = unique();
        browser.open("/monitors?status=DOWN");
        assertThat(browser.awaitPath("/login\\?.*")).contains("next=");
        shot("sign-in");

        signInAs("nobody-" + s, "not anybody's password");
        assertThat(browser.path()).startsWith("/login");
        assertThat(browser.find("[role=alert]").getText()).isNotBlank();
        assertThat(browser.find("input[name=username]").getAttribute("value")).isEqualTo("nobody-" + s);

        signInAs(ADMIN_USER, ADMIN_PASSWORD);
        assertThat(browser.awaitPath("/monitors\\?status=DOWN")).isEqualTo("/monitors?status=DOWN");
        assertThat(browser.find("form[action=\"/logout\"] button").getText()).containsIgnoringCase("sign out");
        shot("signed-in");

        // from the keyboard: the first Tab reaches the skip link, and Enter on it puts focus on the page's content
        browser.open("/monitors");
        browser.driver().findElement(By.tagName("body")).sendKeys(org.openqa.selenium.Keys.TAB);
        WebElement skip = browser.driver().switchTo().activeElement();
        assertThat(skip.getAttribute("class")).isEqualTo("skip");
        assertThat(skip.isDisplayed()).as("the focused skip link is shown").isTrue();
        skip.sendKeys(org.openqa.selenium.Keys.ENTER);
        browser.await("focus on the main content", LIVE, d -> "main".equals(d.switchTo().activeElement().getAttribute("id")));

        // the public page, made through the admin API
        String name = "public " + s;
        JsonNode monitor = admin.post("/monitors", Map.of("name", name, "schedule", Map.of("type", "interval", "every", "PT1H")));
        String id = monitor.get("id").asText();
        String pingUrl = monitor.get("pingUrl").asText();
        awaitAccepted(pingUrl, "run " + s);
        await("UP").atMost(LIVE).until(() -> "UP".equals(admin.get("/monitors/" + id).get("status").asText()));
        String slug = "public-" + s;
        admin.post("/status-pages", Map.of("slug", slug, "title", "Public " + s, "description", "The jobs of " + s,
                "monitors", List.of(id)));
        assertThat(ping(pingUrl + "/fail", "")).isEqualTo(200);
        await("DOWN").atMost(LIVE).until(() -> "DOWN".equals(admin.get("/monitors/" + id).get("status").asText()));

        assertPublicPageShowsDown(slug, name);

        browser.open("/monitors");
        signOut();
        browser.open("/monitors");
        browser.awaitPath("/login.*");
    }

    @Test
    void anOperatorSetsUpAndWatchesAMonitorAndAReadOnlyUserSeesItWithoutItsPingUrl() {
        String s = unique();
        browser.open("/login");
        signInAs(ADMIN_USER, ADMIN_PASSWORD);
        browser.awaitPath("/monitors");

        // a webhook channel to the receiver
        browser.open("/channels/new?type=webhook");
        shot("channel-new");
        String channelName = "hook " + s;
        browser.fill("input[name=name]", channelName)
                .fill("input[name=\"config.url\"]", receiver.url("/hook/" + s))
                .submit("input[name=name]");
        browser.awaitPath("/channels(\\?.*)?");
        String channelId = browser.await("the new channel in the list", LIVE, d -> browser.all("tr[data-channel]").stream()
                .filter(row -> row.getText().contains(channelName)).map(row -> row.getAttribute("data-channel"))
                .findFirst().orElse(null));
        shot("channels");

        // a monitor on an interval schedule, alerting that channel
        browser.open("/monitors");
        browser.click("a[href=\"/monitors/new\"]");
        browser.awaitPath("/monitors/new");
        shot("monitor-new");
        String monitorName = "nightly backup " + s;
        browser.fill("input[name=name]", monitorName)
                .fill("input[name=tags]", "console e2e-" + s)
                .fill("textarea[name=description]", "The nightly database backup of " + s)
                .check("input[name=scheduleType][value=interval]")
                .fill("input[name=every]", "PT1H")
                .check("input[name=channels][value=\"" + channelId + "\"]")
                .submit("input[name=name]");
        String id = browser.awaitPath("/monitors/[0-9a-f-]{36}(\\?.*)?").substring("/monitors/".length(), "/monitors/".length() + 36);
        browser.awaitText("#status .status", "NEW", LIVE);
        String pingUrl = pingUrlShown();
        String token = pingUrl.substring(pingUrl.lastIndexOf('/') + 1);
        assertThat(pingUrl).contains("/ping/");
        assertThat(token).isNotBlank();
        String monitorTab = browser.driver().getWindowHandle();
        markLoaded();

        // NEW in the list, then UP there and on the monitor page without a reload
        WebDriver list = browser.driver().switchTo().newWindow(WindowType.TAB);
        browser.open("/monitors");
        String row = "tr[data-monitor=\"" + id + "\"]";
        assertThat(browser.find(row + " a[href=\"/monitors/" + id + "\"]").getText()).contains(monitorName);
        browser.awaitText(row + " .status", "NEW", LIVE);
        markLoaded();
        String body = "backup done: 42 files, 1.3 GB <" + s + ">";
        awaitAccepted(pingUrl, body);
        browser.awaitText(row + " .status", "UP", LIVE);
        assertNotReloaded("/monitors");
        shot("monitors");
        list.close();
        browser.driver().switchTo().window(monitorTab);
        browser.awaitText("#status .status", "UP", LIVE);
        assertNotReloaded("/monitors/" + id);

        // pause and resume with the page's forms
        browser.submit("form[action$=\"/pause\"]");
        browser.awaitPath("/monitors/" + id + "(\\?.*)?");
        browser.awaitText("#status .status", "PAUSED", LIVE);
        browser.submit("form[action$=\"/resume\"]");
        browser.awaitPath("/monitors/" + id + "(\\?.*)?");
        browser.awaitText("#status .status", "UP", LIVE);

        // "send a test ping": a real ping through the public ping URL, recorded like any other
        browser.submit("form[action$=\"/test-ping\"]");
        browser.awaitPath("/monitors/" + id + "(\\?.*)?");
        assertThat(browser.find("[role=status]").getText()).contains("Test ping sent");
        browser.await("the test ping in the event log", LIVE, d -> {
            if (browser.source().contains("Vigil console test ping")) {
                return true;
            }
            d.navigate().refresh();
            return false;
        });

        // the event log and the ping's body
        browser.find("#events tr.event.ping");
        assertThat(browser.all("#events tr.event.flip")).isNotEmpty();
        shot("monitor");
        // the job's ping, not the console's test ping above it
        browser.all("#events tr.event.ping").stream().filter(ping -> !ping.getText().contains("Vigil console test ping"))
                .findFirst().orElseThrow().findElement(By.cssSelector("a.ping-body")).click();
        browser.awaitPath("/monitors/" + id + "/pings/[^/]+");
        assertThat(browser.find("pre#ping-body").getText()).contains(body);
        shot("ping");

        // a status page with the monitor
        browser.open("/status-pages");
        browser.click("a[href=\"/status-pages/new\"]");
        browser.awaitPath("/status-pages/new");
        shot("status-page-new");
        String slug = "backups-" + s;
        browser.fill("input[name=slug]", slug)
                .fill("input[name=title]", "Backups " + s)
                .fill("textarea[name=description]", "Whether the backups of " + s + " ran")
                .check("input[name=monitors][value=\"" + id + "\"]")
                .submit("input[name=slug]");
        browser.awaitPath("/status-pages(\\?.*)?");
        browser.find("tr[data-status-page=\"" + slug + "\"]");
        shot("status-pages");

        // a failure: DOWN on the monitor page (live), on the public page, and at the webhook the form chose
        browser.open("/monitors/" + id);
        assertThat(ping(pingUrl + "/fail", "")).isEqualTo(200);
        browser.awaitText("#status .status", "DOWN", LIVE);
        assertPublicPageShowsDown(slug, monitorName);
        await("DOWN alert at the webhook").atMost(LIVE).pollInterval(Duration.ofMillis(250))
                .until(() -> receiver.requests("/hook/" + s).stream().map(r -> readTree(r.bodyText()))
                        .anyMatch(alert -> "DOWN".equals(alert.path("status").asText())
                                && id.equals(alert.path("monitor").path("id").asText())));

        browser.open("/keys");
        browser.find("input[name=name]");
        shot("keys");

        // a read-only user
        String viewer = "viewer-" + s;
        String viewerPassword = "viewer password " + s;
        browser.open("/users");
        browser.fill("input[name=username]", viewer)
                .fill("input[name=password]", viewerPassword)
                .select("select[name=access]", "read-only")
                .submit("input[name=username]");
        browser.find("tr[data-user=\"" + viewer + "\"]");
        shot("users");
        signOut();

        // what the read-only user sees: every page, no ping URL, no token, no action
        signInAs(viewer, viewerPassword);
        browser.awaitPath("/monitors");
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("/monitors", row);
        pages.put("/monitors/" + id, "#status .status");
        pages.put("/channels", "tr[data-channel=\"" + channelId + "\"]");
        pages.put("/channels/" + channelId, "main h1");
        pages.put("/status-pages", "tr[data-status-page=\"" + slug + "\"]");
        pages.forEach((page, shown) -> {
            browser.open(page);
            browser.find(shown);
            String html = browser.source();
            assertThat(html).as("%s for a read-only user", page).doesNotContain("/ping/").doesNotContain(token);
            assertThat(browser.all("main form[method=post], main form[method=POST]"))
                    .as("%s: forms that change something, for a read-only user", page).isEmpty();
        });
        assertThat(browser.has("a[href=\"/keys\"]")).as("the API keys page in a read-only user's menu").isFalse();
        browser.open("/monitors/" + id);
        browser.find("#status .status");
        shot("monitor-read-only");
        signOut();
    }

    private void signInAs(String username, String password) {
        browser.fill("input[name=username]", username)
                .fill("input[name=password]", password)
                .submit("input[name=password]");
    }

    private void signOut() {
        browser.click("form[action=\"/logout\"] button");
        browser.awaitPath("/login.*");
    }

    /** The public page: the monitor Down, the banner a major outage, and an ongoing incident of the monitor. */
    private void assertPublicPageShowsDown(String slug, String monitorName) {
        browser.open("/status/" + slug);
        // the page may be cached for 5 s (Cache-Control: max-age=5): reload until it shows the DOWN
        browser.await("the monitor Down on /status/" + slug, LIVE, d -> {
            if (badgeOf(monitorName).equals("Down")) {
                return true;
            }
            d.navigate().refresh();
            return false;
        });
        WebElement badge = monitorOnPublicPage(monitorName).findElement(By.cssSelector(".status-badge"));
        assertThat(badge.getAttribute("class")).contains("status-down");
        assertThat(browser.find("#status-overall").getText()).isEqualTo("Major outage");
        List<String> incidents = browser.all("section[aria-labelledby=status-incidents] tbody tr").stream()
                .map(WebElement::getText).toList();
        assertThat(incidents).anySatisfy(incident -> assertThat(incident).contains(monitorName).contains("Ongoing"));
        String html = browser.source();
        assertThat(html).doesNotContain("/ping/");
        shot("status-page-public");
    }

    private String badgeOf(String monitorName) {
        WebElement monitor = monitorOnPublicPage(monitorName);
        return monitor == null ? "" : monitor.findElement(By.cssSelector(".status-badge")).getText().strip();
    }

    private WebElement monitorOnPublicPage(String monitorName) {
        return browser.all("li.status-monitor").stream()
                .filter(item -> item.findElement(By.cssSelector("h3")).getText().strip().equals(monitorName))
                .findFirst().orElse(null);
    }

    /** The ping URL the monitor page shows in {@code #ping-url} (in its text, or its value when it is a field). */
    private String pingUrlShown() {
        WebElement shown = browser.find("#ping-url");
        String text = "input".equals(shown.getTagName()) || "textarea".equals(shown.getTagName())
                ? shown.getAttribute("value") : shown.getText();
        java.util.regex.Matcher url = java.util.regex.Pattern.compile("https?://[^\\s\"'<>]+").matcher(text);
        assertThat(url.find()).as("#ping-url shows a URL: %s", text).isTrue();
        return url.group();
    }

    /** Marks the page in this tab, so that {@link #assertNotReloaded} can tell it was never loaded again. */
    private void markLoaded() {
        browser.script("window.vigilLoadedOnce = true;");
    }

    private void assertNotReloaded(String path) {
        assertThat(browser.path()).matches(java.util.regex.Pattern.quote(path) + "(\\?.*)?");
        assertThat(browser.script("return window.vigilLoadedOnce === true;")).as("%s was not reloaded", path).isEqualTo(true);
    }

    private void shot(String name) {
        overflowing.addAll(browser.screenshot(name));
    }

    /** Posts {@code body} to the ping URL until ingest knows the token (404 before) and accepts it. */
    private static void awaitAccepted(String pingUrl, String body) {
        await("ping accepted").atMost(LIVE).pollInterval(Duration.ofMillis(200)).until(() -> ping(pingUrl, body) == 200);
    }

    /** A POST ping with {@code body} (text): its status. */
    private static int ping(String url, String body) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static int send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(request.uri().getPath(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode readTree(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A short random suffix that keeps one test's names, slugs and receiver paths apart from another's. */
    private static String unique() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }
}
