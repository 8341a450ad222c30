package io.finops4j.budget;

import io.finops4j.api.ConfigException;
import io.finops4j.api.spi.ConfigNode;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads this module's part of the {@code finops4j:} tree: {@code budgets}, {@code workflow-caps},
 * {@code tasks.<name>.max-cost-per-request} and {@code budget.lease}. Every bad value fails with its key path.
 */
final class BudgetConfig {

  private static final Duration DEFAULT_IDLE_EXPIRY = Duration.ofHours(1);

  private BudgetConfig() {}

  static BudgetInterceptor.Builder read(ConfigNode root, BudgetInterceptor.Builder b) {
    List<ConfigNode> entries = root.get("budgets").asList();
    Map<String, String> seen = new LinkedHashMap<>();
    for (ConfigNode entry : entries) {
      Budget budget = budget(entry);
      String previous = seen.put(budget.id(), entry.path());
      if (previous != null) {
        throw entry.error("budget id '" + budget.id() + "' is already used by " + previous
            + "; set an explicit id on one of them");
      }
      b.budget(budget);
    }
    ConfigNode caps = root.get("workflow-caps");
    if (caps.isPresent()) {
      caps.allowKeys("max-calls", "max-cost", "idle-expiry");
      long maxCalls = caps.get("max-calls").asLong(0, 0, 1_000_000_000);
      BigDecimal maxCost = positive(caps.get("max-cost"));
      Duration idle = caps.get("idle-expiry").asDuration(DEFAULT_IDLE_EXPIRY, Duration.ZERO, Duration.ofDays(365));
      if (idle.isZero() || idle.isNegative()) {
        throw caps.get("idle-expiry").error("must be a positive duration, got " + idle);
      }
      b.workflowCaps(maxCalls, maxCost, idle);
    }
    // other keys of a task belong to routing and caching: read only ours, check none
    for (Map.Entry<String, ConfigNode> task : root.get("tasks").asMap().entrySet()) {
      BigDecimal cap = positive(task.getValue().get("max-cost-per-request"));
      if (cap != null) {
        b.taskCap(task.getKey(), cap);
      }
    }
    ConfigNode lease = root.get("budget").get("lease");
    if (lease.isPresent()) {
      Duration d = lease.asDuration(null, Duration.ZERO, Duration.ofDays(1));
      if (d.isZero() || d.isNegative()) {
        throw lease.error("must be a positive duration, got " + d);
      }
      b.lease(d);
    }
    return b;
  }

