package io.finops4j.spring;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/** {@code finops4j} health on Spring Boot 3.x (Boot 4 has {@link Finops4jBoot4HealthIndicator}). */
final class Finops4jHealthIndicator implements HealthIndicator {

  private final Finops4jSettings settings;

  Finops4jHealthIndicator(Finops4jSettings settings) {
    this.settings = settings;
  }

  @Override
  public Health health() {
    return Health.up().withDetails(Finops4jHealth.details(settings)).build();
  }
}
