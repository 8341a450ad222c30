package io.finops4j.spring;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import javax.sql.DataSource;
import io.finops4j.Finops4j;
import io.finops4j.api.Llm;
import io.finops4j.core.ConfigLoader;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;

/**
 * Builds the {@link Llm} bean from the {@code finops4j.*} properties, when they are present (or
 * {@code finops4j.enabled=true}) and the application did not define its own {@code Llm}. Every
 * {@link Finops4jBuilderCustomizer} bean is applied to the builder before it builds.
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
      ObjectProvider<OpenTelemetry> openTelemetry, ObjectProvider<MeterRegistry> meterRegistry,
      ObjectProvider<DataSource> dataSource) {
    Finops4j.Builder builder = Finops4j.builder().config(settings.root());
    // The application's own observability beans, when it has them; else the global ones.
    openTelemetry.ifAvailable(builder::openTelemetry);
    meterRegistry.ifAvailable(builder::meterRegistry);
    dataSource.ifUnique(builder::ledgerDataSource); // used by a jdbc ledger that names no url
    customizers.orderedStream().forEach(c -> c.customize(builder));
    return builder.build();
  }
}
