package glassbox.explorer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The extra views in a real headless Chromium, as {@link BrowserTest} drives it: hovering the t-SNE scatter
 * shows the point's image, a click on a legend class highlights it; a click on a confusion cell shows that
 * cell's test images and a click on one loads it; a click on an overview map shows its top-activating patches;
 * the kernel tabs draw real pictures; the class model starts with the predicted class and draws a real image. Screenshots go to {@code explorer/target/screenshots/views-*.png}.
 */
class ViewsBrowserTest {
    static Chromium chrome;
    static ExplorerServer server;
    static WebDriver browser;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        chrome = Chromium.open(1400, 1200);
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

    static Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    /** Opens the page at the tab {@code view} (the page's own #view= link) and waits for the test image. */
    static void openView(String view) {
        browser.get(base + "/?" + view + "#view=" + view); // the query makes it a new page, not a jump within one
        waitUpTo(20).until(d -> d.findElements(By.cssSelector("#prediction .bar")).size() == 10);
        waitUpTo(10).until(d -> view.equals(d.findElement(By.id("view-body")).getDomAttribute("data-view")));
    }

    @Test
    void hoverTheTsneAndHighlightAClass() throws Exception {
        openView("embedding");
        waitUpTo(60).until(d -> !d.findElements(By.cssSelector("#view-body .legend button")).isEmpty());
        assertTrue(browser.findElement(By.cssSelector("#view-body .caption")).getText().contains("k-NN accuracy"));
        WebElement chart = browser.findElement(By.cssSelector("#view-body .chart[data-chart='embedding']"));
        // Where point 0 of the first non-empty class is drawn, from the chart itself.
        @SuppressWarnings("unchecked")
        List<Number> at = (List<Number>) js("""
                const c = window.glassboxCharts.embedding, s = c.getOption().series;
                const k = s.findIndex((x) => x.data.length > 0);
                return c.convertToPixel({ seriesIndex: k }, s[k].data[0].slice(0, 2));""");
        int w = chart.getRect().getWidth(), h = chart.getRect().getHeight();
        new Actions(browser).moveToElement(chart, at.get(0).intValue() - w / 2, at.get(1).intValue() - h / 2).perform();
        waitUpTo(10).until(d -> !d.findElements(By.cssSelector("#view-body .hover canvas.hover-image")).isEmpty());
        WebElement img = browser.findElement(By.cssSelector("#view-body .hover canvas.hover-image"));
        assertTrue(chrome.spread(img) > 5, "the hovered point's image is a real digit, not blank");
        assertTrue(browser.findElement(By.cssSelector("#view-body .hover p")).getText().matches("test image \\d+: \\d, predicted \\d.*"));

        browser.findElement(By.cssSelector("#view-body .legend button[data-class='3']")).click();
        assertEquals("3", browser.findElement(By.cssSelector("#view-body .legend")).getDomAttribute("data-highlighted"));
        assertEquals(1, browser.findElements(By.cssSelector("#view-body .legend button.chosen")).size());
        chrome.screenshot("views-embedding");
    }

    @Test
    void clickAConfusionCellAndSeeItsImages() throws Exception {
        openView("confusion");
        waitUpTo(60).until(d -> d.findElements(By.cssSelector("table.confusion td")).size() == 100);
        WebElement cell = browser.findElements(By.cssSelector("table.confusion td")).stream()
                .filter(td -> !td.getText().equals("0")).findFirst().orElseThrow();
        int count = Integer.parseInt(cell.getText());
        cell.click();
        waitUpTo(20).until(d -> d.findElements(By.cssSelector(".cell-images figure.thumb canvas")).size() == Math.min(60, count));
        for (WebElement c : browser.findElements(By.cssSelector(".cell-images figure.thumb canvas")).subList(0, Math.min(5, count))) {
            assertTrue(chrome.spread(c) > 5, "a thumbnail is a decoded digit, not blank");
        }
        assertTrue(browser.findElement(By.cssSelector(".cell-title")).getText().startsWith(count + " test image"));
        assertEquals(10, browser.findElements(By.cssSelector("table.per-class tr")).size() - 1, "precision and recall per class");
        waitUpTo(20).until(d -> d.findElements(By.cssSelector(".hardest figure.thumb")).size() == 24);
        chrome.screenshot("views-confusion");

        WebElement first = browser.findElement(By.cssSelector(".cell-images figure.thumb"));
        String index = first.getDomAttribute("data-index");
        first.click();
        waitUpTo(20).until(d -> d.findElement(By.id("image-note")).getText().startsWith("test image " + index + " of"));
    }

