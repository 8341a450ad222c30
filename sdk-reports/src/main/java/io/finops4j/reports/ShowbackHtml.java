package io.finops4j.reports;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The showback page: inline SVG charts drawn here (cost per day stacked by feature, tier mix, top workflows)
 * followed by the report's tables. Inline SVG in HTML needs no namespace declaration, so the page holds no URL.
 */
final class ShowbackHtml {

  private static final String[] PALETTE = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
      "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};
  private static final String ANOMALY = "#d62728";
  static final int WIDTH = 820;

  private ShowbackHtml() {}

  static String render(ShowbackReport r) {
    return Html.page(r.title(), body(r, List.of()));
  }

  /** The page's body: totals, the charts (with {@code anomalies} marked on the days they began) and every table. */
  static String body(ShowbackReport r, List<Anomaly> anomalies) {
    StringBuilder body = new StringBuilder();
    body.append("<p>Total cost <b>").append(Html.esc(Html.money(r.totals().costUsd()))).append("</b> over ")
        .append(String.format(Locale.ROOT, "%,d", r.totals().calls())).append(" calls.</p>\n");
    body.append("<h2>Cost per day by feature</h2>\n").append(dailyChart(r, anomalies));
    body.append("<h2>Tier mix</h2>\n").append(tierChart(r));
    body.append("<h2>Top workflows by cost</h2>\n").append(workflowChart(r));
    for (Table t : r.tables()) {
      body.append(Html.table(t));
    }
    body.append(Html.notes(r.notes()));
    return body.toString();
  }

  static String color(int i) {
    return PALETTE[i % PALETTE.length];
  }

