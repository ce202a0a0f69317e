package glassbox.explorer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Live training in a real headless Chromium (as {@link BrowserTest}): start a small lenet5 training on the embedded
 * sample from the page, see the loss curve gain points while it trains, the diagnoses box and a first-layer kernel
 * picture that is not blank, and the trained model join the model list. Screenshots go to
 * {@code explorer/target/screenshots/train-*.png}.
 */
class TrainBrowserTest {
    static ExplorerServer server;
    static Chromium chrome;
    static WebDriver browser;
    static String base;
    static Path runs;

    @BeforeAll
    static void start() throws Exception {
        chrome = Chromium.open(1400, 2300);
        browser = chrome.driver;
        runs = Files.createTempDirectory("glassbox-runs-");
        server = new ExplorerServer(TestModels.registry(), runs);
        base = "http://127.0.0.1:" + server.start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() throws Exception {
        if (chrome != null) chrome.close();
        if (server != null) server.stop();
        Chromium.deleteTree(runs);
    }

    static int points() {
        return Integer.parseInt(browser.findElement(By.id("train-loss")).getDomAttribute("data-points"));
    }

    @Test
    void startALiveTrainingAndWatchTheCurvesGrow() throws Exception {
        browser.get(base + "/");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.until(d -> d.findElements(By.cssSelector("#train-arch option")).size() >= 3);
        new Select(browser.findElement(By.id("train-arch"))).selectByValue("lenet5");
        new Select(browser.findElement(By.id("train-dataset"))).selectByValue("sample");
        WebElement epochs = browser.findElement(By.id("train-epochs"));
        epochs.clear();
        epochs.sendKeys("4");
        ((JavascriptExecutor) browser).executeScript("document.getElementById('train-panel').scrollIntoView()");
        browser.findElement(By.id("train-start")).click();

        wait.until(d -> points() >= 2);
        int first = points();
        wait.until(d -> points() > first); // the curve grows while it trains
        assertTrue(browser.findElement(By.id("train-stop")).isEnabled() || !"running".equals(
                browser.findElement(By.id("train-status")).getDomAttribute("data-state")), "Stop is offered while it runs");
        wait.until(d -> !d.findElements(By.cssSelector("#train-kernels canvas")).isEmpty());
        ((JavascriptExecutor) browser).executeScript("document.getElementById('train-panel').scrollIntoView()");
        chrome.screenshot("train-running");

        wait.until(d -> "finished".equals(d.findElement(By.id("train-status")).getDomAttribute("data-state")));
        assertTrue(points() > first, "more points at the end than early on");
        assertTrue(Integer.parseInt(browser.findElement(By.id("train-loss")).getDomAttribute("data-epochs")) == 4, "a test point per epoch");
        WebElement diagnoses = browser.findElement(By.id("train-diagnoses"));
        assertTrue(diagnoses.getText().startsWith("none so far") || !diagnoses.findElements(By.className("train-diagnosis")).isEmpty(),
                "the diagnoses box says none or lists them: " + diagnoses.getText());
        var kernels = browser.findElements(By.cssSelector("#train-kernels canvas"));
        assertTrue(kernels.size() == 6, "lenet5's conv1 has 6 kernels, shown: " + kernels.size());
        for (WebElement k : kernels) assertTrue(chrome.spread(k) > 5, "a learned 5x5 kernel is not one flat colour");
        assertTrue(browser.findElement(By.id("train-cli")).getText().startsWith("./glassbox train --model lenet5 --dataset sample --epochs 4"));
        ((JavascriptExecutor) browser).executeScript("document.getElementById('train-panel').scrollIntoView()");
        chrome.screenshot("train-finished");

        // The trained model joins the list at the top of the page.
        wait.until(d -> !d.findElements(By.cssSelector("#model option[value='live-lenet5-sample-1']")).isEmpty());
        browser.findElement(By.id("train-explore")).click();
        wait.until(d -> "live-lenet5-sample-1".equals(new Select(d.findElement(By.id("model"))).getFirstSelectedOption().getDomAttribute("value")));
        wait.until(d -> d.findElement(By.id("model-info")).getText().contains("test accuracy"));
    }
}
