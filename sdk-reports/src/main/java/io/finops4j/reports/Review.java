package io.finops4j.reports;

import java.util.List;

/**
 * One self-contained HTML page for a FinOps review: the showback with its charts, then the tables of any other
 * reports (refusals, anomalies, the forecast, a what-if replay), each under its own title.
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
    StringBuilder body = new StringBuilder(ShowbackHtml.body(showback));
    for (ReportResult section : List.of(sections)) {
      body.append("<h1 class=\"section\">").append(Html.esc(section.title())).append("</h1>\n")
          .append(Html.tables(section));
    }
    return Html.page("finops4j review " + showback.period(), body.toString());
  }
}
