package io.finops4j.reports;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;

/**
 * The month-end forecast drawn: the month's cumulative cost, actual to the last day of actuals (solid) then
 * projected to month end (dashed), and each feature's month to date and projected rest.
 */
final class ForecastHtml {

  private static final int WIDTH = ShowbackHtml.WIDTH;

  private ForecastHtml() {}

  /**
   * The charts for {@code f}; {@code dailyCost} (cost per day per feature, e.g. the showback's; may be empty)
   * shapes the actual part of the line, which otherwise runs straight to the month-to-date figure.
   */
  static String charts(ForecastReport f, SortedMap<LocalDate, Map<String, BigDecimal>> dailyCost) {
    return "<h2>Month-end forecast</h2>\n" + cumulative(f, dailyCost) + byFeature(f);
  }

  private static String cumulative(ForecastReport f, SortedMap<LocalDate, Map<String, BigDecimal>> dailyCost) {
    LocalDate start = f.monthEnd().withDayOfMonth(1);
    int days = f.monthEnd().getDayOfMonth();
    BigDecimal toDate = f.total().monthToDateUsd();
    BigDecimal projected = f.total().projectedMonthEndUsd();
    double max = Math.max(projected.doubleValue(), toDate.doubleValue());
    int height = 240;
    int left = 70;
    int top = 24;
    double plotH = height - 30 - top;
    double slot = (double) (WIDTH - left - 150) / days;
    StringBuilder svg = ShowbackHtml.svgStart(WIDTH, height, "Month-end forecast: cumulative cost, actual then "
        + "projected");
    svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%.2f\" stroke=\"#889\"/>"
        + "<line x1=\"%d\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"#889\"/>\n", left, top, left, top + plotH,
        left, top + plotH, left + days * slot, top + plotH));
    // Actual: day by day from the daily costs of this month, ending on the month-to-date figure.
    StringBuilder actual = new StringBuilder(String.format(Locale.ROOT, "%d,%.2f", left, top + plotH));
    BigDecimal sum = BigDecimal.ZERO;
    for (LocalDate d = start; !d.isAfter(f.asOf()); d = d.plusDays(1)) {
      Map<String, BigDecimal> day = dailyCost.get(d);
      if (day != null) {
        sum = sum.add(day.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add));
      }
      actual.append(String.format(Locale.ROOT, " %.2f,%.2f", x(left, slot, start, d), y(sum, max, top, plotH)));
    }
    double asOfX = x(left, slot, start, f.asOf());
    double asOfY = y(toDate, max, top, plotH);
    actual.append(String.format(Locale.ROOT, " %.2f,%.2f", asOfX, asOfY));
    double endX = x(left, slot, start, f.monthEnd());
    double endY = y(projected, max, top, plotH);
    svg.append(String.format(Locale.ROOT, "<polyline class=\"actual\" points=\"%s\" fill=\"none\" stroke=\"%s\" "
        + "stroke-width=\"2.5\"><title>month to date: %s</title></polyline>\n", actual, ShowbackHtml.color(0),
        Html.esc(Html.money(toDate))));
    svg.append(String.format(Locale.ROOT, "<line class=\"projection\" x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" "
        + "stroke=\"%s\" stroke-width=\"2.5\" stroke-dasharray=\"6 4\"><title>projected month end: %s</title></line>\n",
        asOfX, asOfY, endX, endY, ShowbackHtml.color(1), Html.esc(Html.money(projected))));
    svg.append(String.format(Locale.ROOT, "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"4\" fill=\"%s\"/>"
        + "<text x=\"%.2f\" y=\"%.2f\" font-size=\"11\" text-anchor=\"end\">%s to %s</text>\n", asOfX, asOfY,
        ShowbackHtml.color(0), asOfX - 6, asOfY - 8, Html.esc(Html.money(toDate)), f.asOf()));
    svg.append(String.format(Locale.ROOT, "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"4\" fill=\"%s\"/>"
        + "<text x=\"%.2f\" y=\"%.2f\" font-size=\"12\" font-weight=\"bold\">%s by %s</text>\n", endX, endY,
        ShowbackHtml.color(1), endX + 8, endY + 4, Html.esc(Html.money(projected)), f.monthEnd()));
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>"
        + "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%s</text>\n", left, height - 8, start,
        left - 4, top + 10, Html.esc(Html.money(BigDecimal.valueOf(max)))));
    svg.append("</svg>\n");
    return "<div class=\"chart forecast\">" + svg
        + ShowbackHtml.legend(List.of("actual, month to date", "projected to month end")) + "</div>\n";
  }

  /** One bar per feature: month to date (solid) and the projected rest of the month (light). */
  private static String byFeature(ForecastReport f) {
    List<ForecastReport.Line> lines = f.lines();
    if (lines.isEmpty()) {
      return "";
    }
    int rowH = 20;
    int left = 180;
    int height = lines.size() * rowH + 10;
    double plotW = WIDTH - left - 130;
    double max = lines.stream().mapToDouble(l -> l.projectedMonthEndUsd().doubleValue()).max().orElse(0);
    StringBuilder svg = ShowbackHtml.svgStart(WIDTH, height, "Month-end forecast per feature");
    for (int i = 0; i < lines.size(); i++) {
      ForecastReport.Line l = lines.get(i);
      double y = 5 + i * rowH;
      double done = max <= 0 ? 0 : l.monthToDateUsd().doubleValue() / max * plotW;
      double all = max <= 0 ? 0 : Math.max(done, l.projectedMonthEndUsd().doubleValue() / max * plotW);
      svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.2f\" font-size=\"11\" text-anchor=\"end\">%s</text>"
          + "<rect x=\"%d\" y=\"%.2f\" width=\"%.2f\" height=\"%d\" fill=\"%s\" fill-opacity=\"0.35\">"
          + "<title>%s projected: %s</title></rect>"
          + "<rect x=\"%d\" y=\"%.2f\" width=\"%.2f\" height=\"%d\" fill=\"%s\"><title>%s to date: %s</title></rect>"
          + "<text x=\"%.2f\" y=\"%.2f\" font-size=\"11\">%s</text>\n",
          left - 6, y + 13, Html.esc(l.feature()), left, y, Math.max(all, 1), rowH - 5, ShowbackHtml.color(1),
          Html.esc(l.feature()), Html.esc(Html.money(l.projectedMonthEndUsd())), left, y, Math.max(done, 1),
          rowH - 5, ShowbackHtml.color(0), Html.esc(l.feature()), Html.esc(Html.money(l.monthToDateUsd())),
          left + all + 4, y + 13, Html.esc(Html.money(l.projectedMonthEndUsd()))));
    }
    svg.append("</svg>\n");
    return "<div class=\"chart\">" + svg + "</div>\n";
  }

  private static double x(int left, double slot, LocalDate start, LocalDate day) {
    return left + (day.toEpochDay() - start.toEpochDay() + 1) * slot;
  }

  private static double y(BigDecimal usd, double max, int top, double plotH) {
    return top + plotH - (max <= 0 ? 0 : usd.doubleValue() / max * plotH);
  }
}
