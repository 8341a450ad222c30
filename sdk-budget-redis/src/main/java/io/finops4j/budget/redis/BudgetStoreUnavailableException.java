package io.finops4j.budget.redis;

import io.finops4j.api.Finops4jException;

/**
 * A call was refused because the shared budget store (Redis) could not be reached and the store fails closed
 * ({@code on-unavailable: fail-closed}). Not a full budget: nothing is known about the budgets right now.
 */
public class BudgetStoreUnavailableException extends Finops4jException {

  private static final long serialVersionUID = 1L;

  private final String store;

  public BudgetStoreUnavailableException(String store, String message, Throwable cause) {
    super(message, cause);
    this.store = store;
  }

  /** Where the store lives, {@code host:port} (never credentials). */
  public String store() {
    return store;
  }
}
