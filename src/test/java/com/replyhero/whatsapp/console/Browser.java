package com.replyhero.whatsapp.console;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's chromium, headless, driven by Debian's chromium-driver (apt-get install chromium chromium-driver).
 * Both paths are given explicitly, so Selenium Manager never runs (it would download a browser and a driver):
 * {@link #Browser(String)} fails if it ran all the same. Each instance is a fresh profile (no cookies).
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final Logger SELENIUM_MANAGER = Logger.getLogger("org.openqa.selenium.manager.SeleniumManager");
    /** Warns on every start that no CDP module matches Debian's chromium; the tests use WebDriver, not CDP. */
    private static final Logger CDP_VERSION_FINDER = Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

    static {
        CDP_VERSION_FINDER.setLevel(Level.SEVERE);
    }

    private final String baseUrl;
    private final ChromeDriver driver;
    private final WebDriverWait wait;

    /**
     * Skips the calling test when chromium or chromedriver is missing, or fails it when RH_REQUIRE_BROWSER is set
     * (.ci/run sets it: there the browser suite must run, never skip). Call it per test (a {@code @BeforeEach}):
     * surefire and failsafe report an abort in a {@code @BeforeAll} as no test at all, without its message.
     */
    static void assumeInstalled() {
        if (installed()) {
            return;
        }
        String missing = "the browser tests need " + CHROMIUM + " and " + CHROMEDRIVER
                + " (apt-get install chromium chromium-driver)";
        if (System.getenv("RH_REQUIRE_BROWSER") != null) {
            throw new AssertionError(missing + "; RH_REQUIRE_BROWSER is set, so they may not be skipped");
        }
        Assumptions.abort(missing);
    }

    static boolean installed() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    /** Starts headless chromium; {@link #open(String)} resolves paths against {@code baseUrl}. */
    Browser(String baseUrl) {
        this.baseUrl = baseUrl;
        // what Selenium Manager would be asked for, answered up front (its own lookup reads this property too)
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
        // and should it run all the same, it runs offline (SE_* properties become its environment)
        System.setProperty("SE_OFFLINE", "true");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM.toFile())
                .addArguments(
                        "--headless=new",
                        "--no-sandbox", // the tests run as root in CI
                        "--disable-dev-shm-usage",
                        "--window-size=1280,900");
        SeleniumManagerCalls calls = new SeleniumManagerCalls();
        SELENIUM_MANAGER.addHandler(calls);
        Level level = SELENIUM_MANAGER.getLevel();
        SELENIUM_MANAGER.setLevel(Level.ALL);
        try {
            this.driver = new ChromeDriver(service, options);
        } finally {
            SELENIUM_MANAGER.removeHandler(calls);
            SELENIUM_MANAGER.setLevel(level);
        }
        if (!calls.records.isEmpty()) {
            driver.quit();
            throw new IllegalStateException("Selenium Manager ran (it may download browsers and drivers): "
                    + calls.records.getFirst().getMessage());
        }
        this.wait = new WebDriverWait(driver, WAIT);
    }

    /** Opens a path of the gateway ({@code /console/login}) or an absolute URL. */
    Browser open(String pathOrUrl) {
        driver.get(pathOrUrl.startsWith("http") ? pathOrUrl : baseUrl + pathOrUrl);
        return this;
    }

    /** Waits until an element matching {@code css} is visible and its text contains {@code text}; returns it. */
    WebElement waitFor(String css, String text) {
        By by = By.cssSelector(css);
        try {
            wait.until(ExpectedConditions.and(
                    ExpectedConditions.visibilityOfElementLocated(by),
                    ExpectedConditions.textToBePresentInElementLocated(by, text)));
        } catch (TimeoutException e) {
            throw failure("no visible " + css + " containing \"" + text + "\"", e);
        }
        return driver.findElement(by);
    }

    /** Waits until one of the elements matching {@code css} shows {@code text}; returns it. */
    WebElement waitForAny(String css, String text) {
        try {
            return wait.until(d -> d.findElements(By.cssSelector(css)).stream()
                    .filter(e -> e.isDisplayed() && e.getText().contains(text))
                    .findFirst()
                    .orElse(null));
        } catch (TimeoutException e) {
            throw failure("no visible " + css + " showing \"" + text + "\"", e);
        }
    }

    /** Waits until an element matching {@code css} is visible; returns it. */
    WebElement waitFor(String css) {
        try {
            return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
        } catch (TimeoutException e) {
            throw failure("no visible " + css, e);
        }
    }

    /** Waits until the page's path (without the query) is {@code path}. */
    Browser waitForPath(String path) {
        try {
            wait.until(d -> path.equals(URI.create(d.getCurrentUrl()).getPath()));
        } catch (TimeoutException e) {
            throw failure("not at " + path, e);
        }
        return this;
    }

    /** Types {@code value} into the (visible) field matching {@code css}, replacing what was there. */
    Browser fill(String css, String value) {
        WebElement field = waitFor(css);
        field.clear();
        field.sendKeys(value);
        return this;
    }

    /** Clicks the element matching {@code css} once it is clickable. */
    Browser click(String css) {
        try {
            wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(css)))
                    .click();
        } catch (TimeoutException e) {
            throw failure("nothing clickable at " + css, e);
        }
        return this;
    }

    /** Chooses the option with this value in the select matching {@code css}. */
    Browser select(String css, String value) {
        new org.openqa.selenium.support.ui.Select(waitFor(css)).selectByValue(value);
        return this;
    }

    /** Gives the file input matching {@code css} a file (as a user choosing it would). */
    Browser attach(String css, Path file) {
        driver.findElement(By.cssSelector(css)).sendKeys(file.toAbsolutePath().toString());
        return this;
    }

    /** Waits until an element matching {@code css} exists (visible or not); returns it. */
    WebElement waitForPresent(String css) {
        try {
            return wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)));
        } catch (TimeoutException e) {
            throw failure("no " + css, e);
        }
    }

    /** The elements matching {@code css} now (no wait). */
    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Resizes the window (a phone is 375 pixels wide). */
    Browser resize(int width, int height) {
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(width, height));
        return this;
    }

    /** Runs a script in the page (the test's, not the page's: the page's CSP does not apply) and answers its value. */
    Object script(String javascript) {
        return driver.executeScript(javascript);
    }

    /** The page's source as the browser has it now (after htmx's swaps). */
    String source() {
        return driver.getPageSource();
    }

    String url() {
        return driver.getCurrentUrl();
    }

    /** Saves the viewport as target/console-screenshots/{@code name}.png and returns the file. */
    Path screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        File shot = driver.getScreenshotAs(OutputType.FILE);
        Path target = SCREENSHOTS.resolve(name + ".png");
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    /** A wait that timed out: what was awaited, where the browser is, and a screenshot of what it shows. */
    private AssertionError failure(String what, TimeoutException timeout) {
        String shown;
        try {
            shown = ", shown in " + screenshot("failed-" + System.currentTimeMillis());
        } catch (IOException | RuntimeException e) {
            shown = " (no screenshot: " + e.getMessage() + ")";
        }
        return new AssertionError(what + " within " + WAIT + " at " + url() + shown, timeout);
    }

    @Override
    public void close() {
        driver.quit();
    }

    /** Whatever Selenium Manager logs: with the paths given up front it logs nothing, because it never runs. */
    private static final class SeleniumManagerCalls extends Handler {
        private final List<LogRecord> records = new CopyOnWriteArrayList<>();

        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }
}
