package io.finops4j.reports;

import io.finops4j.api.spi.CallRecord;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Computes a {@link ShowbackReport} in one pass over ledger records, holding aggregates only.
 *
 * <pre>{@code
 * try (Stream<CallRecord> rows = JsonlLedger.read(Path.of("ledger.jsonl"))) {
 *   ShowbackReport r = Showback.run(rows, Period.of(LocalDate.parse("2026-11-01"), LocalDate.parse("2026-11-30")));
 *   System.out.println(r.toText());
 * }
 * }</pre>
 */
public final class Showback {

  /** How many workflows the "top workflows" table lists by default. */
  public static final int DEFAULT_TOP = 20;

  static final String NONE = "(none)";
  private static final List<String> DIMENSIONS = List.of("customer", "feature", "model", "tier");

  private Showback() {}

  public static ShowbackReport run(Stream<CallRecord> records, Period period) {
    return run(records::iterator, period, DEFAULT_TOP);
  }

  public static ShowbackReport run(Iterable<CallRecord> records, Period period) {
    return run(records, period, DEFAULT_TOP);
  }

  /**
   * Showback of the records in {@code period}. Records up to 13 days before the period's last week still count
   * for week-over-week change, so pass the history too when you have it.
   */
  public static ShowbackReport run(Iterable<CallRecord> records, Period period, int top) {
    Map<String, Map<String, Agg>> dims = new LinkedHashMap<>();
    DIMENSIONS.forEach(d -> dims.put(d, new HashMap<>()));
    Map<String, Workflow> workflows = new HashMap<>();
    Map<String, Percentiles> tokens = new TreeMap<>();
    TreeMap<LocalDate, Map<String, BigDecimal>> daily = new TreeMap<>();
    long calls = 0;
    long in = 0;
    long out = 0;
    BigDecimal cost = BigDecimal.ZERO;
    BigDecimal saved = BigDecimal.ZERO;
    long hits = 0;
    long misses = 0;
    LocalDate firstDay = null;
    LocalDate lastDay = null;
    for (CallRecord r : records) {
      LocalDate day = Period.day(r.timestamp());
      if (period.to() != null && day.isAfter(period.to())) {
        continue;
      }
      boolean inPeriod = period.contains(day);
      String[] keys = {key(r.attribution().customer()), key(r.attribution().feature()),
          r.model() == null ? NONE : r.model().qualified(), key(r.tier())};
      for (int i = 0; i < keys.length; i++) {
        dims.get(DIMENSIONS.get(i)).computeIfAbsent(keys[i], k -> new Agg()).add(r, day, inPeriod);
      }
      if (!inPeriod) {
        continue;
      }
      firstDay = firstDay == null || day.isBefore(firstDay) ? day : firstDay;
      lastDay = lastDay == null || day.isAfter(lastDay) ? day : lastDay;
      calls++;
      in += r.usage().inputTokens();
      out += r.usage().outputTokens();
      cost = cost.add(r.costUsd());
      saved = saved.add(r.savedUsd());
      if ("hit".equals(r.cacheStatus())) {
        hits++;
      } else if ("miss".equals(r.cacheStatus())) {
        misses++;
      }
      daily.computeIfAbsent(day, d -> new HashMap<>()).merge(keys[1], r.costUsd(), BigDecimal::add);
      if (CallRecord.OK.equals(r.outcome()) && !"hit".equals(r.cacheStatus())) {
        tokens.computeIfAbsent(keys[1], k -> new Percentiles()).add(r.usage().totalTokens());
      }
      String wf = r.attribution().workflow();
      if (wf != null) {
        workflows.computeIfAbsent(wf, k -> new Workflow(wf, r)).add(r);
      }
    }
    LocalDate weekEnd = period.to() != null ? period.to() : lastDay;

    Map<String, List<ShowbackReport.Line>> byDimension = new LinkedHashMap<>();
    final BigDecimal totalCost = cost;
    dims.forEach((dim, aggs) -> {
      List<ShowbackReport.Line> lines = new ArrayList<>();
      aggs.forEach((k, a) -> {
        if (a.calls > 0) {
          lines.add(a.line(k, weekEnd));
        }
      });
      lines.sort(Comparator.comparing(ShowbackReport.Line::costUsd).reversed()
          .thenComparing(ShowbackReport.Line::key));
      byDimension.put(dim, lines);
    });

    List<ShowbackReport.TierShare> tierMix = new ArrayList<>();
    for (ShowbackReport.Line l : byDimension.get("tier")) {
      tierMix.add(new ShowbackReport.TierShare(l.key(), l.calls(), pct(l.calls(), calls), l.costUsd(),
          pct(l.costUsd(), totalCost)));
    }

    List<ShowbackReport.TokenPercentiles> perFeature = new ArrayList<>();
    tokens.forEach((f, p) -> perFeature.add(new ShowbackReport.TokenPercentiles(f, p.size(), p.percentile(50),
        p.percentile(95), p.percentile(99))));

    List<Workflow> all = new ArrayList<>(workflows.values());
    all.sort(Comparator.comparing((Workflow w) -> w.cost).reversed().thenComparing(w -> w.id));
    List<ShowbackReport.WorkflowLine> topWorkflows = all.stream().limit(top).map(Workflow::line).toList();
    Percentiles loop = new Percentiles();
    all.forEach(w -> loop.add(w.calls));
    long p99 = loop.percentile(99);
    List<ShowbackReport.WorkflowLine> tail = all.stream().filter(w -> w.calls > p99)
        .sorted(Comparator.comparingLong((Workflow w) -> w.calls).reversed().thenComparing(w -> w.id))
        .limit(top).map(Workflow::line).toList();
    ShowbackReport.LoopLength loopLength = new ShowbackReport.LoopLength(all.size(), loop.percentile(50),
        loop.percentile(95), p99, tail);

    Period shown = Period.of(period.from() != null ? period.from() : firstDay, weekEnd);
    return new ShowbackReport(shown, weekEnd, new ShowbackReport.Totals(calls, in, out, cost, saved), byDimension,
        topWorkflows, tierMix, perFeature,
        new ShowbackReport.CacheStats(hits, misses, pct(hits, hits + misses), saved), loopLength, daily);
  }

