package io.finops4j.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The showback page as a person sees it: rendered by headless Chromium, offline, into a screenshot whose chart
 * regions must hold drawn (coloured) pixels. In CI Chromium is installed by {@code .ci/run} and a missing browser
 * fails the test; on a developer machine without one the test is skipped.
 */
class HtmlInBrowserTest {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  @Test
  void theChartsAreDrawnAndThePageLoadsWithNoNetwork(@TempDir Path dir) throws Exception {
    boolean ci = System.getenv("CI") != null;
    if (!Files.isExecutable(CHROMIUM)) {
      assertThat(ci).as("CI must have /usr/bin/chromium (.ci/run installs it)").isFalse();
      Assumptions.abort("no /usr/bin/chromium on this machine");
    }
    Path page = dir.resolve("showback.html");
    Files.writeString(page, Showback.run(TestLedger.records(), Period.of(TestLedger.START, TestLedger.END)).toHtml());
    Path png = dir.resolve("showback.png");

    Process chromium = new ProcessBuilder(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--user-data-dir=" + dir.resolve("profile"),
        // Any request the page tried to make would fail: the page must not need one.
        "--host-resolver-rules=MAP * ~NOTFOUND", "--hide-scrollbars", "--window-size=1200,2400",
        "--screenshot=" + png, page.toUri().toString()))
        .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
    assertThat(chromium.waitFor(60, TimeUnit.SECONDS)).as("chromium finished").isTrue();
    assertThat(png).as("screenshot; chromium said: " + log(dir)).exists();

    BufferedImage image = ImageIO.read(png.toFile());
    // The page is white with dark text and grey rules: coloured pixels can only come from the charts.
    int[] colouredPerBand = new int[8];
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y);
        int r = (rgb >> 16) & 0xff;
        int g = (rgb >> 8) & 0xff;
        int b = rgb & 0xff;
        if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 60) {
          colouredPerBand[y * colouredPerBand.length / image.getHeight()]++;
        }
      }
    }
    int total = java.util.Arrays.stream(colouredPerBand).sum();
    assertThat(total).as("coloured chart pixels").isGreaterThan(20_000);
    // Three charts: the colour is spread over the page, not one blob.
    assertThat(java.util.Arrays.stream(colouredPerBand).filter(n -> n > 1_000).count()).isGreaterThanOrEqualTo(2);
  }

  private static String log(Path dir) {
    try {
      return Files.readString(dir.resolve("chromium.log"));
    } catch (IOException e) {
      return e.toString();
    }
  }
}
