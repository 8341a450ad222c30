package io.finops4j.reports;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Showback over a period: who and what the money was spent on. Built by {@link Showback#run}.
 *
 * @param period the period reported; open ends are closed to the first and last day with calls
 * @param weekEnd the last day of the "last 7 days" window used for week-over-week change, or {@code null} when
 *     the period holds no calls
 * @param totals totals over the period
 * @param byDimension lines per value of {@code customer}, {@code feature}, {@code model}, {@code tier} (in that
 *     order), most expensive first
 * @param topWorkflows the most expensive workflows (sessions), most expensive first
 * @param tierMix share of calls and of cost per tier
 * @param tokensPerRequest input + output tokens per successful, uncached request, per feature
 * @param cache cache hits, misses and savings
 * @param loopLength calls per workflow, and the workflows above its p99
 * @param dailyCostByFeature cost per UTC day per feature (days without calls are absent)
 */
public record ShowbackReport(Period period, LocalDate weekEnd, Totals totals, Map<String, List<Line>> byDimension,
    List<WorkflowLine> topWorkflows, List<TierShare> tierMix, List<TokenPercentiles> tokensPerRequest,
    CacheStats cache, LoopLength loopLength, SortedMap<LocalDate, Map<String, BigDecimal>> dailyCostByFeature)
    implements ReportResult {

  public ShowbackReport {
    Map<String, List<Line>> dims = new LinkedHashMap<>();
    byDimension.forEach((k, v) -> dims.put(k, List.copyOf(v)));
    byDimension = Collections.unmodifiableMap(dims);
    topWorkflows = List.copyOf(topWorkflows);
    tierMix = List.copyOf(tierMix);
    tokensPerRequest = List.copyOf(tokensPerRequest);
    SortedMap<LocalDate, Map<String, BigDecimal>> daily = new TreeMap<>();
    dailyCostByFeature.forEach((d, m) -> daily.put(d, Collections.unmodifiableMap(new TreeMap<>(m))));
    dailyCostByFeature = Collections.unmodifiableSortedMap(daily);
  }

  /** Totals over the period. */
  public record Totals(long calls, long inputTokens, long outputTokens, BigDecimal costUsd, BigDecimal savedUsd) {}

  /**
   * One value of a dimension. {@code wowChangePct} is the change of the last 7 days against the 7 before, in
   * percent, or {@code null} when the earlier week cost nothing.
   */
  public record Line(String key, long calls, long inputTokens, long outputTokens, BigDecimal costUsd,
      BigDecimal last7dUsd, BigDecimal prev7dUsd, Double wowChangePct) {}

  /** One workflow (agent run or session). */
  public record WorkflowLine(String workflow, String customer, String feature, long calls, long inputTokens,
      long outputTokens, BigDecimal costUsd, Instant first, Instant last) {}

  /** One tier's share of calls and cost, shares in percent. */
  public record TierShare(String tier, long calls, double callSharePct, BigDecimal costUsd, double costSharePct) {}

  /** Nearest-rank percentiles of tokens per request for one feature. */
  public record TokenPercentiles(String feature, long requests, long p50, long p95, long p99) {}

  /** Cache outcome counts ({@code off} is not counted) and the money the hits saved. */
  public record CacheStats(long hits, long misses, double hitRatioPct, BigDecimal savedUsd) {}

  /** Calls per workflow: nearest-rank percentiles and the workflows strictly above p99, longest first. */
  public record LoopLength(long workflows, long p50, long p95, long p99, List<WorkflowLine> tail) {
    public LoopLength {
      tail = List.copyOf(tail);
    }
  }

  /** The line for {@code key} in {@code dimension}, or {@code null}. */
  public Line line(String dimension, String key) {
    return byDimension.getOrDefault(dimension, List.of()).stream().filter(l -> l.key().equals(key)).findFirst()
        .orElse(null);
  }

  @Override
  public String title() {
    return "finops4j showback " + period;
  }

  @Override
  public List<Table> tables() {
    List<Table> out = new ArrayList<>();
    out.add(Table.builder("Totals", "calls", "input_tokens", "output_tokens", "cost_usd", "saved_usd")
        .row(totals.calls, totals.inputTokens, totals.outputTokens, totals.costUsd, totals.savedUsd).build());
    byDimension.forEach((dim, lines) -> {
      Table.Builder t = Table.builder("By " + dim, dim, "calls", "input_tokens", "output_tokens", "cost_usd",
          "last_7d_usd", "prev_7d_usd", "wow_change_pct");
      lines.forEach(l -> t.row(l.key, l.calls, l.inputTokens, l.outputTokens, l.costUsd, l.last7dUsd, l.prev7dUsd,
          l.wowChangePct));
      out.add(t.build());
    });
    out.add(workflowTable("Top workflows", topWorkflows));
    Table.Builder tiers = Table.builder("Tier mix", "tier", "calls", "call_share_pct", "cost_usd", "cost_share_pct");
    tierMix.forEach(s -> tiers.row(s.tier, s.calls, s.callSharePct, s.costUsd, s.costSharePct));
    out.add(tiers.build());
    Table.Builder tokens = Table.builder("Tokens per request", "feature", "requests", "p50", "p95", "p99");
    tokensPerRequest.forEach(p -> tokens.row(p.feature, p.requests, p.p50, p.p95, p.p99));
    out.add(tokens.build());
    out.add(Table.builder("Cache", "hits", "misses", "hit_ratio_pct", "saved_usd")
        .row(cache.hits, cache.misses, cache.hitRatioPct, cache.savedUsd).build());
    out.add(Table.builder("Loop length (calls per workflow)", "workflows", "p50", "p95", "p99")
        .row(loopLength.workflows, loopLength.p50, loopLength.p95, loopLength.p99).build());
    out.add(workflowTable("Loop tail (above p99)", loopLength.tail));
    return out;
  }

  private static Table workflowTable(String title, List<WorkflowLine> lines) {
    Table.Builder t = Table.builder(title, "workflow", "customer", "feature", "calls", "input_tokens", "output_tokens",
        "cost_usd", "first", "last");
    lines.forEach(w -> t.row(w.workflow, w.customer, w.feature, w.calls, w.inputTokens, w.outputTokens, w.costUsd,
        w.first.toString(), w.last.toString()));
    return t.build();
  }

  @Override
  public List<String> notes() {
    return List.of("Days are UTC. Week-over-week compares the 7 days ending " + weekEnd + " with the 7 days before.",
        "Percentiles are nearest-rank. Tokens per request count input + output tokens of successful uncached calls.");
  }

  @Override
  public String toHtml() {
    return ShowbackHtml.render(this);
  }
}
