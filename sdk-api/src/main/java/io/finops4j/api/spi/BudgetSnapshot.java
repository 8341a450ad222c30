package io.finops4j.api.spi;

/**
 * One counter's state, in the budget's unit (nano-USD or tokens).
 *
 * @param key the counter
 * @param spent settled amounts
 * @param reserved worst cases held by calls in flight
 */
public record BudgetSnapshot(BudgetKey key, long spent, long reserved) {}
