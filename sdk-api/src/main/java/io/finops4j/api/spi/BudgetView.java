package io.finops4j.api.spi;

import io.finops4j.api.Attribution;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** Read-only view of the budgets that apply to an attribution, for routing and dashboards. */
@FunctionalInterface
public interface BudgetView {

  /** No budgets at all. */
  BudgetView NONE = attribution -> List.of();

  /** The current window of every budget that applies to {@code attribution}. */
  List<BudgetUsage> usage(Attribution attribution);

  /**
   * Every budget counter in its current window (each budget and scope value that has been charged), for
   * dashboards. May read the whole store: not for the hot path.
   */
  default List<BudgetUsage> tracked() {
    return List.of();
  }

  /**
   * The budgets that apply to {@code attribution} and have a {@code downgrade-at} fraction: what routing reads on
   * every call. Implementations backed by a remote store override it so that budgets without a downgrade
   * fraction cost no round trip.
   */
  default List<BudgetUsage> downgradable(Attribution attribution) {
    List<BudgetUsage> all = new java.util.ArrayList<>(usage(attribution));
    all.removeIf(u -> u.downgradeAt() <= 0);
    return all;
  }

  /**
   * One budget's current window.
   *
   * @param budgetId the budget's id
   * @param scope e.g. {@code customer} or {@code customer x feature}
   * @param key the scope value, e.g. {@code acme}; {@code null} for a global budget
   * @param unit {@code USD} or {@code tokens}
   * @param limit the limit in {@code unit}
   * @param spent settled spend in this window
   * @param reserved worst-case amounts held by calls in flight
   * @param resetsAt when the window ends, or {@code null}
   * @param downgradeAt the fraction of the limit past which routing should pick a cheaper tier, or 0 for never
   * @param known false when the budget's store could not be read (Redis unreachable): {@code spent} and
   *     {@code reserved} are then only this instance's local figures, not the budget's totals
   */
  record BudgetUsage(String budgetId, String scope, String key, String unit, BigDecimal limit, BigDecimal spent,
      BigDecimal reserved, Instant resetsAt, double downgradeAt, boolean known) {

    /** A usage read from its store. */
    public BudgetUsage(String budgetId, String scope, String key, String unit, BigDecimal limit, BigDecimal spent,
        BigDecimal reserved, Instant resetsAt, double downgradeAt) {
      this(budgetId, scope, key, unit, limit, spent, reserved, resetsAt, downgradeAt, true);
    }

    /** Spent (not reserved) over limit, 0..1+. */
    public double utilization() {
      return limit.signum() == 0 ? 1.0 : spent.doubleValue() / limit.doubleValue();
    }
  }
}
