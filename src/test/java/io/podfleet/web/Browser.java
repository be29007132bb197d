package io.podfleet.web;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Debian's chromium, headless, driven through Debian's chromedriver (both installed by {@code .ci/run}; nothing is
 * downloaded). Keeps a screenshot of every page the test looked at, and writes them under
 * {@code target/screenshots/} when the test fails. Registered as an extension, it closes the browser after each test
 * (after the screenshots are written: JUnit calls a watcher once the test is over).
 */
final class Browser implements TestWatcher, AutoCloseable {

    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    private ChromeDriver driver;
    private final List<String> names = new ArrayList<>();
    private final List<byte[]> shots = new ArrayList<>();

    /** Chromium's profile folder for this browser, deleted when it closes. */
    private Path profile;

    ChromeDriver driver() {
        if (driver == null) {
            if (!new File(CHROMIUM).canExecute() || !new File(CHROMEDRIVER).canExecute()) {
                throw new IllegalStateException("browser tests need Debian's chromium and chromium-driver: apt-get install -y chromium chromium-driver");
            }
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM);
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
                    "--window-size=1400,1000", "--user-data-dir=" + (profile = tempDir()));
            ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
                    .usingAnyFreePort().build();
            driver = new ChromeDriver(service, options);
        }
        return driver;
    }

    /** Remembers what the browser shows now, under this name, for the failure report. */
    void snap(String name) {
        names.add(names.size() + "-" + name);
        shots.add(((TakesScreenshot) driver()).getScreenshotAs(OutputType.BYTES));
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        try {
            write(context);
        } catch (Exception e) {
            cause.addSuppressed(e);
        } finally {
            close();
        }
    }

    /** {@code -Dscreenshots=always} keeps them for passing tests too, to look at the pages. */
    @Override
    public void testSuccessful(ExtensionContext context) {
        try {
            if ("always".equals(System.getProperty("screenshots"))) {
                write(context);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            close();
        }
    }

    private void write(ExtensionContext context) throws java.io.IOException {
        Path dir = Path.of("target", "screenshots", context.getRequiredTestClass().getSimpleName() + "-" + context.getRequiredTestMethod().getName());
        Files.createDirectories(dir);
        if (driver != null) {
            snap("last");
        }
        for (int i = 0; i < shots.size(); i++) {
            Files.write(dir.resolve(names.get(i) + ".png"), shots.get(i));
        }
    }

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        close();
    }

    @Override
    public void close() {
        if (driver != null) {
            driver.quit();
            driver = null;
        }
        if (profile != null) {
            org.springframework.util.FileSystemUtils.deleteRecursively(profile.toFile());
            profile = null;
        }
        names.clear();
        shots.clear();
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("podfleet-chromium");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
