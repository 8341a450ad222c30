package io.finops4j.reports;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts of {@code long} samples by value, and their nearest-rank percentiles.
 *
 * <p>Nearest rank (the smallest sample with at least p% of samples at or below it) always returns a value that
 * occurred, so "p99 loop length 200 calls" names a real workflow length rather than an interpolation. Samples are
 * kept as counts per distinct value: token totals and loop lengths repeat, so memory stays flat however many rows
 * a ledger has, and a database can hand over its {@code GROUP BY value} counts as they are.
 */
final class Percentiles {

  private final Map<Long, long[]> counts = new HashMap<>();
  private long size;

  void add(long v) {
    add(v, 1);
  }

  void add(long v, long count) {
    counts.computeIfAbsent(v, k -> new long[1])[0] += count;
    size += count;
  }

  long size() {
    return size;
  }

  /** The nearest-rank percentile, {@code p} in (0, 100]; 0 when there are no samples. */
  long percentile(double p) {
    if (size == 0) {
      return 0;
    }
    long rank = Math.max(1, Math.min(size, (long) Math.ceil(p / 100.0 * size)));
    long seen = 0;
    for (Map.Entry<Long, long[]> e : new TreeMap<>(counts).entrySet()) {
      seen += e.getValue()[0];
      if (seen >= rank) {
        return e.getKey();
      }
    }
    throw new IllegalStateException("unreachable: rank " + rank + " of " + size);
  }
}
