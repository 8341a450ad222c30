package io.finops4j.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Asserts that two showbacks hold the same figures: every field, money compared by exact value. */
final class SameShowback {

  private SameShowback() {}

  static void assertSame(ShowbackReport actual, ShowbackReport expected) {
    assertThat(expected.totals().calls()).as("the ledger has rows in the period").isPositive();
    assertThat(canonical(actual)).isEqualTo(canonical(expected));
  }

  /** Text of a value where money reads the same whatever its scale ({@code 0.10} and {@code 0.100000000}). */
  static String canonical(Object o) {
    if (o instanceof BigDecimal d) {
      return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
    }
    if (o instanceof Record r) {
      StringBuilder sb = new StringBuilder(r.getClass().getSimpleName()).append('(');
      for (RecordComponent c : r.getClass().getRecordComponents()) {
        try {
          sb.append(c.getName()).append('=').append(canonical(c.getAccessor().invoke(r))).append(", ");
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
      }
      return sb.append(')').toString();
    }
    if (o instanceof Map<?, ?> m) {
      Map<String, String> sorted = new TreeMap<>();
      m.forEach((k, v) -> sorted.put(String.valueOf(k), canonical(v)));
      return sorted.toString();
    }
    if (o instanceof Collection<?> c) {
      return c.stream().map(SameShowback::canonical).collect(Collectors.joining(",\n", "[", "]"));
    }
    return String.valueOf(o);
  }
}
