package io.finops4j.reports.cli;

import io.finops4j.reports.ReportResult;

/** Output formats of every command. */
enum Format {
  table, json, csv, html;

  String render(ReportResult r) {
    return switch (this) {
      case table -> r.toText();
      case json -> r.toJson();
      case csv -> r.toCsv();
      case html -> r.toHtml();
    };
  }
}
