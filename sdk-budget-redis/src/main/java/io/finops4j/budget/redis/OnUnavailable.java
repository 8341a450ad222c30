package io.finops4j.budget.redis;

/**
 * What {@link RedisBudgetStore} does with a call while Redis cannot be reached (down, refusing connections, or
 * slower than the store's timeout).
 */
public enum OnUnavailable {

  /**
   * Refuse the call with a {@link BudgetStoreUnavailableException}: no spend the budgets cannot see. The default,
   * because a budget that silently stops counting is how runaway spend happens.
   */
  FAIL_CLOSED,

  /** Let every call through unchecked, log once per outage, and push what was spent into Redis when it returns. */
  FAIL_OPEN,

  /**
   * Enforce a share ({@code local-share}) of each limit in this instance's memory, and push what was spent into
   * Redis when it returns. With N instances an outage can spend up to N x share of a limit beyond what Redis saw.
   */
  LOCAL;

  /** The YAML spelling: {@code fail-closed}, {@code fail-open} or {@code local}. */
  public String yamlName() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
