package io.finops4j.benchmarks.loopback;

/**
 * One calling thread's call latencies, counted in buckets at most 1/64 of their value wide (64 per power of two,
 * exact below 128 ns), in one array made before the round: recording a call allocates nothing. The harness kept each
 * latency in an array it doubled as a round went on; those arrays lived through young collections and every one
 * copied them until they were old, in every client's JVM, which put megabytes of the harness into each client's GC
 * figures.
 */
final class LatencyHistogram {

  private static final int SUB_BITS = 6;
  private static final int SUB = 1 << SUB_BITS;

  /** Counts per bucket: every long value has one (the largest, 2^63 - 1, falls in the last). */
  private final long[] counts = new long[(Long.SIZE - SUB_BITS) * SUB];
  private long total;

  void record(long nanos) {
    counts[index(Math.max(0, nanos))]++;
    total++;
  }

  /** Adds {@code other}'s counts to this one's. */
  void add(LatencyHistogram other) {
    for (int i = 0; i < counts.length; i++) {
      counts[i] += other.counts[i];
    }
    total += other.total;
  }

  long total() {
    return total;
  }

  /**
   * The value at quantile {@code q} (0.99: the one 99% of calls do not exceed, the rank {@code ceil(q * total)} as the
   * sorted array gave it), as the middle of its bucket; NaN when nothing was recorded.
   */
  double percentile(double q) {
    if (total == 0) {
      return Double.NaN;
    }
    long rank = Math.max(1, (long) Math.ceil(q * total));
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) {
        long low = lowest(i);
        return low + (width(i) - 1) / 2.0;
      }
    }
    throw new IllegalStateException("rank " + rank + " past " + total + " values");
  }

  static int index(long v) {
    if (v < 2 * SUB) {
      return (int) v;
    }
    int shift = 63 - Long.numberOfLeadingZeros(v) - SUB_BITS;
    return (shift + 1) * SUB + (int) (v >>> shift) - SUB;
  }

  /** The smallest value counted in bucket {@code i}. */
  static long lowest(int i) {
    if (i < 2 * SUB) {
      return i;
    }
    int shift = i / SUB - 1;
    return (long) (i % SUB + SUB) << shift;
  }

  private static long width(int i) {
    return i < 2 * SUB ? 1 : 1L << (i / SUB - 1);
  }
}
