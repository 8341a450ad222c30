package io.finops4j.reports;

import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;

/**
 * A period split into the whole UTC months it covers ({@code [first, end)}, either end open) and the days around
 * them: the ledger's token summary is kept per month, so a period is read from the summary for its whole months
 * and from the rows for the rest (none for a period of whole months, or for every day).
 */
record Months(Period period, LocalDate first, LocalDate end, boolean none) {

  static Months of(Period period) {
    LocalDate from = period.from();
    LocalDate to = period.to();
    LocalDate first = from == null ? null : from.getDayOfMonth() == 1 ? from : from.withDayOfMonth(1).plusMonths(1);
    LocalDate end = to == null ? null
        : to.equals(to.with(TemporalAdjusters.lastDayOfMonth())) ? to.plusDays(1) : to.withDayOfMonth(1);
    return new Months(period, first, end, first != null && end != null && !first.isBefore(end));
  }

  /** The condition on a summary's month column: the whole months. */
  String whole(String column) {
    if (none) {
      return "FALSE";
    }
    return (first == null ? "TRUE" : column + " >= DATE '" + first + "'") + " AND "
        + (end == null ? "TRUE" : column + " < DATE '" + end + "'");
  }

  /** The condition on the rows' {@code ts}: the period's days outside its whole months. */
  String rest(SqlShowback.Engine engine) {
    LocalDate from = period.from();
    LocalDate to = period.to();
    if (none) {
      return "ts >= " + engine.startOf(from) + " AND ts < " + engine.startOf(to.plusDays(1));
    }
    List<String> ranges = new ArrayList<>();
    if (from != null && from.isBefore(first)) {
      ranges.add("(ts >= " + engine.startOf(from) + " AND ts < " + engine.startOf(first) + ")");
    }
    if (to != null && !end.isAfter(to)) {
      ranges.add("(ts >= " + engine.startOf(end) + " AND ts < " + engine.startOf(to.plusDays(1)) + ")");
    }
    return ranges.isEmpty() ? "FALSE" : "(" + String.join(" OR ", ranges) + ")";
  }
}
