package io.finops4j;

import io.finops4j.api.spi.BudgetStore;
import io.finops4j.api.spi.BudgetStoreFactory;
import io.finops4j.api.spi.ConfigNode;
import io.finops4j.providers.Providers;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Turns configuration sections into the concern modules' objects. */
final class Wiring {

  private Wiring() {}

  /** The providers of {@code finops4j.providers}; the offline simulator is always among them. */
  static Providers providers(ConfigNode root) {
    return Providers.fromConfig(root.get("providers"));
  }

  /**
   * The budget store of {@code finops4j.budget.store}: {@code null} for {@code memory} (the default, one
   * instance's counters), else the store of the module that serves that name, e.g. {@code redis}.
   */
  static BudgetStore budgetStore(ConfigNode root) {
    ConfigNode budget = root.get("budget");
    String name = budget.get("store").asString("memory").trim();
    if (name.equals("memory")) {
      budget.allowKeys("store", "lease");
      return null;
    }
    List<String> available = new ArrayList<>(List.of("memory"));
    for (BudgetStoreFactory f : ServiceLoader.load(BudgetStoreFactory.class, Wiring.class.getClassLoader())) {
      if (f.name().equals(name)) {
        return f.create(budget);
      }
      available.add(f.name());
    }
    throw budget.get("store").error("no budget store named '" + name + "' is on the classpath (available: "
        + available + ")" + (name.equals("redis") ? "; add the dependency io.finops4j:sdk-budget-redis" : ""));
  }
}
