package io.finops4j.api.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BudgetKeyTest {

  @Test
  void budgetKeysAreEqualByBudgetScopeAndWindow() {
    BudgetKey k = new BudgetKey("customer-day", "acme", 1_764_547_200_000L);
    assertThat(new BudgetKey("customer-day", "acme", 1_764_547_200_000L)).isEqualTo(k).hasSameHashCodeAs(k);
    assertThat(k).isNotEqualTo(new BudgetKey("customer-day", "acme", 1_764_633_600_000L))
        .isNotEqualTo(new BudgetKey("customer-day", "globex", 1_764_547_200_000L))
        .isNotEqualTo(new BudgetKey("customer-month", "acme", 1_764_547_200_000L));
  }
}
