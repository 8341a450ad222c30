package io.finops4j.reports;

import io.finops4j.api.spi.CallRecord;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The calls budgets and caps refused before any network call: how many, on which days, for which customer and
 * feature. A refusal costs nothing, so showback alone never shows them; a FinOps review needs to see who was stopped.
 *
 * <pre>{@code
 * RejectionReport r = Rejections.run(records, Period.of(from, to));
 * }</pre>
 */
public final class Rejections {

  private Rejections() {}

  /** The refusals among {@code records} in {@code period}. */
  public static RejectionReport run(Iterable<CallRecord> records, Period period) {
    Map<LocalDate, long[]> byDay = new TreeMap<>();
    Map<List<String>, Long> byWho = new TreeMap<>((a, b) -> String.join("\u0000", a).compareTo(String.join("\u0000", b)));
    long budget = 0;
    long cap = 0;
    for (CallRecord r : records) {
      if (!period.contains(r.timestamp())) {
        continue;
      }
      boolean isBudget = CallRecord.REJECTED_BUDGET.equals(r.outcome());
      boolean isCap = CallRecord.REJECTED_CAP.equals(r.outcome());
      if (!isBudget && !isCap) {
        continue;
      }
      long[] day = byDay.computeIfAbsent(Period.day(r.timestamp()), d -> new long[2]);
      day[isBudget ? 0 : 1]++;
      budget += isBudget ? 1 : 0;
      cap += isCap ? 1 : 0;
      byWho.merge(List.of(orNone(r.attribution().customer()), orNone(r.attribution().feature()), r.outcome()), 1L,
          Long::sum);
    }
    return new RejectionReport(period, budget, cap, byDay, byWho);
  }

  private static String orNone(String s) {
    return s == null ? "(none)" : s;
  }

  /** What {@link Rejections#run} found. */
  public record RejectionReport(Period period, long byBudgets, long byCaps, Map<LocalDate, long[]> byDay,
      Map<List<String>, Long> byCustomerAndFeature) implements ReportResult {

    @Override
    public String title() {
      return "finops4j refusals " + period;
    }

    @Override
    public List<Table> tables() {
      Table.Builder days = Table.builder("Refused calls per day", "day", "by_budgets", "by_caps");
      byDay.forEach((day, n) -> days.row(day, n[0], n[1]));
      Table.Builder who = Table.builder("Refused calls by customer and feature", "customer", "feature", "outcome",
          "calls");
      List<Map.Entry<List<String>, Long>> rows = new ArrayList<>(byCustomerAndFeature.entrySet());
      rows.sort(Map.Entry.<List<String>, Long>comparingByValue().reversed());
      rows.forEach(e -> who.row(e.getKey().get(0), e.getKey().get(1), e.getKey().get(2), e.getValue()));
      return List.of(days.build(), who.build());
    }

    @Override
    public List<String> notes() {
      return List.of(byBudgets + " calls refused by budgets and " + byCaps + " by cost or workflow caps, each before"
          + " any network call (they cost nothing).");
    }
  }
}
