package io.finops4j.reports;

import java.util.Arrays;

/**
 * A growable list of {@code long} samples and their nearest-rank percentiles.
 *
 * <p>Nearest rank (the smallest sample with at least p% of samples at or below it) always returns a value that
 * occurred, so "p99 loop length 200 calls" names a real workflow length rather than an interpolation.
 */
final class Percentiles {

  private long[] values = new long[16];
  private int size;
  private boolean sorted = true;

  void add(long v) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = v;
    sorted = false;
  }

  int size() {
    return size;
  }

  /** The nearest-rank percentile, {@code p} in (0, 100]; 0 when there are no samples. */
  long percentile(double p) {
    if (size == 0) {
      return 0;
    }
    if (!sorted) {
      Arrays.sort(values, 0, size);
      sorted = true;
    }
    int rank = (int) Math.ceil(p / 100.0 * size);
    return values[Math.max(0, Math.min(size, rank) - 1)];
  }
}
