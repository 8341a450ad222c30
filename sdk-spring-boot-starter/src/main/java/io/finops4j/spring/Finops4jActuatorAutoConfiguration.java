package io.finops4j.spring;

import io.finops4j.api.Llm;
import io.finops4j.api.spi.BudgetView;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code finops4j} actuator endpoint and health indicator, each only when its part of Spring Boot
 * Actuator is on the class path and finops4j is configured.
 */
@AutoConfiguration(after = Finops4jAutoConfiguration.class)
@ConditionalOnClass(Llm.class)
@ConditionalOnBean(Finops4jSettings.class)
public class Finops4jActuatorAutoConfiguration {

  /**
   * The endpoint, and the listener that keeps today's spend for it (a {@code CallListener} bean: the
   * {@code Llm} registers every one).
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = {"org.springframework.boot.actuate.endpoint.annotation.Endpoint",
      "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint"})
  @ConditionalOnAvailableEndpoint(Finops4jEndpoint.class)
  static class EndpointConfiguration {

    @Bean
    @ConditionalOnMissingBean
    SpendAggregator finops4jSpendAggregator() {
      return new SpendAggregator(100);
    }

    @Bean
    @ConditionalOnMissingBean
    Finops4jEndpoint finops4jEndpoint(Finops4jSettings settings, ObjectProvider<BudgetView> budgets,
        ObjectProvider<Llm> llm, SpendAggregator aggregator) {
      // A BudgetView bean of the application's own wins; else the live budgets of the Llm.
      return new Finops4jEndpoint(settings, () -> {
        BudgetView view = budgets.getIfAvailable();
        Llm l = view == null ? llm.getIfAvailable() : null;
        return view != null ? view : l == null ? null : l.budgets();
      }, aggregator);
    }
  }

  /** {@code /actuator/health} shows {@code finops4j}, on Spring Boot 3.x. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = {"org.springframework.boot.actuate.health.HealthIndicator",
      "org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator"})
  @org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator("finops4j")
  static class HealthConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "finops4jHealthIndicator")
    Finops4jHealthIndicator finops4jHealthIndicator(Finops4jSettings settings) {
      return new Finops4jHealthIndicator(settings);
    }
  }

  /** {@code /actuator/health} shows {@code finops4j}, on Spring Boot 4.x (health lives in its own module). */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = {"org.springframework.boot.health.contributor.HealthIndicator",
      "org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator"})
  @org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator("finops4j")
  static class Boot4HealthConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "finops4jHealthIndicator")
    Finops4jBoot4HealthIndicator finops4jHealthIndicator(Finops4jSettings settings) {
      return new Finops4jBoot4HealthIndicator(settings);
    }
  }
}
