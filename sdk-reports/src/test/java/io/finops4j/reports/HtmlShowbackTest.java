package io.finops4j.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
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
    assertThat(html).contains("wf-runaway").contains("support-reply").contains("<title>2026-11-15 agent: $9.00</title>");
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

  @Test
  void moneyReadsAsDollarsWithCentsAndSubCentFiguresKeepTwoDigits() {
    assertThat(Html.money(new BigDecimal("0.377951"))).isEqualTo("$0.38");
    assertThat(Html.money(new BigDecimal("1234.5"))).isEqualTo("$1,234.50");
    assertThat(Html.money(new BigDecimal("0.000455750"))).isEqualTo("$0.00046");
    assertThat(Html.money(new BigDecimal("0.000000001"))).isEqualTo("$0.000000001");
    assertThat(Html.money(BigDecimal.ZERO)).isEqualTo("$0.00");
    assertThat(Html.money(new BigDecimal("-2.5"))).isEqualTo("-$2.50");
  }

  @Test
  void headersAreWordsAndTimestampsAreMinutes() {
    assertThat(Html.header("cost_usd")).isEqualTo("Cost");
    assertThat(Html.header("last_7d_usd")).isEqualTo("Last 7 days");
    assertThat(Html.header("wow_change_pct")).isEqualTo("Week-over-week change %");
    assertThat(Html.header("input_tokens")).isEqualTo("Input tokens");
    assertThat(Html.header("p99")).isEqualTo("p99");
    assertThat(html).doesNotContainPattern("<th[^>]*>[a-z0-9]+_[a-z0-9_]+</th>")
        .contains("<th class=\"n\">Cost</th>", "<th>First</th>")
        // wf-runaway's 200 calls from 00:00 to 03:19 on Nov 15, exact instant kept in the tooltip
        .contains("title=\"2026-11-15T06:40:00Z\">2026-11-15 06:40</td>")
        .doesNotContainPattern(">\\d{4}-\\d\\d-\\d\\dT[^<]*Z</td>")
        .contains("title=\"9.000000\">$9.00</td>");
  }
}
