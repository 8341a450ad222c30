package io.finops4j.api.spi;

import java.util.Objects;

/**
 * One counter that a call reserves against.
 *
 * @param key the counter
 * @param amount the worst case to hold, in the budget's unit (nano-USD or tokens), >= 0
 * @param limit the most {@code spent + reserved} may reach, or {@link #UNLIMITED} to count without enforcing
 *     (budgets that only alert or downgrade)
 * @param windowEnd the end of the key's window in epoch milliseconds: a store may forget the counter some time
 *     after it (a Redis store sets it as the key's expiry)
 */
public record BudgetCharge(BudgetKey key, long amount, long limit, long windowEnd) {

  /** A limit that never denies. */
  public static final long UNLIMITED = Long.MAX_VALUE;

  public BudgetCharge {
    Objects.requireNonNull(key, "key");
    if (amount < 0 || limit < 0) {
      throw new IllegalArgumentException("amount and limit cannot be negative");
    }
  }
}
