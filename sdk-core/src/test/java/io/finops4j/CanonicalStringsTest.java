package io.finops4j;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CanonicalStringsTest {

  @Test
  void equalValuesParsedFromTwoResponsesBecomeOneString() {
    String first = CanonicalStrings.of(new String("gpt-5-mini-2025-08-07"));
    String second = CanonicalStrings.of(new String("gpt-5-mini-2025-08-07"));
    assertThat(second).isSameAs(first).isEqualTo("gpt-5-mini-2025-08-07");
  }

  @Test
  void longValuesAndNullAreKeptAsTheyCame() {
    String longValue = "m".repeat(65);
    assertThat(CanonicalStrings.of(longValue)).isSameAs(longValue);
    assertThat(CanonicalStrings.of(new String(longValue))).isNotSameAs(longValue);
    assertThat(CanonicalStrings.of(null)).isNull();
  }

  @Test
  void aServerSendingEndlessDistinctValuesCannotGrowThePool() {
    for (int i = 0; i < 1_000; i++) {
      CanonicalStrings.of("model-" + i);
    }
    String late = "model-late-" + System.nanoTime();
    assertThat(CanonicalStrings.of(late)).isSameAs(late);
    assertThat(CanonicalStrings.of(new String(late))).isNotSameAs(late); // past the bound: not pooled
  }
}
