package io.loomcast.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.loomcast.gateway.testing.ExternalPeer;
import io.loomcast.gateway.testing.NginxRtmp;
import io.loomcast.gateway.testing.SourceClip;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
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

/**
 * The dashboard in a real browser: Debian's headless Chromium driven through chromium-driver by Selenium. ffmpeg
 * publishes; the page (after the token is typed once) shows the stream and its thumbnail; the on/off toggle of the
 * push to one nginx-rtmp application stops it there (ffprobe gets nothing) while the other application keeps
 * the full frame rate (ffprobe counts it); switched back on it resumes; the add-destination form shows the API's
 * validation error next to the URL field, then adds a third destination that nginx-rtmp then receives. A
 * screenshot is saved to target/dashboard.png.
 */
class DashboardBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    Path dir;

    @Test
    void theDashboardShowsAndSteersTheRelay() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("chromium and chromium-driver are needed (bin/test installs them: apt-get install chromium chromium-driver)");
        }
        SourceClip clip = SourceClip.get();
        try (NginxRtmp nginx = NginxRtmp.start(Files.createDirectories(dir.resolve("nginx")),
                NginxRtmp.Options.withApps("dest", "dest2", "dest3"));
             ApiGateway g = ApiGateway.start(dir, """
                     server:
                       listen: 127.0.0.1:0
                     relay:
                       linger: 500ms
                       reconnect: {initialDelay: 100ms, maxDelay: 400ms}
                     routes:
                       - stream: live/src
                         push:
                           - {id: a, url: "%s"}
                           - {id: b, url: "%s"}
                     """.formatted(nginx.url("dest/src"), nginx.url("dest2/src")));
             ExternalPeer ffmpeg = clip.publish(dir.resolve("ffmpeg.log"), g.rtmp("live/src"), -1)) {
            WebDriver browser = chromium();
            try {
                // The page re-renders its tables on every poll, so an element found a moment ago may be gone.
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20), Duration.ofMillis(100));
                wait.ignoring(StaleElementReferenceException.class);
                browser.get(g.base() + "/");
                WebElement tokenField = wait.until(d -> visible(d, By.id("token")));
                tokenField.sendKeys(ApiGateway.TOKEN);
                browser.findElement(By.cssSelector("#token-form button")).click();
                assertEquals(ApiGateway.TOKEN, ((JavascriptExecutor) browser).executeScript(
                        "return sessionStorage.getItem('loomcast.token')"), "the token is kept for the tab");

                wait.until(d -> !d.findElements(By.cssSelector("[data-stream='live/src'] [data-field='video']")).isEmpty()
                        && d.findElement(By.cssSelector("[data-stream='live/src'] [data-field='video']")).getText()
                        .startsWith("h264 320×180"));
                wait.until(d -> d.findElements(By.cssSelector("tr[data-push='live-src/a'][data-state='live']")).size() == 1);
                wait.withMessage("the thumbnail to show a decoded picture").until(d -> (Boolean) ((JavascriptExecutor) d)
                        .executeScript("const i = document.querySelector(\"[data-stream='live/src'] img.thumb\");"
                                + " return !!i && i.complete && i.naturalWidth === 320;"));

                clickWhenStable(wait, "tr[data-push='live-src/a'] input.toggle");
                wait.until(d -> d.findElements(By.cssSelector("tr[data-push='live-src/a'][data-state='disabled']")).size() == 1);
                assertTrue(videoPts(nginx.url("dest/src"), 2).isEmpty(), "nginx-rtmp no longer gets the push");
                assertFullRate(videoPts(nginx.url("dest2/src"), 2), "the other destination");

                clickWhenStable(wait, "tr[data-push='live-src/a'] input.toggle");
                wait.until(d -> d.findElements(By.cssSelector("tr[data-push='live-src/a'][data-state='live']")).size() == 1);
                assertFullRate(videoPts(nginx.url("dest/src"), 2), "the push switched back on");

                WebElement url = browser.findElement(By.id("add-url"));
                url.sendKeys("http://" + "127.0.0.1/dest3/src");
                browser.findElement(By.cssSelector("#add-push button")).click();
                wait.until(d -> d.findElement(By.id("add-url-error")).getText().contains("is not rtmp or rtmps"));
                assertEquals("true", url.getDomAttribute("aria-invalid"), "the error is shown at the URL field");
                url.clear();
                url.sendKeys(nginx.url("dest3/src"));
                browser.findElement(By.cssSelector("#add-push button")).click();
                wait.until(d -> d.findElement(By.id("add-ok")).getText().equals("added 127.0.0.1-dest3"));
                assertEquals("", browser.findElement(By.id("add-url-error")).getText());
                wait.until(d -> d.findElements(By.cssSelector("tr[data-push='live-src/127.0.0.1-dest3'][data-state='live']"))
                        .size() == 1);
                assertFullRate(videoPts(nginx.url("dest3/src"), 2), "the destination added through the form");
                wait.until(d -> d.findElements(By.cssSelector("tr[data-session]")).size() == 1);

                Path shot = Path.of("target", "dashboard.png");
                Files.createDirectories(shot.getParent());
                Files.write(shot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
            } finally {
                browser.quit();
            }
        }
    }

    private static WebElement visible(WebDriver d, By by) {
        List<WebElement> found = d.findElements(by);
        return !found.isEmpty() && found.getFirst().isDisplayed() ? found.getFirst() : null;
    }

    private WebDriver chromium() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // The background-networking switches keep Chromium from calling out: there is no network here.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1000", "--user-data-dir=" + dir.resolve("chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
                .withLogFile(dir.resolve("chromedriver.log").toFile()).build();
        return new ChromeDriver(service, options);
    }

    /**
     * The presentation times of the video frames ffprobe reads from {@code url} in {@code seconds} of media,
     * or none when the stream does not come within a few seconds.
     */
    private List<Double> videoPts(String url, int seconds) throws Exception {
        Path out = Files.createTempFile(dir, "ffprobe", ".txt");
        try (ExternalPeer p = ExternalPeer.start(out, List.of(ExternalPeer.require("ffprobe").toString(), "-v", "error",
                "-rw_timeout", "3000000", "-select_streams", "v", "-read_intervals", "%+" + seconds,
                "-show_entries", "frame=pts_time", "-of", "csv=p=0", url))) {
            p.awaitExit(Duration.ofSeconds(seconds + 20));
        }
        List<Double> pts = new ArrayList<>();
        for (String line : Files.readAllLines(out)) {
            if (line.matches("[0-9.]+,?")) {
                pts.add(Double.parseDouble(line.replace(",", "")));
            }
        }
        return pts;
    }

    private static void assertFullRate(List<Double> pts, String what) {
        assertTrue(pts.size() >= SourceClip.FPS, what + ": only " + pts.size() + " frames");
        double span = pts.getLast() - pts.getFirst();
        double fps = (pts.size() - 1) / span;
        assertTrue(Math.abs(fps - SourceClip.FPS) < 1.5, what + ": " + fps + " fps over " + span + " s, not "
                + SourceClip.FPS);
    }

    static {
        // Selenium must not look for a driver of its own (it would try to download one): ours is Debian's.
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        System.setProperty("SE_AVOID_STATS", "true");
        new File("target").mkdirs();
    }

    /** Clicks the element {@code css} selects, finding it again if a re-render replaced it between find and click. */
    private static void clickWhenStable(WebDriverWait wait, String css) {
        wait.until(d -> {
            d.findElement(By.cssSelector(css)).click();
            return true;
        });
    }
}
