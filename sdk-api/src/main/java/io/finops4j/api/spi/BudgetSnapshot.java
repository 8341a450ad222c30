package io.finops4j.api.spi;

/**
 * One counter's state, in the budget's unit (nano-USD or tokens).
 *
 * @param key the counter
 * @param spent settled amounts
 * @param reserved worst cases held by calls in flight
 * @param known false when the store could not be read (a shared store that is unreachable): {@code spent} and
 *     {@code reserved} are then only what this instance knows locally, not the budget's totals
 */
public record BudgetSnapshot(BudgetKey key, long spent, long reserved, boolean known) {

  /** A snapshot read from the store. */
  public BudgetSnapshot(BudgetKey key, long spent, long reserved) {
    this(key, spent, reserved, true);
  }
}
