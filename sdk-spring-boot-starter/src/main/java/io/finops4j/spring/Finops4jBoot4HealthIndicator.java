package io.finops4j.spring;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code finops4j} health on Spring Boot 4.x, whose health API moved to {@code org.springframework.boot.health}.
 * Compiled against Boot 4's {@code spring-boot-health}; only loaded when that module is on the class path.
 */
final class Finops4jBoot4HealthIndicator implements HealthIndicator {

  private final Finops4jSettings settings;

  Finops4jBoot4HealthIndicator(Finops4jSettings settings) {
    this.settings = settings;
  }

  @Override
  public Health health() {
    return Health.up().withDetails(Finops4jHealth.details(settings)).build();
  }
}
