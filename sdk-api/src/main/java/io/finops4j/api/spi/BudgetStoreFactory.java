package io.finops4j.api.spi;

/**
 * Creates a shared {@link BudgetStore} named by {@code finops4j.budget.store}. Modules that provide a store (such
 * as {@code sdk-budget-redis}) register one with {@link java.util.ServiceLoader}, so an application opts in by
 * adding the module, and the core never depends on it.
 */
public interface BudgetStoreFactory {

  /** The value of {@code finops4j.budget.store} this factory serves, e.g. {@code redis}. */
  String name();

  /** Builds the store from the {@code finops4j.budget} node; bad values fail with their key path. */
  BudgetStore create(ConfigNode budgetNode);
}
