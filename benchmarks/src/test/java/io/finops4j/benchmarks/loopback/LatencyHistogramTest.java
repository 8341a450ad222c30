package io.finops4j.benchmarks.loopback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The side-by-side harness's p50 and p99 from a histogram: what the sorted latencies gave, to within 1/128. */
class LatencyHistogramTest {

  @Test
  void percentilesAreTheSortedValuesToWithinHalfABucket() {
    Random random = new Random(24);
    LatencyHistogram[] callers = {new LatencyHistogram(), new LatencyHistogram(), new LatencyHistogram()};
    long[] all = new long[300_000];
    for (int i = 0; i < all.length; i++) {
      // log-normal around 250 us with a tail to tens of ms, as a loopback round's latencies
      long v = (long) (250_000 * Math.exp(random.nextGaussian() * 1.2));
      all[i] = v;
      callers[i % 3].record(v);
    }
    LatencyHistogram merged = new LatencyHistogram();
    for (LatencyHistogram c : callers) {
      merged.add(c);
    }
    Arrays.sort(all);
    assertThat(merged.total()).isEqualTo(all.length);
    for (double q : new double[] {0.01, 0.5, 0.9, 0.99, 0.999, 1.0}) {
      double exact = all[(int) Math.ceil(q * all.length) - 1];
      assertThat(merged.percentile(q)).as("q %s", q).isCloseTo(exact, within(exact / 128));
    }
  }

  @Test
  void smallValuesAreExactAndEveryValueHasABucket() {
    LatencyHistogram h = new LatencyHistogram();
    for (long v = 0; v < 128; v++) {
      h.record(v);
      assertThat(LatencyHistogram.lowest(LatencyHistogram.index(v))).isEqualTo(v);
    }
    assertThat(h.percentile(0.5)).isEqualTo(63.0);
    for (long v : new long[] {128, 129, 255, 256, 1_000_000, 10_000_000_000L, Long.MAX_VALUE}) {
      int i = LatencyHistogram.index(v);
      assertThat(LatencyHistogram.lowest(i)).isLessThanOrEqualTo(v);
      assertThat(v - LatencyHistogram.lowest(i)).isLessThanOrEqualTo(v / 64);
    }
    h.record(Long.MAX_VALUE);
    assertThat(new LatencyHistogram().percentile(0.5)).isNaN();
  }
}