    /**
     * Not a check: with {@code -Dglassbox.docs=http://127.0.0.1:7070} (a running {@code ./glassbox serve} with
     * trained models) it saves each view's card as {@code target/screenshots/docs-<view>.png} for docs/explorer.md.
     */
    @Test
    void screenshotsForTheDocs() throws Exception {
        String server = System.getProperty("glassbox.docs");
        Assumptions.assumeTrue(server != null, "only with -Dglassbox.docs=URL of a running explorer");
        String model = System.getProperty("glassbox.docs.model", "lenet5-mnist");
        Path dir = Files.createDirectories(Path.of("target", "screenshots"));
        for (String view : System.getProperty("glassbox.docs.views", "kernels,compare,robustness,confusion,embedding,sanity,class-model,patches").split(",")) {
            if (view.equals("patches")) { // the channel card of conv2's channel 3, with its top patches
                browser.get(server + "/?patches#model=" + model);
                waitUpTo(20).until(d -> !d.findElements(By.cssSelector("#overview .layer[data-layer='conv2'] canvas")).isEmpty());
                browser.findElement(By.cssSelector("#overview .layer[data-layer='conv2'] canvas[data-channel='3']")).click();
                waitUpTo(300).until(d -> !d.findElements(By.cssSelector("#detail-patches .patches canvas")).isEmpty());
                Thread.sleep(1000);
                Files.write(dir.resolve("docs-patches.png"), browser.findElement(By.id("detail-panel")).getScreenshotAs(OutputType.BYTES));
                continue;
            }
            browser.get(server + "/?" + view + "#view=" + view + "&model=" + model);
            waitUpTo(20).until(d -> view.equals(d.findElement(By.id("view-body")).getDomAttribute("data-view")));
            waitUpTo(300).until(d -> !d.findElement(By.cssSelector("#view-body pre.cli")).getText().isEmpty());
            String images = System.getProperty("glassbox.docs.images"); // another size than the default
            if (images != null && !browser.findElements(By.cssSelector("#view-body input.images")).isEmpty()) {
                WebElement box = browser.findElement(By.cssSelector("#view-body input.images"));
                box.clear();
                box.sendKeys(images);
                browser.findElement(By.xpath("//div[@id='view-body']//button[text()='Compute']")).click();
                waitUpTo(600).until(d -> d.findElement(By.cssSelector("#view-body pre.cli")).getText().contains(images));
            }
            if (view.equals("confusion")) { // open the largest mistake
                js("""
                        const cells = [...document.querySelectorAll('table.confusion td')].filter((td) => td.dataset.true !== td.dataset.predicted);
                        cells.sort((a, b) => parseInt(b.title) - parseInt(a.title)); // titles start with the count
                        cells[0].click();""");
                waitUpTo(20).until(d -> !d.findElements(By.cssSelector(".cell-images figure.thumb")).isEmpty());
            }
            if (view.equals("embedding")) { // hover a dot the network gets wrong
                @SuppressWarnings("unchecked")
                List<Number> at = (List<Number>) js("""
                        const c = window.glassboxCharts.embedding, s = c.getOption().series, p = c.glassboxPredicted;
                        for (let k = 0; k < s.length; k++) for (const d of s[k].data) if (p[d[2]] !== k) return c.convertToPixel({ seriesIndex: k }, d.slice(0, 2));
                        return c.convertToPixel({ seriesIndex: 0 }, s[0].data[0].slice(0, 2));""");
                WebElement chart = browser.findElement(By.cssSelector("#view-body .chart[data-chart='embedding']"));
                new Actions(browser).moveToElement(chart, at.get(0).intValue() - chart.getRect().getWidth() / 2,
                        at.get(1).intValue() - chart.getRect().getHeight() / 2).perform();
            }
            Thread.sleep(1500); // thumbnails and charts finish drawing
            WebElement card = browser.findElement(By.id("views-panel"));
            js("arguments[0].scrollIntoView()", card);
            Files.write(dir.resolve("docs-" + view + ".png"), card.getScreenshotAs(OutputType.BYTES));
        }
    }

    @Test
    void topPatchesAndKernels() throws Exception {
        openView("kernels");
        waitUpTo(20).until(d -> !d.findElements(By.cssSelector("#view-body canvas.kernel-grid")).isEmpty());
        assertTrue(chrome.spread(browser.findElement(By.cssSelector("#view-body canvas.kernel-grid"))) > 5, "kernels of random weights are not flat");
        assertTrue(browser.findElement(By.cssSelector("#view-body pre.cli")).getText().equals("./glassbox viz kernels --model lenet5 --layer conv1"));

        browser.findElement(By.cssSelector("#overview .layer[data-layer='relu1'] canvas[data-channel='2']")).click();
        waitUpTo(30).until(d -> d.findElements(By.cssSelector("#detail-patches .patches canvas")).size() == 8);
        for (WebElement c : browser.findElements(By.cssSelector("#detail-patches .patches canvas"))) {
            assertTrue(chrome.spread(c) > 5, "a top patch is a piece of a digit, not blank");
        }
        ((JavascriptExecutor) browser).executeScript("document.getElementById('detail-panel').scrollIntoView()");
        chrome.screenshot("views-patches");

        browser.findElement(By.cssSelector("#views-panel nav button[data-view='compare']")).click();
        waitUpTo(20).until(d -> !d.findElements(By.cssSelector("#view-body table.numbers td")).isEmpty());
        assertTrue(browser.findElement(By.cssSelector("#view-body table.numbers")).getText().contains("(noise "));

        String predicted = browser.findElement(By.id("prediction")).getDomAttribute("data-predicted");
        browser.findElement(By.cssSelector("#views-panel nav button[data-view='class-model']")).click();
        waitUpTo(60).until(d -> !d.findElements(By.cssSelector("#view-body canvas.class-model-image")).isEmpty());
        assertEquals(predicted, browser.findElement(By.cssSelector("#view-body select.class-pick")).getDomProperty("value"),
                "the class model starts with the predicted class");
        assertTrue(chrome.spread(browser.findElement(By.cssSelector("#view-body canvas.class-model-image"))) > 5, "a class-model image, not blank");
        assertTrue(browser.findElement(By.cssSelector("#view-body pre.cli")).getText().endsWith("--class " + predicted));
    }
}