  private static Budget budget(ConfigNode node) {
    if (!(node.raw() instanceof Map)) {
      throw node.error("expected a budget, a map with at least a limit, e.g. { scope: customer, limit: 50.00, "
          + "period: month }");
    }
    node.allowKeys("id", "scope", "match", "limit", "unit", "period", "zone", "alert-at", "downgrade-at",
        "on-exceed");
    Budget.Builder b = Budget.builder();
    ConfigNode id = node.get("id");
    if (id.isPresent()) {
      if (id.asString().isBlank()) {
        throw id.error("budget id cannot be blank");
      }
      b.id(id.asString().trim());
    }
    ConfigNode scope = node.get("scope");
    List<String> dims = new java.util.ArrayList<>();
    for (ConfigNode part : scope.asList()) {
      for (String d : part.asString().split(Budget.SCOPE_SEPARATOR)) {
        String dim = d.trim();
        if (dim.isEmpty() || dim.equalsIgnoreCase("global")) {
          continue;
        }
        if (!Budget.DIMENSIONS.contains(dim) && !(dim.startsWith("tag.") && dim.length() > 4)) {
          throw scope.error("unknown scope '" + dim + "'; expected global, or one or more of "
              + new java.util.TreeSet<>(Budget.DIMENSIONS) + " or tag.NAME, e.g. customer,feature");
        }
        if (dims.contains(dim)) {
          throw scope.error("names '" + dim + "' twice");
        }
        dims.add(dim);
      }
    }
    b.scope(dims.toArray(new String[0]));
    ConfigNode match = node.get("match");
    if (match.isPresent()) {
      if (dims.isEmpty()) {
        throw match.error("a global budget has nothing to match; set a scope such as customer");
      }
      if (match.raw() instanceof Map) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigNode> e : match.asMap().entrySet()) {
          if (!dims.contains(e.getKey())) {
            throw e.getValue().error("is not in the scope " + dims + " of this budget");
          }
          values.put(e.getKey(), e.getValue().asString());
        }
        b.match(values);
      } else if (dims.size() == 1) {
        b.match(match.asString());
      } else {
        throw match.error("scope " + dims + " has several dimensions: match with a map such as {"
            + dims.get(0) + ": acme}");
      }
    }
    ConfigNode unit = node.get("unit");
    Budget.Unit u = Budget.Unit.USD;
    if (unit.isPresent()) {
      u = unit.asOneOf(Set.of("usd", "tokens")).equals("tokens") ? Budget.Unit.TOKENS : Budget.Unit.USD;
    }
    b.unit(u);
    ConfigNode limit = node.get("limit").requirePresent();
    BigDecimal l = limit.asDecimal();
    if (l.signum() < 0) {
      throw limit.error("a limit cannot be negative, got " + l.toPlainString());
    }
    // counters are longs of nano-USD (or tokens): a larger limit could not be counted
    limit.asDecimal(null, BigDecimal.ZERO, u == Budget.Unit.TOKENS ? MAX_TOKENS : MAX_USD);
    if (u == Budget.Unit.TOKENS && l.stripTrailingZeros().scale() > 0) {
      throw limit.error("a token limit must be a whole number, got " + l.toPlainString());
    }
    b.limit(l);
    b.period(period(node.get("period")));
    ConfigNode zone = node.get("zone");
    if (zone.isPresent()) {
      try {
        b.zone(ZoneId.of(zone.asString().trim()));
      } catch (DateTimeException e) {
        throw zone.error("unknown time zone '" + zone.asString() + "'; expected a region such as Europe/Berlin or "
            + "an offset such as +01:00");
      }
    }
    ConfigNode alertAt = node.get("alert-at");
    List<ConfigNode> items = alertAt.asList();
    double[] fractions = new double[items.size()];
    for (int i = 0; i < fractions.length; i++) {
      fractions[i] = fraction(items.get(i), false);
    }
    b.alertAt(fractions);
    ConfigNode downgradeAt = node.get("downgrade-at");
    if (downgradeAt.isPresent()) {
      b.downgradeAt(fraction(downgradeAt, true));
    }
    ConfigNode onExceed = node.get("on-exceed");
    if (onExceed.isPresent()) {
      switch (onExceed.asOneOf(Set.of("reject", "downgrade", "alert-only"))) {
        case "downgrade": b.onExceed(Budget.OnExceed.DOWNGRADE); break;
        case "alert-only": b.onExceed(Budget.OnExceed.ALERT_ONLY); break;
        default: b.onExceed(Budget.OnExceed.REJECT); break;
      }
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw node.error(e.getMessage());
    }
  }

  private static BudgetPeriod period(ConfigNode node) {
    if (!node.isPresent()) {
      return BudgetPeriod.month();
    }
    BudgetPeriod calendar = BudgetPeriod.calendar(node.asString());
    if (calendar != null) {
      return calendar;
    }
    Duration d;
    try {
      d = node.asDuration();
    } catch (ConfigException e) {
      throw node.error("expected day, week, month or a duration such as 24h or 7d, got '" + node.asString() + "'");
    }
    if (d.compareTo(Duration.ofSeconds(1)) < 0 || d.compareTo(Duration.ofDays(366)) > 0) {
      throw node.error("a period must be from 1s to 366d, got '" + node.asString() + "'");
    }
    return BudgetPeriod.fixed(d);
  }

  private static double fraction(ConfigNode node, boolean atMostOne) {
    double v = node.asDouble();
    if (!(v > 0) || (atMostOne && v > 1) || Double.isInfinite(v)) {
      throw node.error("expected a fraction of the limit " + (atMostOne ? "between 0 and 1" : "above 0")
          + " (0.8 means 80%), got " + node.asString());
    }
    return v;
  }

  /** The largest USD amount a limit or cap may have: 10^9 USD is 10^18 nano-USD, within a long. */
  static final BigDecimal MAX_USD = new BigDecimal("1000000000");
  /** The largest token limit. */
  static final BigDecimal MAX_TOKENS = new BigDecimal("1000000000000000");

  private static BigDecimal positive(ConfigNode node) {
    if (!node.isPresent()) {
      return null;
    }
    BigDecimal v = node.asDecimal();
    if (v.signum() <= 0) {
      throw node.error("expected a positive amount in USD, got " + v.toPlainString());
    }
    return node.asDecimal(null, BigDecimal.ZERO, MAX_USD);
  }
}
