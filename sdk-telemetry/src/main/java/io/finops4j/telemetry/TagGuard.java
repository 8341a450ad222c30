package io.finops4j.telemetry;

import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * Turns attribution ids into metric tag values with bounded cardinality: per dimension, either an explicit
 * allow-list or the top N values by spend; everything else folds into {@value TelemetryNames#OTHER}, and an
 * absent value is {@value TelemetryNames#NONE}. Full ids stay in spans and the ledger.
 */
final class TagGuard {

  private final Map<String, Set<String>> allowLists;
  private final Map<String, TopSpenders> top;

  TagGuard(Map<String, ? extends Collection<String>> allowLists, int topN) {
    this.allowLists = Map.copyOf(copy(allowLists));
    Map<String, TopSpenders> t = new java.util.HashMap<>();
    for (String dim : TelemetryNames.GUARDED_DIMENSIONS) {
      if (!this.allowLists.containsKey(dim)) {
        t.put(dim, new TopSpenders(topN));
      }
    }
    this.top = Map.copyOf(t);
  }

  /** The tag value for {@code value} of {@code dimension}, counting {@code spendNanos} towards its rank. */
  String tag(String dimension, String value, long spendNanos) {
    if (value == null) {
      return TelemetryNames.NONE;
    }
    Set<String> allowed = allowLists.get(dimension);
    if (allowed != null) {
      return allowed.contains(value) ? value : TelemetryNames.OTHER;
    }
    TopSpenders t = top.get(dimension);
    // +1 so that free calls (cache hits) still rank by count among equals
    t.add(value, Math.max(0, spendNanos) + 1);
    return t.isTop(value) ? value : TelemetryNames.OTHER;
  }

  /** The sketch of a top-N dimension, or {@code null} for an allow-listed one (for tests). */
  TopSpenders sketch(String dimension) {
    return top.get(dimension);
  }

  private static Map<String, Set<String>> copy(Map<String, ? extends Collection<String>> in) {
    Map<String, Set<String>> out = new java.util.HashMap<>();
    in.forEach((k, v) -> out.put(k, Set.copyOf(v)));
    return out;
  }
}