  static String dailyChart(ShowbackReport r, List<Anomaly> anomalies) {
    Map<LocalDate, Map<String, BigDecimal>> daily = r.dailyCostByFeature();
    if (daily.isEmpty()) {
      return "<p>(no calls)</p>\n";
    }
    List<String> features = new ArrayList<>(new TreeSet<>(daily.values().stream()
        .flatMap(m -> m.keySet().stream()).toList()));
    LocalDate first = daily.keySet().iterator().next();
    LocalDate last = ((java.util.SortedMap<LocalDate, ?>) daily).lastKey();
    int days = (int) (last.toEpochDay() - first.toEpochDay()) + 1;
    double max = daily.values().stream()
        .map(m -> m.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add).doubleValue())
        .max(Double::compare).orElse(0.0);
    int height = 260;
    int left = 70;
    int bottom = 30;
    int top = 10;
    double plotH = height - bottom - top;
    double slot = (double) (WIDTH - left - 10) / days;
    double barW = Math.max(1.0, slot * 0.8);
    StringBuilder svg = svgStart(WIDTH, height, "Cost per day by feature, stacked");
    axis(svg, left, top, plotH, max);
    for (Map.Entry<LocalDate, Map<String, BigDecimal>> e : daily.entrySet()) {
      double x = left + (e.getKey().toEpochDay() - first.toEpochDay()) * slot + (slot - barW) / 2;
      double y = top + plotH;
      for (int i = 0; i < features.size(); i++) {
        BigDecimal v = e.getValue().get(features.get(i));
        if (v == null || v.signum() <= 0 || max <= 0) {
          continue;
        }
        double h = v.doubleValue() / max * plotH;
        y -= h;
        svg.append(String.format(Locale.ROOT,
            "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\"><title>%s %s: %s</title></rect>\n",
            x, y, barW, h, color(i), e.getKey(), Html.esc(features.get(i)), Html.esc(Html.money(v))));
      }
    }
    List<Anomaly> marked = anomalies.stream()
        .filter(a -> !a.firstDay().isBefore(first) && !a.firstDay().isAfter(last)).toList();
    Map<LocalDate, Integer> perDay = new java.util.HashMap<>();
    for (int k = 0; k < marked.size(); k++) {
      Anomaly a = marked.get(k);
      // A dashed red line on the day the anomaly began, and a numbered marker (several on one day stack up).
      int n = perDay.merge(a.firstDay(), 1, Integer::sum);
      double x = left + (a.firstDay().toEpochDay() - first.toEpochDay()) * slot + slot / 2;
      double y = top + 8 + (n - 1) * 16;
      String what = Html.esc(a.firstDay() + " " + anomalyName(a) + ": " + a.detail());
      svg.append(String.format(Locale.ROOT, "<g class=\"anomaly\"><title>%s</title>"
          + "<line x1=\"%.2f\" y1=\"%d\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"%s\" stroke-width=\"1.5\" "
          + "stroke-dasharray=\"4 3\"/><circle cx=\"%.2f\" cy=\"%.2f\" r=\"7\" fill=\"%s\"/>"
          + "<text x=\"%.2f\" y=\"%.2f\" font-size=\"10\" fill=\"#fff\" text-anchor=\"middle\">%d</text></g>\n",
          what, x, top, x, top + plotH, ANOMALY, x, y, ANOMALY, x, y + 3.5, k + 1));
    }
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>", left, height - 8,
        first));
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%s</text>",
        WIDTH - 10, height - 8, last));
    svg.append("</svg>\n");
    return "<div class=\"chart\">" + svg + legend(features) + anomalyList(marked) + "</div>\n";
  }

  /** The numbered anomalies under the daily chart, matching its markers. */
  private static String anomalyList(List<Anomaly> marked) {
    if (marked.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder("<ol class=\"anomalies\">");
    for (Anomaly a : marked) {
      out.append("<li><b>").append(a.firstDay()).append("</b> ").append(Html.esc(anomalyName(a))).append(": ")
          .append(Html.esc(a.detail())).append("</li>");
    }
    return out.append("</ol>\n").toString();
  }

  /** What an anomaly is about, e.g. "cost spike, support-reply" or "costly session wf-9 (acme)". */
  private static String anomalyName(Anomaly a) {
    String kind = a.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ');
    StringBuilder out = new StringBuilder(kind);
    for (String part : new String[] {a.feature(), a.workflow(), a.customer()}) {
      if (part != null) {
        out.append(out.length() == kind.length() ? ", " : " / ").append(part);
      }
    }
    return out.toString();
  }

  private static void axis(StringBuilder svg, int left, int top, double plotH, double max) {
    svg.append(String.format(Locale.ROOT,
        "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%.2f\" stroke=\"#889\"/>"
            + "<line x1=\"%d\" y1=\"%.2f\" x2=\"%d\" y2=\"%.2f\" stroke=\"#889\"/>\n",
        left, top, left, top + plotH, left, top + plotH, WIDTH - 10, top + plotH));
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%s</text>\n",
        left - 4, top + 10, Html.money(BigDecimal.valueOf(max))));
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.2f\" font-size=\"11\" text-anchor=\"end\">0</text>\n",
        left - 4, top + plotH));
  }

  static String tierChart(ShowbackReport r) {
    List<ShowbackReport.TierShare> tiers = r.tierMix();
    if (tiers.isEmpty()) {
      return "<p>(no calls)</p>\n";
    }
    int height = 90;
    StringBuilder svg = svgStart(WIDTH, height, "Tier mix: share of calls and of cost");
    double plotW = WIDTH - 80 - 10;
    String[] labels = {"calls", "cost"};
    for (int row = 0; row < 2; row++) {
      double y = 10 + row * 40;
      svg.append(String.format(Locale.ROOT, "<text x=\"72\" y=\"%.2f\" font-size=\"12\" text-anchor=\"end\">%s</text>\n",
          y + 18, labels[row]));
      double x = 80;
      for (int i = 0; i < tiers.size(); i++) {
        ShowbackReport.TierShare s = tiers.get(i);
        double share = row == 0 ? s.callSharePct() : s.costSharePct();
        double w = share / 100.0 * plotW;
        if (w <= 0) {
          continue;
        }
        svg.append(String.format(Locale.ROOT,
            "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"28\" fill=\"%s\"><title>%s %s: %.1f%%</title></rect>\n",
            x, y, w, color(i), Html.esc(s.tier()), labels[row], share));
        if (w > 60) {
          svg.append(String.format(Locale.ROOT,
              "<text x=\"%.2f\" y=\"%.2f\" font-size=\"11\" fill=\"#fff\">%s %.0f%%</text>\n", x + 4, y + 18,
              Html.esc(s.tier()), share));
        }
        x += w;
      }
    }
    svg.append("</svg>\n");
    return "<div class=\"chart\">" + svg + legend(tiers.stream().map(ShowbackReport.TierShare::tier).toList())
        + "</div>\n";
  }

  static String workflowChart(ShowbackReport r) {
    List<ShowbackReport.WorkflowLine> top = r.topWorkflows();
    if (top.isEmpty()) {
      return "<p>(no workflows)</p>\n";
    }
    int rowH = 18;
    int height = top.size() * rowH + 10;
    int left = 220;
    double plotW = WIDTH - left - 110;
    double max = top.get(0).costUsd().doubleValue();
    StringBuilder svg = svgStart(WIDTH, height, "Top workflows by cost");
    for (int i = 0; i < top.size(); i++) {
      ShowbackReport.WorkflowLine w = top.get(i);
      double y = 5 + i * rowH;
      double bw = max <= 0 ? 0 : Math.max(1.0, w.costUsd().doubleValue() / max * plotW);
      svg.append(String.format(Locale.ROOT,
          "<text x=\"%d\" y=\"%.2f\" font-size=\"11\" text-anchor=\"end\">%s</text>"
              + "<rect x=\"%d\" y=\"%.2f\" width=\"%.2f\" height=\"%d\" fill=\"%s\"><title>%s: %d calls</title></rect>"
              + "<text x=\"%.2f\" y=\"%.2f\" font-size=\"11\">%s</text>\n",
          left - 6, y + 12, Html.esc(shorten(w.workflow())), left, y, bw, rowH - 4, color(0), Html.esc(w.workflow()),
          w.calls(), left + bw + 4, y + 12, Html.esc(Html.money(w.costUsd()))));
    }
    svg.append("</svg>\n");
    return "<div class=\"chart\">" + svg + "</div>\n";
  }

  private static String shorten(String s) {
    return s.length() <= 32 ? s : s.substring(0, 31) + "\u2026";
  }

  static StringBuilder svgStart(int w, int h, String label) {
    return new StringBuilder(String.format(Locale.ROOT,
        "<svg viewBox=\"0 0 %d %d\" width=\"100%%\" style=\"max-width:%dpx\" role=\"img\" aria-label=\"%s\">\n",
        w, h, w, Html.esc(label)));
  }

  static String legend(List<String> names) {
    StringBuilder out = new StringBuilder("<div class=\"legend\">");
    for (int i = 0; i < names.size(); i++) {
      out.append("<span><i class=\"sw\" style=\"background:").append(color(i)).append("\"></i>")
          .append(Html.esc(names.get(i))).append("</span>");
    }
    return out.append("</div>\n").toString();
  }
}
