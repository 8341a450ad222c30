package io.finops4j.reports;

import io.finops4j.api.ModelId;
import io.finops4j.api.ModelPrice;
import io.finops4j.api.spi.CallRecord;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What-if replay: re-prices the token usage recorded in the ledger with {@link ModelPrice#cost} (exact
 * {@code BigDecimal}) under another price list, or as if some calls had gone to another model.
 *
 * <pre>{@code
 * // What would support-reply have cost on Claude Haiku 4.5?
 * ReplayReport r = Replay.substitute(rows, period, "support-reply",
 *     ModelId.parse("anthropic/claude-haiku-4-5"), ModelPrice.of("1.00", "5.00"));
 * }</pre>
 */
public final class Replay {

  private Replay() {}

  /** Every call in {@code period} re-priced at {@code prices}; calls on a model without a price keep their cost. */
  public static ReplayReport reprice(Iterable<CallRecord> records, Period period, Map<ModelId, ModelPrice> prices) {
    Map<ModelId, ModelPrice> copy = Map.copyOf(prices);
    return run(records, period, "re-priced at another price list (" + copy.size() + " models)",
        r -> r.model() == null ? null : copy.get(r.model()), r -> r.model() != null);
  }

  /**
   * The calls of {@code feature} (every feature when {@code null}) in {@code period} priced as if {@code target}
   * had answered them with the same token counts; other calls keep their cost.
   */
  public static ReplayReport substitute(Iterable<CallRecord> records, Period period, String feature, ModelId target,
      ModelPrice targetPrice) {
    Objects.requireNonNull(target, "target model");
    Objects.requireNonNull(targetPrice, "price of " + target);
    String scenario = (feature == null ? "every feature" : feature) + " on " + target;
    return run(records, period, scenario, r -> targetPrice,
        r -> feature == null || feature.equals(r.attribution().feature()));
  }

  private static ReplayReport run(Iterable<CallRecord> records, Period period, String scenario, Function<CallRecord, ModelPrice> priceFor,
      Predicate<CallRecord> selected) {
    Map<String, long[]> counts = new TreeMap<>();
    Map<String, BigDecimal[]> money = new TreeMap<>();
    TreeSet<String> unpriced = new TreeSet<>();
    for (CallRecord r : records) {
      if (!period.contains(r.timestamp())) {
        continue;
      }
      String f = Showback.key(r.attribution().feature());
      long[] c = counts.computeIfAbsent(f, k -> new long[2]);
      BigDecimal[] m = money.computeIfAbsent(f, k -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
      c[0]++;
      BigDecimal replay = r.costUsd();
      if (selected.test(r)) {
        ModelPrice p = priceFor.apply(r);
        if (p != null) {
          replay = p.cost(r.usage());
          c[1]++;
        } else if (r.usage().totalTokens() > 0) {
          unpriced.add(r.model().qualified());
        }
      }
      m[0] = m[0].add(r.costUsd());
      m[1] = m[1].add(replay);
    }
    List<ReplayReport.Line> lines = new ArrayList<>();
    long calls = 0;
    long replayed = 0;
    BigDecimal actual = BigDecimal.ZERO;
    BigDecimal replay = BigDecimal.ZERO;
    for (Map.Entry<String, long[]> e : counts.entrySet()) {
      BigDecimal[] m = money.get(e.getKey());
      lines.add(line(e.getKey(), e.getValue()[0], e.getValue()[1], m[0], m[1]));
      calls += e.getValue()[0];
      replayed += e.getValue()[1];
      actual = actual.add(m[0]);
      replay = replay.add(m[1]);
    }
    lines.sort(Comparator.comparing((ReplayReport.Line l) -> l.differenceUsd().abs()).reversed()
        .thenComparing(ReplayReport.Line::feature));
    return new ReplayReport(period, scenario, lines, line("TOTAL", calls, replayed, actual, replay),
        new ArrayList<>(unpriced));
  }

  private static ReplayReport.Line line(String feature, long calls, long replayed, BigDecimal actual,
      BigDecimal replay) {
    return new ReplayReport.Line(feature, calls, replayed, actual, replay, replay.subtract(actual),
        Showback.change(replay, actual));
  }
}
