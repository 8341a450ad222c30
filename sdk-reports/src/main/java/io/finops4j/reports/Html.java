package io.finops4j.reports;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Self-contained HTML pages: inline CSS, no scripts, no external resources, readable when printed. */
final class Html {

  private static final String CSS = """
      body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px;color:#1d2430;background:#fff}
      h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px;border-bottom:1px solid #d5dae1}
      table{border-collapse:collapse;margin:4px 0 12px;font-variant-numeric:tabular-nums}
      th,td{padding:3px 10px;border-bottom:1px solid #e6e9ee;text-align:left}
      td.n,th.n{text-align:right}th{background:#f3f5f8}
      .chart{margin:8px 0 16px}.legend span{display:inline-block;margin-right:14px}
      .sw{display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:middle;-webkit-print-color-adjust:exact;print-color-adjust:exact}
      svg{-webkit-print-color-adjust:exact;print-color-adjust:exact}
      .notes{color:#4a5566;font-size:12px}.anomalies{margin:4px 0 0;color:#7a1c1c;font-size:13px}h1.section{font-size:19px;margin:40px 0 4px}
      @media print{body{margin:0;font-size:11px}h2{break-after:avoid}table,svg,.chart{break-inside:avoid}
      th{background:none}a{color:inherit;text-decoration:none}}
      """;

  private static final BigDecimal CENT = new BigDecimal("0.01");
  private static final Pattern INSTANT = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?Z");
  private static final Pattern P_PERCENTILE = Pattern.compile("p\\d+");
  private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
      .withZone(ZoneOffset.UTC);

  private Html() {}

  static String page(String title, String body) {
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + esc(title)
        + "</title>\n<style>\n" + CSS + "</style></head>\n<body>\n<h1>" + esc(title) + "</h1>\n" + body
        + "</body></html>\n";
  }

  static String tables(ReportResult r) {
    StringBuilder out = new StringBuilder();
    for (Table t : r.tables()) {
      out.append(table(t));
    }
    out.append(notes(r.notes()));
    return out.toString();
  }

  static String notes(List<String> notes) {
    if (notes.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder("<ul class=\"notes\">");
    notes.forEach(n -> out.append("<li>").append(esc(n)).append("</li>"));
    return out.append("</ul>\n").toString();
  }

  static String table(Table t) {
    StringBuilder out = new StringBuilder("<h2>").append(esc(t.title())).append("</h2>\n<table><thead><tr>");
    boolean[] numeric = new boolean[t.columns().size()];
    for (List<Object> row : t.rows()) {
      for (int c = 0; c < numeric.length; c++) {
        numeric[c] |= row.get(c) instanceof Number;
      }
    }
    for (int c = 0; c < numeric.length; c++) {
      out.append(numeric[c] ? "<th class=\"n\">" : "<th>").append(esc(header(t.columns().get(c)))).append("</th>");
    }
    out.append("</tr></thead><tbody>\n");
    for (List<Object> row : t.rows()) {
      out.append("<tr>");
      for (int c = 0; c < numeric.length; c++) {
        out.append(numeric[c] ? "<td class=\"n\"" : "<td").append(cell(t.columns().get(c), row.get(c)))
            .append("</td>");
      }
      out.append("</tr>\n");
    }
    if (t.rows().isEmpty()) {
      out.append("<tr><td colspan=\"").append(numeric.length).append("\">(none)</td></tr>\n");
    }
    return out.append("</tbody></table>\n").toString();
  }

  /**
   * A column name as a person reads it: {@code cost_usd} "Cost", {@code last_7d_usd} "Last 7 days",
   * {@code wow_change_pct} "Week-over-week change %", {@code p99} stays {@code p99}. Money columns need no unit:
   * their cells carry the dollar sign.
   */
  static String header(String column) {
    List<String> words = new ArrayList<>();
    for (String w : column.split("_")) {
      switch (w) {
        case "usd" -> { }
        case "pct" -> words.add("%");
        case "7d" -> words.add("7 days");
        case "wow" -> words.add("week-over-week");
        case "prev" -> words.add("previous");
        default -> words.add(w);
      }
    }
    String h = String.join(" ", words);
    if (h.isEmpty()) {
      return column;
    }
    return P_PERCENTILE.matcher(h).matches() ? h : Character.toUpperCase(h.charAt(0)) + h.substring(1);
  }

  /**
   * The rest of a {@code <td} for one value: money ({@code *_usd} columns) as {@code $0.38} with the exact
   * figure in a tooltip, timestamps to the minute in UTC, percentages with one decimal.
   */
  private static String cell(String column, Object v) {
    if (v instanceof BigDecimal d && column.endsWith("_usd")) {
      return " title=\"" + esc(d.toPlainString()) + "\">" + esc(money(d));
    }
    if (v instanceof Double d && column.endsWith("_pct")) {
      return ">" + String.format(Locale.ROOT, "%.1f%%", d);
    }
    if (v instanceof String text && INSTANT.matcher(text).matches()) {
      return " title=\"" + esc(text) + "\">" + esc(minute(Instant.parse(text)));
    }
    return ">" + esc(Render.textCell(v));
  }

  /**
   * US dollars for people: cents from one cent up ({@code $0.38}, {@code $1,234.50}), two significant digits
   * below ({@code $0.00046}), so a sub-cent call cost does not read as {@code $0.00}.
   */
  static String money(BigDecimal usd) {
    if (usd == null) {
      return "-";
    }
    BigDecimal abs = usd.abs();
    String digits;
    if (abs.signum() == 0 || abs.compareTo(CENT) >= 0) {
      digits = String.format(Locale.ROOT, "%,.2f", abs.setScale(2, RoundingMode.HALF_UP));
    } else {
      digits = abs.round(new MathContext(2, RoundingMode.HALF_UP)).stripTrailingZeros().toPlainString();
    }
    return (usd.signum() < 0 ? "-$" : "$") + digits;
  }

  /** An instant as {@code 2026-11-15 10:32} (UTC). */
  static String minute(Instant t) {
    return MINUTE.format(t);
  }

  static String esc(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(ch);
      }
    }
    return out.toString();
  }
}
