package io.finops4j.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HtmlShowbackTest {

  private final String html = Showback.run(TestLedger.records(), Period.of(TestLedger.START, TestLedger.END)).toHtml();

  @Test
  void holdsThreeSvgChartsWithNonEmptyGeometry() {
    assertThat(Pattern.compile("<svg ").matcher(html).results().count()).isEqualTo(3);
    Matcher rect = Pattern.compile("<rect x=\"([\\d.]+)\" y=\"([\\d.]+)\" width=\"([\\d.]+)\" height=\"([\\d.]+)\"")
        .matcher(html);
    int rects = 0;
    while (rect.find()) {
      rects++;
      assertThat(Double.parseDouble(rect.group(3))).isPositive();
      assertThat(Double.parseDouble(rect.group(4))).isPositive();
    }
    // 28 days of support-reply and classification, plus agent's day; 3 + 3 tier segments; 20 workflows.
    assertThat(rects).isEqualTo(28 * 2 + 1 + 6 + 20);
    assertThat(html).contains("wf-runaway").contains("support-reply").containsPattern("<title>2026-11-15 agent: 9\\.0+ USD");
  }

  @Test
  void isSelfContainedAndPrintable() {
    assertThat(html).doesNotContain("http://").doesNotContain("https://").doesNotContain("<script")
        .doesNotContain("<link").doesNotContain("src=").doesNotContain("url(");
    assertThat(html).startsWith("<!DOCTYPE html>").contains("<style>").contains("@media print");
  }

  @Test
  void escapesNamesFromTheLedger() {
    String page = Html.page("t", Html.table(Table.builder("x", "name").row("<script>alert(1)</script>").build()));
    assertThat(page).doesNotContain("<script>").contains("&lt;script&gt;");
  }
}
