package io.finops4j.reports;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The running sums of a showback, fed either one ledger row at a time ({@link Showback#run}) or one group at a time
 * by a database that did the {@code GROUP BY} ({@link SqlShowback}). Both feed the same sums and finish the same
 * way, so every path reports the same numbers. It holds aggregates only: per dimension value and day, per feature
 * and token count, and a bounded list of workflows.
 */
final class ShowbackAggregator {

  static final List<String> DIMENSIONS = List.of("customer", "feature", "model", "tier");

  /** Most expensive first; ties by id, so the list does not depend on the order rows arrive in. */
  private static final Comparator<ShowbackReport.WorkflowLine> BY_COST = Comparator
      .comparing(ShowbackReport.WorkflowLine::costUsd).reversed().thenComparing(ShowbackReport.WorkflowLine::workflow);
  /** Longest first, ties by id: the order of the loop tail. */
  private static final Comparator<ShowbackReport.WorkflowLine> BY_CALLS = Comparator
      .comparingLong(ShowbackReport.WorkflowLine::calls).reversed().thenComparing(ShowbackReport.WorkflowLine::workflow);

  private final Period period;
  private final int top;
  private final Map<String, Map<String, Agg>> dims = new LinkedHashMap<>();
  private final Map<String, Percentiles> tokens = new TreeMap<>();
  private final TreeMap<LocalDate, Map<String, BigDecimal>> daily = new TreeMap<>();
  private final Percentiles loop = new Percentiles();
  // Reversed orders: the head is the line to drop when a better one arrives.
  private final PriorityQueue<ShowbackReport.WorkflowLine> topByCost;
  private final PriorityQueue<ShowbackReport.WorkflowLine> topByCalls;
  private long calls;
  private long in;
  private long out;
  private BigDecimal cost = BigDecimal.ZERO;
  private BigDecimal saved = BigDecimal.ZERO;
  private long hits;
  private long misses;
  private LocalDate firstDay;
  private LocalDate lastDay;

  ShowbackAggregator(Period period, int top) {
    this.period = period;
    this.top = top;
    DIMENSIONS.forEach(d -> dims.put(d, new HashMap<>()));
    topByCost = new PriorityQueue<>(BY_COST.reversed());
    topByCalls = new PriorityQueue<>(BY_CALLS.reversed());
  }

  /**
   * Calls of one value of a dimension on one day. Days before the period count only towards week-over-week
   * change; the caller leaves out days after it.
   */
  void dimension(String dimension, String key, LocalDate day, long n, long inTokens, long outTokens,
      BigDecimal usd) {
    dims.get(dimension).computeIfAbsent(key, k -> new Agg()).add(day, period.contains(day), n, inTokens, outTokens,
        usd);
  }

  /** Calls of one feature on one day inside the period: the totals, the cache counts and the daily chart. */
  void inPeriod(LocalDate day, String feature, long n, long inTokens, long outTokens, BigDecimal usd,
      BigDecimal savedUsd, long cacheHits, long cacheMisses) {
    firstDay = firstDay == null || day.isBefore(firstDay) ? day : firstDay;
    lastDay = lastDay == null || day.isAfter(lastDay) ? day : lastDay;
    calls += n;
    in += inTokens;
    out += outTokens;
    cost = cost.add(usd);
    saved = saved.add(savedUsd);
    hits += cacheHits;
    misses += cacheMisses;
    daily.computeIfAbsent(day, d -> new HashMap<>()).merge(feature, usd, BigDecimal::add);
  }

  /** {@code n} successful uncached requests of {@code feature} with {@code totalTokens} tokens each. */
  void tokens(String feature, long totalTokens, long n) {
    tokens.computeIfAbsent(feature, k -> new Percentiles()).add(totalTokens, n);
  }

  /** One whole workflow (all its calls in the period). */
  void workflow(String id, String customer, String feature, long n, long inTokens, long outTokens, BigDecimal usd,
      Instant first, Instant last) {
    loopLengths(n, 1);
    candidate(new ShowbackReport.WorkflowLine(id, customer, feature, n, inTokens, outTokens, usd, first, last));
  }

  /** {@code workflows} whole workflows of {@code n} calls each: the loop-length percentiles only. */
  void loopLengths(long n, long workflows) {
    loop.add(n, workflows);
  }

  /**
   * A workflow that may be listed (top by cost or by calls), for sources that count loop lengths apart
   * ({@link #loopLengths}) and send only the candidates, ties at the cut included.
   */
  void candidate(ShowbackReport.WorkflowLine line) {
    keep(topByCost, line);
    keep(topByCalls, line);
  }

  /** The ids of the workflows that will be listed (top by cost, and the longest for the loop tail). */
  Set<String> listedWorkflows() {
    Set<String> ids = new TreeSet<>();
    topByCost.forEach(w -> ids.add(w.workflow()));
    topByCalls.forEach(w -> ids.add(w.workflow()));
    return ids;
  }

  /** Sets the customer and feature of a listed workflow, for sources that name them only on request. */
  void owner(String id, String customer, String feature) {
    for (PriorityQueue<ShowbackReport.WorkflowLine> best : List.of(topByCost, topByCalls)) {
      List<ShowbackReport.WorkflowLine> lines = new ArrayList<>(best);
      best.clear();
      lines.forEach(w -> best.add(!w.workflow().equals(id) ? w : new ShowbackReport.WorkflowLine(id, customer,
          feature, w.calls(), w.inputTokens(), w.outputTokens(), w.costUsd(), w.first(), w.last())));
    }
  }

  private void keep(PriorityQueue<ShowbackReport.WorkflowLine> best, ShowbackReport.WorkflowLine line) {
    best.add(line);
    if (best.size() > top) {
      best.poll();
    }
  }

  ShowbackReport finish() {
    LocalDate weekEnd = period.to() != null ? period.to() : lastDay;
    Map<String, List<ShowbackReport.Line>> byDimension = new LinkedHashMap<>();
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
      tierMix.add(new ShowbackReport.TierShare(l.key(), l.calls(), Showback.pct(l.calls(), calls), l.costUsd(),
          Showback.pct(l.costUsd(), cost)));
    }

    List<ShowbackReport.TokenPercentiles> perFeature = new ArrayList<>();
    tokens.forEach((f, p) -> perFeature.add(new ShowbackReport.TokenPercentiles(f, p.size(), p.percentile(50),
        p.percentile(95), p.percentile(99))));

    List<ShowbackReport.WorkflowLine> topWorkflows = topByCost.stream().sorted(BY_COST).toList();
    long p99 = loop.percentile(99);
    // The tail is the longest workflows above p99: a prefix of the longest `top`, so those are all it needs.
    List<ShowbackReport.WorkflowLine> tail = topByCalls.stream().filter(w -> w.calls() > p99).sorted(BY_CALLS)
        .toList();
    ShowbackReport.LoopLength loopLength = new ShowbackReport.LoopLength(loop.size(), loop.percentile(50),
        loop.percentile(95), p99, tail);

    Period shown = Period.of(period.from() != null ? period.from() : firstDay, weekEnd);
    return new ShowbackReport(shown, weekEnd, new ShowbackReport.Totals(calls, in, out, cost, saved), byDimension,
        topWorkflows, tierMix, perFeature,
        new ShowbackReport.CacheStats(hits, misses, Showback.pct(hits, hits + misses), saved), loopLength, daily);
  }

  /** Running totals for one value of a dimension, plus its cost per day for the week-over-week windows. */
  private static final class Agg {
    long calls;
    long in;
    long out;
    BigDecimal cost = BigDecimal.ZERO;
    final Map<LocalDate, BigDecimal> costByDay = new HashMap<>();

    void add(LocalDate day, boolean inPeriod, long n, long inTokens, long outTokens, BigDecimal usd) {
      costByDay.merge(day, usd, BigDecimal::add);
      if (inPeriod) {
        calls += n;
        in += inTokens;
        out += outTokens;
        cost = cost.add(usd);
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
      return new ShowbackReport.Line(key, calls, in, out, cost, last, prev, Showback.change(last, prev));
    }
  }
}
