package io.finops4j.api;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Conversions between the API's {@code BigDecimal} USD and the {@code long} nano-USD that counters hold.
 *
 * <p>A nano-USD is 1e-9 USD: a {@code long} holds 9.2 billion USD, and the cheapest token price in the
 * catalog (0.01 USD per 1M tokens) is 10 nano-USD per token, so counters are exact for every price we know.
 */
public final class Money {

  private static final BigDecimal NANOS_PER_USD = BigDecimal.valueOf(1_000_000_000L);

  private Money() {}

  /** USD to nano-USD, rounding up: a worst-case reservation must never be smaller than the cost. */
  public static long toNanosCeil(BigDecimal usd) {
    return usd.multiply(NANOS_PER_USD).setScale(0, RoundingMode.CEILING).longValueExact();
  }

  /** USD to nano-USD, rounding half-up: for settled costs. */
  public static long toNanos(BigDecimal usd) {
    return usd.multiply(NANOS_PER_USD).setScale(0, RoundingMode.HALF_UP).longValueExact();
  }

  /** Nano-USD to USD, exact, with 9 decimal places. */
  public static BigDecimal fromNanos(long nanos) {
    return BigDecimal.valueOf(nanos, 9);
  }
}
