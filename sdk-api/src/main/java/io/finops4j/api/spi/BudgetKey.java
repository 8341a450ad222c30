package io.finops4j.api.spi;

import java.util.Objects;

/**
 * The identity of one budget counter: which budget, which scope value, which window.
 *
 * @param budgetId the budget's id, e.g. {@code customer-month}
 * @param scopeKey the scope value, e.g. {@code acme}, or {@code acme/chat} for customer x feature, or
 *     {@code *} for a global budget
 * @param windowStart the start of the window in epoch milliseconds (windows of one budget never overlap)
 */
public record BudgetKey(String budgetId, String scopeKey, long windowStart) {

  public BudgetKey {
    Objects.requireNonNull(budgetId, "budgetId");
    Objects.requireNonNull(scopeKey, "scopeKey");
  }

  // written out: a record's own go through a method-handle chain, and each call looks its counters up by a new key
  @Override
  public boolean equals(Object o) {
    return this == o || o instanceof BudgetKey k && windowStart == k.windowStart && budgetId.equals(k.budgetId)
        && scopeKey.equals(k.scopeKey);
  }

  @Override
  public int hashCode() {
    return (31 * budgetId.hashCode() + scopeKey.hashCode()) * 31 + Long.hashCode(windowStart);
  }
}
