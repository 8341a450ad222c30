package io.finops4j.benchmarks;

import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;

/** How the cost tools ({@code CallCost}, {@code ParseCost}, {@code RowCost}, ...) print a figure measured per round. */
public final class RoundFigures {

  private RoundFigures() {}

  /** The median of {@code values}, then their lowest and highest: {@code "412 (398-430)"}. */
  public static String of(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return String.format(Locale.ROOT, "%.0f (%.0f-%.0f)", v[v.length / 2], v[0], v[v.length - 1]);
  }

  /** {@link #of} over one column of the rounds' rows. */
  public static String column(Collection<double[]> rounds, int column) {
    return of(rounds.stream().mapToDouble(r -> r[column]).toArray());
  }
}
