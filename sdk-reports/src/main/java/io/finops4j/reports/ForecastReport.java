package io.finops4j.reports;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * Month-end cost per feature. Built by {@link Forecast#run}.
 *
 * @param asOf the last day of actuals
 * @param monthEnd the last day of {@code asOf}'s month
 * @param lines one line per feature, most expensive projection first
 * @param total the sum of the lines
 * @param assumptions how the figures were made, printed under the table
 */
public record ForecastReport(LocalDate asOf, LocalDate monthEnd, List<Line> lines, Line total,
    List<String> assumptions) implements ReportResult {

  public ForecastReport {
    lines = List.copyOf(lines);
    assumptions = List.copyOf(assumptions);
  }

  /**
   * One feature's forecast: {@code projectedMonthEndUsd = monthToDateUsd + remainingDays x requestsPerDay x
   * costPerRequestUsd}, where the cost per request re-prices the window's token usage at current prices.
   */
  public record Line(String feature, BigDecimal monthToDateUsd, long windowRequests, BigDecimal requestsPerDay,
      BigDecimal inputTokensPerRequest, BigDecimal outputTokensPerRequest, BigDecimal costPerRequestUsd,
      BigDecimal projectedDailyUsd, long remainingDays, BigDecimal projectedMonthEndUsd) {}

  /** The line of {@code feature}, or {@code null}. */
  public Line line(String feature) {
    return lines.stream().filter(l -> l.feature().equals(feature)).findFirst().orElse(null);
  }

  @Override
  public String title() {
    return "finops4j forecast to " + monthEnd + " (actuals to " + asOf + ")";
  }

  @Override
  public List<Table> tables() {
    Table.Builder t = Table.builder("Forecast", "feature", "month_to_date_usd", "window_requests", "requests_per_day",
        "input_tokens_per_request", "output_tokens_per_request", "cost_per_request_usd", "projected_daily_usd",
        "remaining_days", "projected_month_end_usd");
    for (Line l : lines) {
      row(t, l);
    }
    row(t, total);
    return List.of(t.build());
  }

  private static void row(Table.Builder t, Line l) {
    t.row(l.feature(), l.monthToDateUsd(), l.windowRequests(), l.requestsPerDay(), l.inputTokensPerRequest(),
        l.outputTokensPerRequest(), l.costPerRequestUsd(), l.projectedDailyUsd(), l.remainingDays(),
        l.projectedMonthEndUsd());
  }

  @Override
  public List<String> notes() {
    return assumptions;
  }

  /** The forecast's charts (cumulative cost to month end, per feature), then its table. */
  @Override
  public String toHtml() {
    return Html.page(title(), ForecastHtml.charts(this, new java.util.TreeMap<>()) + Html.tables(this));
  }
}
