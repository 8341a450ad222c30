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
 * The pages as a person sees them: rendered by headless Chromium, offline, into screenshots whose charts must
 * hold drawn pixels of their colours (the showback's charts, the review's anomaly markers, the forecast's lines). In CI Chromium is installed by {@code .ci/run} and a missing browser
 * fails the test; on a developer machine without one the test is skipped.
 */
class HtmlInBrowserTest {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  @Test
  void theChartsAreDrawnAndThePageLoadsWithNoNetwork(@TempDir Path dir) throws Exception {
    BufferedImage image = screenshot(dir, "showback",
        Showback.run(TestLedger.records(), Period.of(TestLedger.START, TestLedger.END)).toHtml());
    // The page is white with dark text and grey rules: coloured pixels can only come from the charts.
    int[] colouredPerBand = new int[8];
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        if (coloured(image.getRGB(x, y))) {
          colouredPerBand[y * colouredPerBand.length / image.getHeight()]++;
        }
      }
    }
    int total = java.util.Arrays.stream(colouredPerBand).sum();
    assertThat(total).as("coloured chart pixels").isGreaterThan(20_000);
    // Three charts: the colour is spread over the page, not one blob.
    assertThat(java.util.Arrays.stream(colouredPerBand).filter(n -> n > 1_000).count()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void theReviewPageDrawsTheAnomalyMarkersAndTheForecastLines(@TempDir Path dir) throws Exception {
    Period month = Period.of(TestLedger.START, TestLedger.END);
    AnomalyReport anomalies = AnomalyDetector.defaults().detect(TestLedger.records(), month);
    assertThat(anomalies.anomalies()).isNotEmpty();
    ForecastReport forecast = Forecast.run(TestLedger.records(), TestLedger.END, java.util.Map.of());
    BufferedImage review = screenshot(dir, "review", Review.page(Showback.run(TestLedger.records(), month),
        anomalies, forecast));
    // The markers' red (#d62728) is in no other chart's palette.
    assertThat(count(review, rgb -> near(rgb, 0xd6, 0x27, 0x28))).as("anomaly marker pixels").isGreaterThan(300);

    BufferedImage alone = screenshot(dir, "forecast", forecast.toHtml());
    // The forecast page has no other chart: its blue actual line and orange projection are the forecast drawn.
    assertThat(count(alone, rgb -> near(rgb, 0x4e, 0x79, 0xa7))).as("actual-cost pixels").isGreaterThan(500);
    assertThat(count(alone, rgb -> near(rgb, 0xf2, 0x8e, 0x2b))).as("projection pixels").isGreaterThan(100);
  }

  /** The page as headless Chromium draws it, offline: any request the page tried to make would fail. */
  private static BufferedImage screenshot(Path dir, String name, String html) throws Exception {
    boolean ci = System.getenv("CI") != null;
    if (!Files.isExecutable(CHROMIUM)) {
      assertThat(ci).as("CI must have /usr/bin/chromium (.ci/run installs it)").isFalse();
      Assumptions.abort("no /usr/bin/chromium on this machine");
    }
    Path page = dir.resolve(name + ".html");
    Files.writeString(page, html);
    Path png = dir.resolve(name + ".png");
    Process chromium = new ProcessBuilder(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--user-data-dir=" + dir.resolve("profile-" + name),
        "--host-resolver-rules=MAP * ~NOTFOUND", "--hide-scrollbars", "--window-size=1200,2400",
        "--screenshot=" + png, page.toUri().toString()))
        .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start();
    assertThat(chromium.waitFor(60, TimeUnit.SECONDS)).as("chromium finished").isTrue();
    assertThat(png).as("screenshot; chromium said: " + log(dir, name)).exists();
    return ImageIO.read(png.toFile());
  }

  private static boolean coloured(int rgb) {
    int r = (rgb >> 16) & 0xff;
    int g = (rgb >> 8) & 0xff;
    int b = rgb & 0xff;
    return Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 60;
  }

  private static boolean near(int rgb, int r, int g, int b) {
    return Math.abs(((rgb >> 16) & 0xff) - r) <= 12 && Math.abs(((rgb >> 8) & 0xff) - g) <= 12
        && Math.abs((rgb & 0xff) - b) <= 12;
  }

  private static int count(BufferedImage image, java.util.function.IntPredicate match) {
    int n = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        n += match.test(image.getRGB(x, y)) ? 1 : 0;
      }
    }
    return n;
  }

  private static String log(Path dir, String name) {
    try {
      return Files.readString(dir.resolve(name + ".log"));
    } catch (IOException e) {
      return e.toString();
    }
  }
}
