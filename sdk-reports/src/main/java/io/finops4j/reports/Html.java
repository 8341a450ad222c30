package io.finops4j.reports;

import java.util.List;

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
      .notes{color:#4a5566;font-size:12px}h1.section{font-size:19px;margin:40px 0 4px}
      @media print{body{margin:0;font-size:11px}h2{break-after:avoid}table,svg,.chart{break-inside:avoid}
      th{background:none}a{color:inherit;text-decoration:none}}
      """;

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
      out.append(numeric[c] ? "<th class=\"n\">" : "<th>").append(esc(t.columns().get(c))).append("</th>");
    }
    out.append("</tr></thead><tbody>\n");
    for (List<Object> row : t.rows()) {
      out.append("<tr>");
      for (int c = 0; c < numeric.length; c++) {
        out.append(numeric[c] ? "<td class=\"n\">" : "<td>").append(esc(Render.textCell(row.get(c)))).append("</td>");
      }
      out.append("</tr>\n");
    }
    if (t.rows().isEmpty()) {
      out.append("<tr><td colspan=\"").append(numeric.length).append("\">(none)</td></tr>\n");
    }
    return out.append("</tbody></table>\n").toString();
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
