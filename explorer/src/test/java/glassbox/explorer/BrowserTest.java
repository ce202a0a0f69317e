package glassbox.explorer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The explorer in a real headless Chromium (Debian's chromium + chromium-driver, driven by Selenium): the
 * page loads, a digit drawn with mouse events gets a prediction, layer maps are real pictures, a click opens
 * a channel with its kernels, an explanation method switched in the picker draws a real map. Screenshots go to {@code explorer/target/screenshots/}. Without a browser the
 * test is skipped, except under CI, where {@code .ci/run} installs one and a missing browser is a failure.
 */
class BrowserTest {
    static Chromium chrome;
    static ExplorerServer server;
    static WebDriver browser;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        chrome = Chromium.open(1400, 1400);
        browser = chrome.driver;
        server = new ExplorerServer(TestModels.registry());
        base = "http://127.0.0.1:" + server.start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() throws Exception {
        if (chrome != null) chrome.close();
        if (server != null) server.stop();
    }

    static WebDriverWait waitUpTo(int seconds) {
        return chrome.waitUpTo(seconds);
    }

    @Test
    void drawADigitSeeEveryLayerAndOpenAChannel() throws Exception {
        browser.get(base + "/");
        waitUpTo(20).until(d -> d.findElements(By.cssSelector("#prediction .bar")).size() == 10);
        assertTrue(browser.findElement(By.id("image-note")).getText().startsWith("test image 0 of 500"));
        int layers = browser.findElements(By.cssSelector("#overview .layer")).size();
        assertEquals(13, layers, "input + 12 lenet5 layers");
        WebElement conv1map = browser.findElement(By.cssSelector("#overview .layer[data-layer='relu1'] canvas"));
        assertTrue(chrome.spread(conv1map) > 5, "a relu1 map of a test digit is a picture, not a blank square");

        // Draw a "7" with the mouse: a bar across the top and a diagonal down.
        browser.findElement(By.id("clear")).click();
        WebElement pad = browser.findElement(By.id("draw"));
        new Actions(browser).moveToElement(pad, -80, -90).clickAndHold()
                .moveByOffset(60, 0).moveByOffset(60, 0).moveByOffset(40, 0)
                .moveByOffset(-30, 50).moveByOffset(-30, 50).moveByOffset(-30, 60).release().perform();
        waitUpTo(20).until(d -> d.findElement(By.id("image-note")).getText().equals("your drawing"));
        waitUpTo(20).until(d -> chrome.spread(d.findElement(By.id("seen"))) > 20);
        String predicted = browser.findElement(By.id("prediction")).getDomAttribute("data-predicted");
        assertTrue(predicted.matches("[0-9]"), "a class is predicted for the drawing: " + predicted);
        chrome.screenshot("explorer-drawn");

        // Open a conv2 channel: the enlarged map and its 6 input kernels appear.
        browser.findElement(By.cssSelector("#overview .layer[data-layer='conv2'] canvas[data-channel='3']")).click();
        waitUpTo(20).until(d -> d.findElements(By.cssSelector("#detail .kernels canvas")).size() == 6);
        assertTrue(browser.findElement(By.id("detail-title")).getText().startsWith("conv2, channel 3"));
        for (WebElement k : browser.findElements(By.cssSelector("#detail .kernels canvas"))) {
            assertTrue(chrome.spread(k) > 1, "a kernel of random weights is not one flat colour");
        }
        chrome.screenshot("explorer-channel");
    }

    @Test
    void switchTheExplanationMethodAndSeeARealMap() throws Exception {
        browser.get(base + "/");
        waitUpTo(20).until(d -> "saliency".equals(d.findElement(By.id("explanation")).getDomAttribute("data-method")));
        assertTrue(chrome.spread(browser.findElement(By.id("explain-map"))) > 5, "the saliency map of a test digit is a picture");
        new Select(browser.findElement(By.id("method"))).selectByValue("integrated-gradients");
        waitUpTo(20).until(d -> "integrated-gradients".equals(d.findElement(By.id("explanation")).getDomAttribute("data-method")));
        assertTrue(chrome.spread(browser.findElement(By.id("explain-map"))) > 5, "the integrated-gradients map is a picture, not blank");
        assertTrue(chrome.spread(browser.findElement(By.id("explain-overlay"))) > 5, "the overlay shows the input under the map");
        assertTrue(browser.findElement(By.id("explain-range")).getText().startsWith("signed, symmetric around 0"));
        assertTrue(browser.findElement(By.id("explain-cli")).getText().startsWith("./glassbox explain integrated-gradients --model lenet5 --image 0"));
        new Select(browser.findElement(By.id("explain-class"))).selectByValue("3");
        waitUpTo(20).until(d -> d.findElement(By.id("explain-cli")).getText().endsWith("--class 3"));
        ((JavascriptExecutor) browser).executeScript("document.getElementById('explain-panel').scrollIntoView()");
        chrome.screenshot("explorer-explanation");
    }
}
