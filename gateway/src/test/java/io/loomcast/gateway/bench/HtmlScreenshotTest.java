package io.loomcast.gateway.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.cli.Gateway;
import io.loomcast.gateway.config.ConfigLoader;
import io.loomcast.gateway.testing.ExternalPeer;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report of a real run, rendered by headless Chromium: a screenshot is produced and is not blank
 * (its charts draw in several colours over much of the page). The page fetches nothing, so it renders the
 * same with networking off.
 */
class HtmlScreenshotTest {
    @Test
    void rendersInHeadlessChromium(@TempDir Path dir) throws Exception {
        Path html = dir.resolve("report.html");
        try (Gateway gw = Gateway.start(ConfigLoader.parse("server: {listen: 127.0.0.1:0}", "t.yaml", Map.of()))) {
            String url = "rtmp://127.0.0.1:" + gw.rtmpAddress().getPort() + "/live/shot";
            try (ExternalPeer ff = FfmpegPublisher.start(dir, url)) {
                CliRun run = CliRun.bench(dir, "play", url, "--clients", "20", "--duration", "4s",
                        "--html", html.toString());
                assertEquals(0, run.exitCode(), run::out);
            }
        }
        Path png = dir.resolve("report.png");
        try (ExternalPeer chromium = ExternalPeer.start(dir.resolve("chromium.log"), List.of(
                ExternalPeer.require("chromium").toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--no-first-run", "--user-data-dir=" + dir.resolve("profile"),
                "--screenshot=" + png, "--window-size=1200,1600", html.toUri().toString()))) {
            chromium.awaitExit();
        }
        assertTrue(Files.size(png) > 10_000, "a screenshot of some substance: " + Files.size(png) + " bytes");
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(1200, image.getWidth());
        Set<Integer> colours = new HashSet<>();
        long inked = 0;
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int rgb = image.getRGB(x, y) & 0xFFFFFF;
                colours.add(rgb);
                int r = rgb >> 16 & 0xFF;
                int g = rgb >> 8 & 0xFF;
                int b = rgb & 0xFF;
                if (r + g + b < 600) {
                    inked++;
                }
            }
        }
        long pixels = (long) (image.getWidth() / 2) * (image.getHeight() / 2);
        assertTrue(colours.size() > 50, "not blank: " + colours.size() + " colours");
        assertTrue(inked > pixels / 200, "text and lines drawn: " + inked + " of " + pixels + " sampled pixels");
    }
}
