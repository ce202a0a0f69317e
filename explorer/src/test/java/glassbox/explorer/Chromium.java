package glassbox.explorer;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The browser of the browser tests (tests only): Debian's headless Chromium driven through its chromedriver,
 * with a fresh profile folder, and the checks they share (a wait that survives redraws, is a canvas a real picture, a screenshot). Without a
 * browser the test is skipped, except under CI, where {@code .ci/run} installs one and a missing browser fails.
 */
final class Chromium implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/chromium"), DRIVER = Path.of("/usr/bin/chromedriver");

    final WebDriver driver;
    private final Path profile;

    private Chromium(WebDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** Starts a headless Chromium with a window of {@code width} x {@code height} CSS pixels. */
    static Chromium open(int width, int height) throws IOException {
        boolean present = Files.isExecutable(BINARY) && Files.isExecutable(DRIVER);
        if (!present && System.getenv("CI") != null) fail("CI must have chromium and chromedriver (.ci/run installs them)");
        Assumptions.assumeTrue(present, "no chromium/chromedriver here (apt-get install chromium chromium-driver)");
        Path profile = Files.createTempDirectory("glassbox-chromium-");
        ChromeOptions o = new ChromeOptions();
        o.setBinary(BINARY.toFile());
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile, "--window-size=" + width + "," + height);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
        return new Chromium(new ChromeDriver(service, o), profile);
    }

    /** A wait of up to {@code seconds} that looks again at an element the page redrew while it was being read (stale). */
    WebDriverWait waitUpTo(int seconds) {
        WebDriverWait w = new WebDriverWait(driver, Duration.ofSeconds(seconds));
        w.ignoring(StaleElementReferenceException.class);
        return w;
    }

    /** Standard deviation of a canvas's red channel: 0 for a blank picture. */
    double spread(WebElement canvas) {
        Object v = ((JavascriptExecutor) driver).executeScript("""
                const c = arguments[0], d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                let n = 0, s = 0, s2 = 0;
                for (let i = 0; i < d.length; i += 4) { n++; s += d[i]; s2 += d[i] * d[i]; }
                return Math.sqrt(Math.max(0, s2 / n - (s / n) * (s / n)));""", canvas);
        return ((Number) v).doubleValue();
    }

    /** The window as {@code target/screenshots/NAME.png}, to look at. */
    void screenshot(String name) throws IOException {
        Path dir = Files.createDirectories(Path.of("target", "screenshots"));
        Files.write(dir.resolve(name + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }

    /** Quits the browser and deletes its profile. */
    @Override
    public void close() throws IOException {
        driver.quit();
        deleteTree(profile);
    }

    /** Deletes a folder and everything in it (nothing if it is null). */
    static void deleteTree(Path dir) throws IOException {
        if (dir == null) return;
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }
}