  static String key(String s) {
    return s == null ? NONE : s;
  }

  static double pct(long part, long whole) {
    return whole == 0 ? 0.0 : 100.0 * part / whole;
  }

  static double pct(BigDecimal part, BigDecimal whole) {
    return whole.signum() == 0 ? 0.0 : part.multiply(BigDecimal.valueOf(100)).divide(whole, 6, RoundingMode.HALF_UP)
        .doubleValue();
  }

  /** Change in percent, or {@code null} when the baseline is zero. */
  static Double change(BigDecimal now, BigDecimal before) {
    if (before.signum() == 0) {
      return null;
    }
    return now.subtract(before).multiply(BigDecimal.valueOf(100)).divide(before, 6, RoundingMode.HALF_UP)
        .doubleValue();
  }

  /** Running totals for one value of a dimension, plus its cost per day for the week-over-week windows. */
  private static final class Agg {
    long calls;
    long in;
    long out;
    BigDecimal cost = BigDecimal.ZERO;
    final Map<LocalDate, BigDecimal> costByDay = new HashMap<>();

    void add(CallRecord r, LocalDate day, boolean inPeriod) {
      costByDay.merge(day, r.costUsd(), BigDecimal::add);
      if (inPeriod) {
        calls++;
        in += r.usage().inputTokens();
        out += r.usage().outputTokens();
        cost = cost.add(r.costUsd());
      }
    }

    ShowbackReport.Line line(String key, LocalDate weekEnd) {
      BigDecimal last = BigDecimal.ZERO;
      BigDecimal prev = BigDecimal.ZERO;
      if (weekEnd != null) {
        for (Map.Entry<LocalDate, BigDecimal> e : costByDay.entrySet()) {
          long daysBack = weekEnd.toEpochDay() - e.getKey().toEpochDay();
          if (daysBack >= 0 && daysBack < 7) {
            last = last.add(e.getValue());
          } else if (daysBack >= 7 && daysBack < 14) {
            prev = prev.add(e.getValue());
          }
        }
      }
      return new ShowbackReport.Line(key, calls, in, out, cost, last, prev, change(last, prev));
    }
  }

  /** Running totals for one workflow. */
  private static final class Workflow {
    final String id;
    final String customer;
    final String feature;
    long calls;
    long in;
    long out;
    BigDecimal cost = BigDecimal.ZERO;
    Instant first;
    Instant last;

    Workflow(String id, CallRecord r) {
      this.id = id;
      this.customer = r.attribution().customer();
      this.feature = r.attribution().feature();
      this.first = r.timestamp();
      this.last = r.timestamp();
    }

    void add(CallRecord r) {
      calls++;
      in += r.usage().inputTokens();
      out += r.usage().outputTokens();
      cost = cost.add(r.costUsd());
      first = r.timestamp().isBefore(first) ? r.timestamp() : first;
      last = r.timestamp().isAfter(last) ? r.timestamp() : last;
    }

    ShowbackReport.WorkflowLine line() {
      return new ShowbackReport.WorkflowLine(id, customer, feature, calls, in, out, cost, first, last);
    }
  }
}
