package io.workjs.server.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Chromium session with its own fresh profile (so its own localStorage), driven
 * through the system's ChromeDriver. Uses only /usr/bin/chromium and /usr/bin/chromedriver
 * (Debian's {@code chromium chromium-driver}): nothing is ever downloaded, Selenium Manager
 * included. Without them the test is skipped, or fails when the variable {@code CI} is set.
 */
public final class Browser implements AutoCloseable {
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** Where tests put screenshots: server/target/browser-artifacts (tests run in server/). */
    public static final Path ARTIFACTS = Path.of("target", "browser-artifacts").toAbsolutePath();
    /** How long {@link #await} waits, like {@link Await#until}. */
    public static final Duration WAIT = Duration.ofSeconds(10);

    private final Path profile;
    private final ChromeDriver driver;
    // If the test JVM is stopped mid-test, don't leave Chromium running.
    private final Thread reaper;

    private Browser() throws IOException {
        requireInstalled();
        profile = Files.createTempDirectory("workjs-chromium-");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogOutput(OutputStream.nullOutputStream())
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // The background-networking flags keep Chromium from dialling out, which this
        // machine's closed network answers with refused connections.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile,
                "--window-size=1100,800");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, java.util.logging.Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        try {
            driver = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            service.stop();
            deleteProfile();
            throw e;
        }
        reaper = new Thread(this::quit, "browser-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /** Starts a headless Chromium with an empty profile. */
    public static Browser start() {
        try {
            return new Browser();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Skips the test without Chromium and ChromeDriver, or fails it on CI, which must never skip. */
    public static void requireInstalled() {
        List<Path> missing = Stream.of(CHROMIUM, CHROMEDRIVER).filter(p -> !Files.isExecutable(p)).toList();
        if (missing.isEmpty()) return;
        String why = "browser tests need " + missing + ": install the Debian packages chromium and chromium-driver"
                + " (apt-get install -y chromium chromium-driver)";
        if (System.getenv("CI") != null) fail(why + "; CI is set, so this is a failure, not a skip");
        Assumptions.abort(why);
    }

    /** Loads {@code url} and waits until the page has loaded. */
    public Browser open(String url) {
        driver.get(url);
        return this;
    }

    /** Runs {@code script} as a function body in the page ({@code arguments[i]} are the args) and returns its result. */
    public Object js(String script, Object... args) {
        return driver.executeScript(script, args);
    }

    /** Evaluates a JS expression in the page. */
    public Object eval(String expression, Object... args) {
        return js("return (" + expression + ");", args);
    }

    /**
     * Waits up to {@link #WAIT} until the JS expression is truthy and returns its value; the
     * failure names {@code what}, the last value and the page's console.
     */
    public Object await(String what, String expression, Object... args) {
        Object[] last = {null};
        try {
            return new WebDriverWait(driver, WAIT, Duration.ofMillis(20)).until(d -> {
                last[0] = eval(expression, args);
                return truthy(last[0]) ? last[0] : null;
            });
        } catch (TimeoutException e) {
            throw new AssertionError("timed out waiting for: " + what + " (" + expression + " was " + last[0]
                    + ")\nbrowser console:\n" + String.join("\n", console()), e);
        }
    }

    private static boolean truthy(Object value) {
        if (value == null || Boolean.FALSE.equals(value) || "".equals(value)) return false;
        return !(value instanceof Number n) || n.doubleValue() != 0;
    }

    /** The element matching a CSS selector. */
    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    /** Text of every element matching a CSS selector, in document order. */
    public List<String> texts(String css) {
        return driver.findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList();
    }

    /** Types into the element as a person would (it must be visible and enabled). */
    public Browser type(String css, CharSequence... keys) {
        find(css).sendKeys(keys);
        return this;
    }

    /** Console lines the page has logged since the last call. */
    public List<String> console() {
        try {
            return driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::toString).toList();
        } catch (RuntimeException e) {
            return List.of("(console not available: " + e.getMessage() + ")");
        }
    }

    /** Saves a PNG of the viewport to {@code file} (folders created) and returns the file. */
    public Path screenshot(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The underlying driver, for anything this class doesn't wrap. */
    public ChromeDriver driver() {
        return driver;
    }

    /** Quits Chromium and its driver and deletes the profile. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running quit() itself
        }
        quit();
    }

    private synchronized void quit() {
        try {
            driver.quit();
        } catch (RuntimeException e) {
            // already gone
        }
        deleteProfile();
    }

    private void deleteProfile() {
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp folder left behind is harmless
        }
    }
}
