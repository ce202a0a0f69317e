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

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Live training in a real headless Chromium (as {@link BrowserTest}): start a long lenet5 training on the embedded
 * sample from the page, see the loss curve gain points while it trains and Stop end it with a resume command; then
 * run a short one to its end and see a test point per epoch, the diagnoses box, first-layer kernel pictures that are
 * not blank, and the trained model join the model list. Screenshots go to
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

    /** Fills the form and presses Start. */
    static void startTraining(int epochs) {
        new Select(browser.findElement(By.id("train-arch"))).selectByValue("lenet5");
        new Select(browser.findElement(By.id("train-dataset"))).selectByValue("sample");
        WebElement field = browser.findElement(By.id("train-epochs"));
        field.clear();
        field.sendKeys(Integer.toString(epochs));
        ((JavascriptExecutor) browser).executeScript("document.getElementById('train-panel').scrollIntoView()");
        browser.findElement(By.id("train-start")).click();
    }

    static String state() {
        return browser.findElement(By.id("train-status")).getDomAttribute("data-state");
    }

    @Test
    void startALiveTrainingAndWatchTheCurvesGrow() throws Exception {
        browser.get(base + "/");
        WebDriverWait wait = chrome.waitUpTo(60); // parts of the page are redrawn on every poll
        wait.until(d -> d.findElements(By.cssSelector("#train-arch option")).size() >= 3);

        // A training far too long to end by itself (a 4-epoch one can finish between two looks on a fast machine):
        // the curve must grow while it runs, and Stop must end it with a checkpoint to resume from.
        startTraining(100);
        wait.until(d -> points() >= 2);
        int first = points();
        wait.until(d -> points() > first);
        assertTrue("running".equals(state()), "still running after a few records: " + state());
        wait.until(d -> !d.findElements(By.cssSelector("#train-kernels canvas")).isEmpty());
        ((JavascriptExecutor) browser).executeScript("document.getElementById('train-panel').scrollIntoView()");
        chrome.screenshot("train-running");
        browser.findElement(By.id("train-stop")).click();
        wait.until(d -> "stopped".equals(state()));
        assertTrue(browser.findElement(By.id("train-cli")).getText().contains("--resume"),
                "a stopped training offers the command that continues it: " + browser.findElement(By.id("train-cli")).getText());

        // A short one to its end: a test point per epoch, the diagnoses box, the kernels, the model in the list.
        startTraining(2);
        wait.until(d -> "finished".equals(state()));
        assertTrue(points() >= 2, "stats points drawn: " + points());
        assertTrue(Integer.parseInt(browser.findElement(By.id("train-loss")).getDomAttribute("data-epochs")) == 2, "a test point per epoch");
        WebElement diagnoses = browser.findElement(By.id("train-diagnoses"));
        assertTrue(diagnoses.getText().startsWith("none so far") || !diagnoses.findElements(By.className("train-diagnosis")).isEmpty(),
                "the diagnoses box says none or lists them: " + diagnoses.getText());
        wait.until(d -> d.findElements(By.cssSelector("#train-kernels canvas")).size() == 6);
        for (WebElement k : browser.findElements(By.cssSelector("#train-kernels canvas")))
            assertTrue(chrome.spread(k) > 5, "a learned 5x5 kernel is not one flat colour");
        assertTrue(browser.findElement(By.id("train-cli")).getText().startsWith("./glassbox train --model lenet5 --dataset sample --epochs 2"));
        ((JavascriptExecutor) browser).executeScript("document.getElementById('train-panel').scrollIntoView()");
        chrome.screenshot("train-finished");

        // The trained model joins the list at the top of the page.
        String id = browser.findElement(By.id("train-explore")).getText().replace("Explore ", "");
        assertTrue(id.startsWith("live-lenet5-sample-"), "the button names the new model: " + id);
        wait.until(d -> !d.findElements(By.cssSelector("#model option[value='" + id + "']")).isEmpty());
        browser.findElement(By.id("train-explore")).click();
        // read through the page's script: the list is rebuilt when models arrive, which would stale a found element
        wait.until(d -> id.equals(((JavascriptExecutor) d).executeScript("return document.getElementById('model').value")));
        wait.until(d -> d.findElement(By.id("model-info")).getText().contains("test accuracy"));
    }
}
