package io.vigil.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium on one site, driven through chromedriver: Debian's {@code /usr/bin/chromium} and
 * {@code /usr/bin/chromedriver} (or {@code -Dvigil.chromium=} and {@code -Dvigil.chromedriver=}), both named
 * explicitly so Selenium Manager never looks for, or downloads, a browser or a driver. Pages see a 1280x900 window;
 * each screenshot is taken at that size and at a phone's 390x844, full pages, under {@code target/screenshots/}.
 * Every wait is a {@link WebDriverWait} on something the page shows.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of(System.getProperty("vigil.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("vigil.chromedriver", "/usr/bin/chromedriver"));
    static final Dimension WIDE = new Dimension(1280, 900);
    static final Dimension NARROW = new Dimension(390, 844);

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final ChromeDriver driver;
    private final String baseUrl;
    private final Path screenshots;
    private Dimension frame;

    private Browser(ChromeDriver driver, String baseUrl, Path screenshots) {
        this.driver = driver;
        this.baseUrl = baseUrl;
        this.screenshots = screenshots;
    }

    /**
     * Whether Chromium and chromedriver are installed: the condition of the browser tests ({@code @EnabledIf}). When
     * they are not, says so on the test output, so a skipped browser test is never a silent one.
     */
    static boolean available() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present) {
            System.out.printf("Browser tests SKIPPED: %s or %s is missing (Debian: apt-get install chromium chromium-driver)%n",
                    CHROMIUM, CHROMEDRIVER);
        }
        return present;
    }

    /** Starts a fresh browser (no cookies) whose {@link #open} paths are on {@code baseUrl}. */
    static Browser start(String baseUrl) {
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                        "--window-size=" + WIDE.width + "," + WIDE.height, "--lang=en-US",
                        "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--hide-scrollbars", "--force-color-profile=srgb");
        Path logs = Path.of(System.getProperty("vigil.logs", "target/service-logs"));
        try {
            Files.createDirectories(logs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(logs.resolve("chromedriver.log").toFile())
                .build();
        Path screenshots = Path.of(System.getProperty("vigil.screenshots", "target/screenshots"));
        Browser browser = new Browser(new ChromeDriver(service, options), baseUrl, screenshots);
        browser.resize(WIDE);
        return browser;
    }

    /**
     * Sizes the window so that the page sees {@code viewport}: the window's frame (its size less the page's, measured
     * once on the window Chromium opened with) on top, then waits for the page to see the new size, which comes
     * after the resize call has returned.
     */
    private void resize(Dimension viewport) {
        if (frame == null) {
            Dimension opened = driver.manage().window().getSize();
            Dimension seen = viewport();
            frame = new Dimension(opened.width - seen.width, opened.height - seen.height);
        }
        driver.manage().window().setSize(new Dimension(viewport.width + frame.width, viewport.height + frame.height));
        wait(Duration.ofSeconds(10)).withMessage(() -> "the page sees a window of " + viewport + ", not " + viewport())
                .until(d -> viewport().equals(viewport));
    }

    private Dimension viewport() {
        List<?> size = (List<?>) script("return [window.innerWidth, window.innerHeight];");
        return new Dimension(((Number) size.get(0)).intValue(), ((Number) size.get(1)).intValue());
    }

    WebDriver driver() {
        return driver;
    }

    /** Goes to {@code path} (e.g. {@code /monitors}) on the site. */
    Browser open(String path) {
        driver.get(baseUrl + path);
        return this;
    }

    /** The path and query of the page shown, e.g. {@code /monitors/abc}. */
    String path() {
        String url = driver.getCurrentUrl();
        return url.startsWith(baseUrl) ? url.substring(baseUrl.length()) : url;
    }

    String source() {
        return driver.getPageSource();
    }

    /** The element {@code css} selects, once the page shows it. */
    WebElement find(String css) {
        return wait(WAIT).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)));
    }

    /** What {@code css} selects now (maybe nothing). */
    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    boolean has(String css) {
        return !all(css).isEmpty();
    }

    /** Replaces the value of the text input {@code css}. */
    Browser fill(String css, String text) {
        WebElement field = wait(WAIT).until(ExpectedConditions.elementToBeClickable(By.cssSelector(css)));
        field.clear();
        field.sendKeys(text);
        return this;
    }

    /** Chooses the option whose value is {@code value} in the select {@code css}. */
    Browser select(String css, String value) {
        new Select(find(css)).selectByValue(value);
        return this;
    }

    /** Ticks the checkbox or radio button {@code css} (leaves a ticked one ticked). */
    Browser check(String css) {
        WebElement box = wait(WAIT).until(ExpectedConditions.elementToBeClickable(By.cssSelector(css)));
        if (!box.isSelected()) {
            box.click();
        }
        return this;
    }

    Browser click(String css) {
        wait(WAIT).until(ExpectedConditions.elementToBeClickable(By.cssSelector(css))).click();
        return this;
    }

    /**
     * Sends the form that holds the element {@code css} (a field, or the form itself) with its submit button, and
     * waits for the answer to replace it (the next page, or the form again with its errors).
     */
    Browser submit(String css) {
        WebElement form = find(css);
        if (!"form".equals(form.getTagName())) {
            form = form.findElement(By.xpath("ancestor::form"));
        }
        form.findElement(By.cssSelector("button[type=submit], button:not([type]), input[type=submit]")).click();
        WebElement sent = form;
        wait(WAIT).withMessage("the answer to the form " + css).until(d -> replaced(sent));
        return this;
    }

    /**
     * Whether the element's document was replaced (the form's answer arrived). Chromedriver says so with a stale
     * element error, or, when it asks while the new document is being attached, with "does not belong to the
     * document": both mean the element is gone.
     */
    private static boolean replaced(WebElement element) {
        try {
            element.isEnabled();
            return false;
        } catch (org.openqa.selenium.StaleElementReferenceException e) {
            return true;
        } catch (org.openqa.selenium.WebDriverException e) {
            if (e.getMessage() != null && e.getMessage().contains("does not belong to the document")) {
                return true;
            }
            throw e;
        }
    }

    /**
     * Waits until the path shown matches {@code regex} (e.g. after a form's 303), and returns it; on a timeout says
     * which page the browser is on and the form errors it shows.
     */
    String awaitPath(String regex) {
        wait(WAIT).withMessage(() -> "a page at " + regex + "; the browser is at " + path() + " showing " + problems())
                .until(d -> path().matches(regex));
        return path();
    }

    /** The messages the page shows (form errors and alerts), for a failure's message. */
    String problems() {
        return all(".error, .alert, [role=alert], h1").stream().map(element -> {
            try {
                return element.getText().strip();
            } catch (StaleElementReferenceException replaced) {
                return "";
            }
        }).filter(text -> !text.isEmpty()).toList().toString();
    }

    /** Waits until the text of {@code css} (trimmed) is {@code text}, however often the page replaces the element. */
    void awaitText(String css, String text, Duration atMost) {
        wait(atMost).withMessage(() -> css + " shows " + text + " (it shows " + textOf(css) + ")")
                .until(d -> text.equalsIgnoreCase(textOf(css)));
    }

    /** Waits until {@code css} is on the page and its text contains {@code text}. */
    void awaitTextContains(String css, String text, Duration atMost) {
        wait(atMost).withMessage(() -> css + " contains " + text + " (it shows " + textOf(css) + ")")
                .until(d -> {
                    String shown = textOf(css);
                    return shown != null && shown.contains(text);
                });
    }

    /** The trimmed text of the first element {@code css} selects, or null when there is none. */
    String textOf(String css) {
        try {
            List<WebElement> found = all(css);
            return found.isEmpty() ? null : found.get(0).getText().strip();
        } catch (StaleElementReferenceException replaced) {
            return null; // swapped by htmx between the find and the read: the next poll sees the new one
        }
    }

    /** Waits until {@code condition} holds, polling every 250 ms for at most {@code atMost}. */
    <T> T await(String what, Duration atMost, Function<WebDriver, T> condition) {
        return wait(atMost).withMessage(what).until(condition);
    }

    private WebDriverWait wait(Duration atMost) {
        WebDriverWait wait = new WebDriverWait(driver, atMost, Duration.ofMillis(250));
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    /** The value of the cookie {@code name} (HttpOnly ones too), or null. */
    String cookie(String name) {
        Cookie cookie = driver.manage().getCookieNamed(name);
        return cookie == null ? null : cookie.getValue();
    }

    Object script(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /**
     * Saves the whole page (not only the window) as {@code <name>-1280.png} and {@code <name>-390.png}, the window
     * set to each width in turn, then back to 1280x900.
     *
     * @return the pages that were wider than the window at a width (horizontal scrolling), as "name at N px"
     */
    List<String> screenshot(String name) {
        try {
            Files.createDirectories(screenshots);
            List<String> overflowing = new java.util.ArrayList<>();
            for (Dimension size : List.of(WIDE, NARROW)) {
                resize(size);
                if (((Number) script("return document.documentElement.scrollWidth")).longValue() > size.width) {
                    overflowing.add(name + " at " + size.width + " px");
                }
                Files.write(screenshots.resolve(name + "-" + size.width + ".png"), fullPage());
            }
            resize(WIDE);
            // the same page as a system in dark mode shows it (prefers-color-scheme), for review
            colorScheme("dark");
            try {
                Files.write(screenshots.resolve(name + "-1280-dark.png"), fullPage());
            } finally {
                colorScheme("light");
            }
            return overflowing;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void colorScheme(String scheme) {
        driver.executeCdpCommand("Emulation.setEmulatedMedia",
                Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
    }

    /** A PNG of the full page: Chromium's own capture beyond the viewport, through chromedriver's CDP endpoint. */
    @SuppressWarnings("unchecked")
    private byte[] fullPage() {
        Map<String, Object> metrics = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
        Map<String, Object> content = (Map<String, Object>) metrics.get("cssContentSize");
        Map<String, Object> clip = Map.of("x", 0, "y", 0,
                "width", Math.ceil(((Number) content.get("width")).doubleValue()),
                "height", Math.ceil(((Number) content.get("height")).doubleValue()), "scale", 1);
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot",
                Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
        return Base64.getDecoder().decode((String) shot.get("data"));
    }

    @Override
    public void close() {
        driver.quit();
    }
}
