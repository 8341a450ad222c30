package io.finops4j.reports;

import java.util.List;

/**
 * The immutable result of a report, renderable as an aligned text table, JSON, CSV or a self-contained HTML page.
 */
public interface ReportResult {

  /** A short title, e.g. {@code Showback 2026-11-01..2026-11-24}. */
  String title();

  /** The report's content as tables, in display order. */
  List<Table> tables();

  /** Assumptions and caveats printed under the tables (e.g. how a forecast was made). */
  default List<String> notes() {
    return List.of();
  }

  /** Aligned plain-text tables for a terminal. */
  default String toText() {
    return Render.text(this);
  }

  /** CSV: each table preceded by a {@code # title} line and separated by a blank line. */
  default String toCsv() {
    return Render.csv(this);
  }

  /** JSON: {@code {"title":..,"tables":{TITLE:[{COLUMN:VALUE,..},..]},"notes":[..]}}. */
  default String toJson() {
    return Render.json(this);
  }

  /** One self-contained HTML page (inline CSS, no scripts, no external resources). */
  default String toHtml() {
    return Html.page(title(), Html.tables(this));
  }
}
