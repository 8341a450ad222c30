package io.finops4j.reports;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/** Text, CSV and JSON renderings of a {@link ReportResult}. */
final class Render {

  /** Money in text tables: six decimals shows the price of a single small call; exact values are in CSV/JSON. */
  private static final int TEXT_MONEY_SCALE = 6;

  static final ObjectMapper JSON = JsonMapper.builder()
      .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .build();

  private Render() {}

  static String text(ReportResult r) {
    StringBuilder out = new StringBuilder();
    out.append(r.title()).append('\n').append("=".repeat(r.title().length())).append("\n\n");
    for (Table t : r.tables()) {
      out.append(t.title()).append('\n');
      int n = t.columns().size();
      int[] width = new int[n];
      boolean[] numeric = new boolean[n];
      for (int c = 0; c < n; c++) {
        width[c] = t.columns().get(c).length();
      }
      String[][] cells = new String[t.rows().size()][n];
      for (int i = 0; i < t.rows().size(); i++) {
        for (int c = 0; c < n; c++) {
          Object v = t.rows().get(i).get(c);
          cells[i][c] = t.columns().get(c).endsWith("_usd") ? money(v) : textCell(v);
          width[c] = Math.max(width[c], cells[i][c].length());
          numeric[c] |= v instanceof Number;
        }
      }
      appendRow(out, t.columns().toArray(new String[0]), width, numeric);
      StringBuilder rule = new StringBuilder();
      for (int c = 0; c < n; c++) {
        rule.append(c == 0 ? "" : "  ").append("-".repeat(width[c]));
      }
      out.append(rule).append('\n');
      for (String[] row : cells) {
        appendRow(out, row, width, numeric);
      }
      if (t.rows().isEmpty()) {
        out.append("(none)\n");
      }
      out.append('\n');
    }
    for (String note : r.notes()) {
      out.append("* ").append(note).append('\n');
    }
    return out.toString();
  }

  private static void appendRow(StringBuilder out, String[] cells, int[] width, boolean[] numeric) {
    StringBuilder line = new StringBuilder();
    for (int c = 0; c < cells.length; c++) {
      if (c > 0) {
        line.append("  ");
      }
      String pad = " ".repeat(width[c] - cells[c].length());
      line.append(numeric[c] ? pad + cells[c] : cells[c] + pad);
    }
    out.append(line.toString().stripTrailing()).append('\n');
  }

  /** Money columns share one scale so that their decimal points line up. */
  static String money(Object v) {
    return v instanceof BigDecimal d ? d.setScale(TEXT_MONEY_SCALE, RoundingMode.HALF_UP).toPlainString()
        : textCell(v);
  }

  static String textCell(Object v) {
    if (v == null) {
      return "-";
    }
    if (v instanceof BigDecimal d) {
      return d.scale() > TEXT_MONEY_SCALE ? d.setScale(TEXT_MONEY_SCALE, RoundingMode.HALF_UP).toPlainString()
          : d.toPlainString();
    }
    if (v instanceof Double d) {
      return String.format(Locale.ROOT, "%.2f", d);
    }
    return v.toString();
  }

  static String csv(ReportResult r) {
    StringBuilder out = new StringBuilder();
    boolean first = true;
    for (Table t : r.tables()) {
      if (!first) {
        out.append('\n');
      }
      first = false;
      out.append("# ").append(t.title()).append('\n');
      out.append(csvLine(t.columns()));
      for (List<Object> row : t.rows()) {
        out.append(csvLine(row));
      }
    }
    return out.toString();
  }

  private static String csvLine(List<?> cells) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        line.append(',');
      }
      line.append(csvCell(cells.get(i)));
    }
    return line.append('\n').toString();
  }

  /**
   * A CSV cell. Text starting with {@code = + - @}, a tab or a carriage return would run as a formula when the file
   * is opened in a spreadsheet: it gets a leading {@code '} (OWASP's advice); numbers are left as they are.
   */
  private static String csvCell(Object v) {
    String s = v == null ? "" : v instanceof BigDecimal d ? d.toPlainString() : v.toString();
    if (!(v instanceof Number) && !s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) {
      s = "'" + s;
    }
    if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
      return '"' + s.replace("\"", "\"\"") + '"';
    }
    return s;
  }

  static String json(ReportResult r) {
    ObjectNode root = JSON.createObjectNode();
    root.put("title", r.title());
    ObjectNode tables = root.putObject("tables");
    for (Table t : r.tables()) {
      ArrayNode rows = tables.putArray(t.title());
      for (List<Object> row : t.rows()) {
        ObjectNode o = rows.addObject();
        for (int c = 0; c < t.columns().size(); c++) {
          putCell(o, t.columns().get(c), row.get(c));
        }
      }
    }
    ArrayNode notes = root.putArray("notes");
    r.notes().forEach(notes::add);
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot render JSON", e);
    }
  }

  private static void putCell(ObjectNode o, String name, Object v) {
    if (v == null) {
      o.putNull(name);
    } else if (v instanceof BigDecimal d) {
      o.put(name, d);
    } else if (v instanceof Long l) {
      o.put(name, l);
    } else if (v instanceof Integer i) {
      o.put(name, i);
    } else if (v instanceof Double d) {
      o.put(name, d);
    } else if (v instanceof LocalDate d) {
      o.put(name, d.toString());
    } else {
      o.put(name, v.toString());
    }
  }

}
