package io.finops4j.spring;

import io.finops4j.api.Attribution;
import io.finops4j.api.spi.BudgetView;
import io.finops4j.api.spi.BudgetView.BudgetUsage;
import io.finops4j.core.PriceCatalog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code finops4j} actuator endpoint ({@code GET /actuator/finops4j}): the configured tiers and tasks, the
 * price-table version, the budgets with their spend, reservations and reset times (when a {@link BudgetView}
 * bean exists), and today's spend by feature and by model. Provider settings are never shown (they hold keys).
 */
@Endpoint(id = "finops4j")
public class Finops4jEndpoint {

  /** Rows per spend table. */
  static final int TOP = 20;

  private final Finops4jSettings settings;
  private final Supplier<BudgetView> budgets;
  private final SpendAggregator spend;
  private volatile String priceVersion;

  Finops4jEndpoint(Finops4jSettings settings, Supplier<BudgetView> budgets, SpendAggregator spend) {
    this.settings = settings;
    this.budgets = budgets;
    this.spend = spend;
  }

  /** The whole report, as JSON. */
  @ReadOperation
  public Map<String, Object> report() {
    Map<String, Object> tree = settings.tree();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("priceTableVersion", priceVersion());
    out.put("providers", List.copyOf(asMap(tree.get("providers")).keySet()));
    out.put("tiers", asMap(tree.get("tiers")));
    out.put("tasks", asMap(tree.get("tasks")));
    BudgetView view = budgets.get();
    if (view != null) {
      List<Map<String, Object>> rows = new ArrayList<>();
      List<BudgetUsage> tracked = view.tracked();
      for (BudgetUsage u : tracked.isEmpty() ? view.usage(Attribution.NONE) : tracked) {
        rows.add(budgetRow(u));
      }
      out.put("budgets", rows);
    } else {
      // No live view yet: show what is configured, so the policy is visible.
      out.put("budgets", tree.getOrDefault("budgets", List.of()));
    }
    out.put("spendToday", spend.snapshot(TOP));
    return out;
  }

  /**
   * One customer's budgets ({@code GET /actuator/finops4j/{customer}}): every budget that applies to the
   * customer, with its current window. Empty when no {@link BudgetView} bean exists.
   */
  @ReadOperation
  public Map<String, Object> customer(@Selector String customer) {
    BudgetView view = budgets.get();
    List<Map<String, Object>> rows = new ArrayList<>();
    if (view != null) {
      for (BudgetUsage u : view.usage(Attribution.builder().customer(customer).build())) {
        rows.add(budgetRow(u));
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("customer", customer);
    out.put("budgets", rows);
    return out;
  }

  private static Map<String, Object> budgetRow(BudgetUsage u) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", u.budgetId());
    row.put("scope", u.scope());
    row.put("key", u.key());
    row.put("unit", u.unit());
    row.put("limit", u.limit().toPlainString());
    row.put("spent", u.spent().toPlainString());
    row.put("reserved", u.reserved().toPlainString());
    row.put("utilization", u.utilization());
    row.put("resetsAt", u.resetsAt() == null ? null : u.resetsAt().toString());
    if (!u.known()) {
      row.put("known", false); // the shared store is unreachable: spent and reserved are this instance's only
    }
    return row;
  }

  private String priceVersion() {
    String v = priceVersion;
    if (v == null) {
      v = PriceCatalog.bundled().withPriceFile(settings.root().get("prices")).withOverrides(settings.root().get("models"))
          .version();
      priceVersion = v;
    }
    return v;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object o) {
    return o instanceof Map ? (Map<String, Object>) o : Map.of();
  }
}
