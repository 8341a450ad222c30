package io.finops4j.spring;

import java.util.List;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code finops4j} health: UP once the {@code Llm} was built (a bad configuration stops the application
 * instead), with the configured provider, tier and task names as details. Never a provider's settings: they
 * hold API keys.
 */
final class Finops4jHealthIndicator implements HealthIndicator {

  private final Finops4jSettings settings;

  Finops4jHealthIndicator(Finops4jSettings settings) {
    this.settings = settings;
  }

  @Override
  public Health health() {
    Map<String, Object> tree = settings.tree();
    return Health.up()
        .withDetail("providers", names(tree.get("providers")))
        .withDetail("tiers", names(tree.get("tiers")))
        .withDetail("tasks", names(tree.get("tasks")))
        .build();
  }

  private static List<String> names(Object section) {
    return section instanceof Map<?, ?> m ? m.keySet().stream().map(String::valueOf).toList() : List.of();
  }
}
