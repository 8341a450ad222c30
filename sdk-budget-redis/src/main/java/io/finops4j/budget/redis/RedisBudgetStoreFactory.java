package io.finops4j.budget.redis;

import io.finops4j.api.spi.BudgetStore;
import io.finops4j.api.spi.BudgetStoreFactory;
import io.finops4j.api.spi.ConfigNode;

/** Serves {@code finops4j.budget.store: redis}; found by {@link java.util.ServiceLoader}. */
public final class RedisBudgetStoreFactory implements BudgetStoreFactory {

  @Override
  public String name() {
    return "redis";
  }

  @Override
  public BudgetStore create(ConfigNode budgetNode) {
    return RedisBudgetStore.fromConfig(budgetNode);
  }
}
