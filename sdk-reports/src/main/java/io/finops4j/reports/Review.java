package io.finops4j.reports;

import java.util.List;
import java.util.stream.Stream;

/**
 * One self-contained HTML page for a FinOps review: the showback with its charts (anomalies marked on the daily
 * cost timeline), then the tables of any other reports (refusals, anomalies, the forecast with its month-end
 * chart, a what-if replay), each under its own title.
 *
 * <pre>{@code
 * String html = Review.page(Showback.run(records, month), Rejections.run(records, month),
 *     detector.detect(records, month), Forecast.run(records, today, Map.of()));
 * }</pre>
 */
public final class Review {

  private Review() {}

  /** The showback page with {@code sections} after it. */
  public static String page(ShowbackReport showback, ReportResult... sections) {
    // Anomalies are marked on the showback's daily chart; a forecast section opens with its charts.
    List<Anomaly> anomalies = Stream.of(sections).filter(AnomalyReport.class::isInstance)
        .flatMap(s -> ((AnomalyReport) s).anomalies().stream()).toList();
    StringBuilder body = new StringBuilder(ShowbackHtml.body(showback, anomalies));
    for (ReportResult section : List.of(sections)) {
      body.append("<h1 class=\"section\">").append(Html.esc(section.title())).append("</h1>\n");
      if (section instanceof ForecastReport f) {
        body.append(ForecastHtml.charts(f, showback.dailyCostByFeature()));
      }
      body.append(Html.tables(section));
    }
    return Html.page("finops4j review " + showback.period(), body.toString());
  }
}
