package io.finops4j.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.finops4j.api.Attribution;
import io.finops4j.api.ConfigException;
import io.finops4j.api.spi.ConfigNode;
import io.finops4j.budget.Fakes.MutableClock;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BudgetConfigTest {

  private final MutableClock clock = new MutableClock("2026-11-24T10:00:00Z");

  private BudgetInterceptor read(Map<String, Object> finops4j) {
    return BudgetInterceptor.fromConfig(ConfigNode.root("app.yaml", "finops4j", finops4j), clock);
  }

  private ConfigException error(Map<String, Object> finops4j) {
    return catchThrowableOfType(ConfigException.class, () -> read(finops4j));
  }

  @SafeVarargs
  @SuppressWarnings("varargs") // only read, into an immutable list
  private static Map<String, Object> budgets(Map<String, Object>... entries) {
    return Map.of("budgets", List.of(entries));
  }

  private static Map<String, Object> entry(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void readsTheSchemaOfTheDesign() {
    Map<String, Object> root = new HashMap<>();
    root.put("tasks", Map.of(
        "classification", Map.of("tier", "small", "max-output-tokens", 50, "cache", Map.of("ttl", "1h")),
        "support-reply", Map.of("tier", "medium", "max-cost-per-request", 0.05)));
    root.put("budgets", List.of(
        entry("scope", "customer", "limit", 50.00, "period", "month", "alert-at", List.of(0.7, 0.9),
            "on-exceed", "reject"),
        entry("scope", "feature", "match", "support-reply", "limit", 2000, "period", "month", "downgrade-at", 0.8),
        entry("id", "acme-chat", "scope", List.of("customer", "feature"), "match",
            Map.of("customer", "acme", "feature", "chat"), "limit", "5", "period", "week", "zone", "Europe/Berlin",
            "on-exceed", "alert-only"),
        entry("scope", "user", "limit", 100000, "unit", "tokens", "period", "day"),
        entry("scope", "team x feature", "limit", 7),
        entry("limit", 1000, "period", "24h", "on-exceed", "downgrade")));
    root.put("workflow-caps", Map.of("max-calls", 40, "max-cost", "20.00", "idle-expiry", "30m"));

    BudgetInterceptor b = read(root);

    assertThat(b.budgets()).extracting(Budget::id).containsExactly("customer-month", "feature:support-reply-month",
        "acme-chat", "user-day-tokens", "team-feature-month", "global-24h");
    Budget customer = b.budgets().get(0);
    assertThat(customer.limit()).isEqualByComparingTo("50");
    assertThat(customer.alertAt()).containsExactly(0.7, 0.9);
    assertThat(customer.onExceed()).isEqualTo(Budget.OnExceed.REJECT);
    assertThat(customer.zone()).isEqualTo(ZoneId.of("UTC").normalized());
    assertThat(b.budgets().get(1).downgradeAt()).isEqualTo(0.8);
    Budget acmeChat = b.budgets().get(2);
    assertThat(acmeChat.scope()).isEqualTo("customer x feature");
    assertThat(acmeChat.match()).isEqualTo(Map.of("customer", "acme", "feature", "chat"));
    assertThat(acmeChat.period()).isEqualTo(BudgetPeriod.week());
    assertThat(acmeChat.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
    assertThat(acmeChat.onExceed()).isEqualTo(Budget.OnExceed.ALERT_ONLY);
    assertThat(b.budgets().get(3).unit()).isEqualTo(Budget.Unit.TOKENS);
    assertThat(b.budgets().get(4).dimensions()).containsExactly("team", "feature");
    assertThat(b.budgets().get(5).period()).isEqualTo(BudgetPeriod.fixed(Duration.ofHours(24)));
    assertThat(b.budgets().get(5).downgradeAt()).isEqualTo(1.0);
    assertThat(b.usage(Attribution.of("acme", "chat"))).extracting(u -> u.budgetId())
        .containsExactly("customer-month", "acme-chat", "global-24h");
  }

  @Test
  void readsOnlyMaxCostPerRequestFromTasks() {
    Map<String, Object> root = Map.of("tasks", Map.of("support-reply",
        Map.of("tier", "medium", "max-cost-per-request", "0.05", "anything-else", true)));

    BudgetInterceptor b = read(root);

    assertThat(b).isNotNull();
    assertThat(error(Map.of("tasks", Map.of("t", Map.of("max-cost-per-request", "-1")))).getMessage())
        .isEqualTo("finops4j.tasks.t.max-cost-per-request: expected a positive amount in USD, got -1 (in app.yaml)");
  }

  @Test
  void anUnknownKeyIsNamedWithItsPath() {
    assertThat(error(budgets(entry("scope", "customer", "limt", 50))).getMessage())
        .startsWith("finops4j.budgets[0].limt: unknown key; expected one of [alert-at, downgrade-at, id, limit, match, "
            + "on-exceed, period, scope, unit, zone]");
    assertThat(error(Map.of("workflow-caps", Map.of("max-call", 40))).path()).isEqualTo("finops4j.workflow-caps.max-call");
  }

  @Test
  void aBadPeriodIsNamedWithItsPath() {
    ConfigException e = error(budgets(entry("limit", 5), entry("limit", 5, "period", "fortnight")));

    assertThat(e.path()).isEqualTo("finops4j.budgets[1].period");
    assertThat(e.getMessage()).isEqualTo("finops4j.budgets[1].period: expected day, week, month or a duration such "
        + "as 24h or 7d, got 'fortnight' (in app.yaml)");
  }

  @Test
  void aBadScopeIsNamedWithItsPath() {
    ConfigException e = error(budgets(entry("scope", "customer,tenant", "limit", 5)));

    assertThat(e.path()).isEqualTo("finops4j.budgets[0].scope");
    assertThat(e.getMessage()).contains("unknown scope 'tenant'", "customer", "feature", "workflow");
  }

  @Test
  void aNegativeLimitIsNamedWithItsPath() {
    ConfigException e = error(budgets(entry("scope", "customer", "limit", "-5")));

    assertThat(e.getMessage()).isEqualTo("finops4j.budgets[0].limit: a limit cannot be negative, got -5 (in app.yaml)");
  }

  @Test
  void otherMistakesAreNamedWithTheirPaths() {
    assertThat(error(budgets(entry("scope", "customer"))).getMessage())
        .isEqualTo("finops4j.budgets[0].limit: required value is missing (in app.yaml)");
    assertThat(error(budgets(entry("scope", "customer", "limit", "lots"))).path()).isEqualTo("finops4j.budgets[0].limit");
    assertThat(error(budgets(entry("scope", "customer", "limit", 5, "zone", "Mars/Olympus"))).getMessage())
        .startsWith("finops4j.budgets[0].zone: unknown time zone 'Mars/Olympus'");
    assertThat(error(budgets(entry("scope", "customer", "limit", 5, "alert-at", List.of(0.7, 0))))
        .path()).isEqualTo("finops4j.budgets[0].alert-at[1]");
    assertThat(error(budgets(entry("scope", "customer", "limit", 5, "downgrade-at", 1.5))).path())
        .isEqualTo("finops4j.budgets[0].downgrade-at");
    assertThat(error(budgets(entry("scope", "customer", "limit", 5, "on-exceed", "explode"))).getMessage())
        .contains("finops4j.budgets[0].on-exceed", "[alert-only, downgrade, reject]");
    assertThat(error(budgets(entry("scope", "customer", "limit", 5, "match", Map.of("team", "x")))).path())
        .isEqualTo("finops4j.budgets[0].match.team");
    assertThat(error(budgets(entry("scope", "customer,feature", "limit", 5, "match", "acme"))).getMessage())
        .contains("match with a map such as {customer: acme}");
    assertThat(error(budgets(entry("scope", "user", "limit", 10.5, "unit", "tokens"))).getMessage())
        .contains("finops4j.budgets[0].limit: a token limit must be a whole number");
    assertThat(error(budgets(entry("scope", "customer", "limit", 5), entry("scope", "customer", "limit", 6)))
        .getMessage()).isEqualTo("finops4j.budgets[1]: budget id 'customer-month' is already used by "
            + "finops4j.budgets[0]; set an explicit id on one of them (in app.yaml)");
    assertThat(error(Map.of("workflow-caps", Map.of("max-cost", 0))).path())
        .isEqualTo("finops4j.workflow-caps.max-cost");
  }

  @Test
  void theProgrammaticBuilderChecksTheSameThings() {
    assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> Budget.builder().scope("tenant").limit(BigDecimal.ONE).build())).hasMessageContaining("unknown scope 'tenant'");
    assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> Budget.builder().limit(new BigDecimal("-1")).build())).hasMessageContaining("limit cannot be negative");
    assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> BudgetInterceptor.builder().budget(Budget.builder().limit(BigDecimal.ONE)
        .build()).budget(Budget.builder().limit(BigDecimal.TEN).build()).build()))
        .hasMessageContaining("two budgets have the id 'global-month'");
  }
}
