package io.finops4j.spring;

import javax.sql.DataSource;
import io.finops4j.Finops4j;
import io.finops4j.api.Llm;
import io.finops4j.api.spi.CallEventListener;
import io.finops4j.api.spi.CallListener;
import io.finops4j.api.spi.Plugin;
import io.finops4j.core.ConfigLoader;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;

/**
 * Builds the {@link Llm} bean from the {@code finops4j.*} properties, when they are present (or
 * {@code finops4j.enabled=true}) and the application did not define its own {@code Llm}. Every
 * {@link Finops4jBuilderCustomizer} bean is applied to the builder before it builds, every bean of type
 * {@link CallEventListener.Factory} (or {@link CallListener}) listens to each call, in {@code @Order}, and every
 * {@link Plugin} bean plugs in (over a discovered plug-in of the same name). The application's
 * {@code DataSource}, {@code OpenTelemetry}, {@code MeterRegistry}, {@code ObservationRegistry} and
 * {@code CallObservationConvention} beans are handed to the plug-ins as components.
 *
 * <p>A bad {@code finops4j} section stops the application at start-up; {@code Finops4jFailureAnalyzer} turns
 * the error into the key path, what was expected and what to change.
 */
@AutoConfiguration
@ConditionalOnClass(Llm.class)
@Conditional(OnFinops4jConfigured.class)
public class Finops4jAutoConfiguration {

  /** Where configuration errors say the settings came from. */
  static final String SOURCE = "application properties";

  @Bean
  @ConditionalOnMissingBean
  Finops4jSettings finops4jSettings(Environment environment) {
    return new Finops4jSettings(ConfigLoader.of(SpringConfigTree.bind(environment), SOURCE));
  }

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  Llm finops4jLlm(Finops4jSettings settings, ObjectProvider<Finops4jBuilderCustomizer> customizers,
      ObjectProvider<DataSource> dataSource, ObjectProvider<CallEventListener.Factory> eventListeners,
      ObjectProvider<CallListener> callListeners, ObjectProvider<Plugin> plugins) {
    Finops4j.Builder builder = Finops4j.builder().config(settings.root());
    dataSource.ifUnique(builder::ledgerDataSource); // used by a jdbc ledger that names no url
    plugins.orderedStream().forEach(builder::plugin);
    eventListeners.orderedStream().forEach(builder::eventListener);
    callListeners.orderedStream().forEach(builder::listener);
    customizers.orderedStream().forEach(c -> c.customize(builder));
    return builder.build();
  }

  /**
   * The application's {@code OpenTelemetry} bean, when it has one; else the global one. A configuration of its
   * own, so that an application without the OpenTelemetry API (an optional dependency) never loads its types.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "io.opentelemetry.api.OpenTelemetry")
  static class OpenTelemetryConfiguration {

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    Finops4jBuilderCustomizer finops4jOpenTelemetry(ObjectProvider<io.opentelemetry.api.OpenTelemetry> otel) {
      return builder -> otel.ifAvailable(builder::openTelemetry);
    }
  }

  /** The application's {@code MeterRegistry}, when it has one; else Micrometer's global registry. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
  static class MicrometerConfiguration {

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    Finops4jBuilderCustomizer finops4jMeterRegistry(
        ObjectProvider<io.micrometer.core.instrument.MeterRegistry> registry) {
      return builder -> registry.ifAvailable(builder::meterRegistry);
    }
  }

  /**
   * The application's {@code ObservationRegistry}, when the application traces through Micrometer (a
   * {@code Tracer} bean: Boot's tracing bridge): each call becomes one {@code Observation}, so its timer and span
   * reach the app's own dashboards and tracer, next to Spring AI's; a {@code CallObservationConvention} bean
   * replaces the default naming. Without a Micrometer {@code Tracer} the registry would make no span, so finops4j
   * keeps its own OpenTelemetry span. A configuration of its own, so that an application without Micrometer
   * Tracing never loads its types.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = {"io.micrometer.observation.ObservationRegistry", "io.micrometer.tracing.Tracer"})
  static class ObservationConfiguration {

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    Finops4jBuilderCustomizer finops4jObservationRegistry(
        ObjectProvider<io.micrometer.observation.ObservationRegistry> registry,
        org.springframework.beans.factory.ListableBeanFactory beans,
        ObjectProvider<io.finops4j.telemetry.CallObservationConvention> convention) {
      return builder -> {
        // by name: Micrometer Tracing is the application's dependency, not ours
        Class<?> tracer = org.springframework.util.ClassUtils.resolveClassName("io.micrometer.tracing.Tracer",
            Finops4jAutoConfiguration.class.getClassLoader());
        if (beans.getBeanNamesForType(tracer).length > 0) {
          registry.ifAvailable(r -> {
            builder.observationRegistry(r);
            convention.ifAvailable(c -> builder.component(io.finops4j.telemetry.CallObservationConvention.class, c));
          });
        }
      };
    }
  }

  /**
   * Makes each servlet request's attribution current while it is handled, from the headers (and principal)
   * {@code finops4j.web} names, so {@code llm.complete(task, prompt)} and wrapped framework models deep in the
   * request's code are spent on it. A configuration of its own: apps without the servlet API never load it.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass(name = {"jakarta.servlet.Filter", "org.springframework.web.filter.OncePerRequestFilter"})
  @Conditional(OnWebAttributionConfigured.class)
  static class WebAttributionConfiguration {

    @Bean
    @ConditionalOnMissingBean
    AttributionFilter finops4jAttributionFilter(Finops4jSettings settings) {
      AttributionFilter filter = AttributionFilter.fromConfig(settings.root().get("web"));
      if (filter == null) {
        throw new io.finops4j.api.ConfigException("finops4j.web",
            "expected attribution-headers (e.g. { customer: X-Tenant-Id }) or principal-as-user: true");
      }
      return filter;
    }
  }
}
