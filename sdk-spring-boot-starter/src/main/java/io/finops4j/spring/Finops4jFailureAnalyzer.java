package io.finops4j.spring;

import io.finops4j.api.ConfigException;
import java.util.Locale;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.Environment;

/**
 * Explains a bad {@code finops4j} section at start-up: the key path, what was expected, where the value came
 * from (file and line, when Spring knows it), and what to change, instead of a bean-creation stack trace.
 */
class Finops4jFailureAnalyzer extends AbstractFailureAnalyzer<ConfigException> {

  private final Environment environment;

  /** Spring Boot passes the environment when it creates the analyzer; {@code null} works too. */
  Finops4jFailureAnalyzer(Environment environment) {
    this.environment = environment;
  }

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, ConfigException cause) {
    String path = cause.path();
    String problem = cause.getMessage();
    if (path == null || path.isEmpty()) {
      return new FailureAnalysis("The finops4j configuration is invalid: " + problem,
          "Fix the finops4j section of your application properties (application.yaml or "
              + "application.properties) or the environment variables that set it.", cause);
    }
    if (problem.startsWith(path + ": ")) {
      problem = problem.substring(path.length() + 2);
    }
    StringBuilder description = new StringBuilder("The finops4j configuration is invalid.\n\n")
        .append("    Property: ").append(path).append('\n')
        .append("    Problem: ").append(problem).append('\n');
    String origin = origin(path);
    if (origin != null) {
      description.append("    Origin: ").append(origin).append('\n');
    }
    String action = "Change '" + path + "' in your application properties (or the environment variable "
        + envName(path) + ") so that it matches what is expected above. Every finops4j key is documented in "
        + "your IDE's completion and in the finops4j README.";
    return new FailureAnalysis(description.toString(), action, cause);
  }

  /** Where Spring read the value from, e.g. {@code class path resource [application.yaml] - 12:13}. */
  private String origin(String path) {
    if (environment == null || !ConfigurationPropertyName.isValid(path)) {
      return null;
    }
    // a list (tiers.small) has no value of its own: its first item says where it was written
    for (String candidate : new String[] {path, path + "[0]"}) {
      ConfigurationPropertyName name = ConfigurationPropertyName.of(candidate);
      for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
        ConfigurationProperty property = source.getConfigurationProperty(name);
        if (property != null) {
          return property.getOrigin() != null ? property.getOrigin().toString() : null;
        }
      }
    }
    return null;
  }

  /** Spring's environment-variable spelling of a property: finops4j.budgets[1].alert-at -> FINOPS4J_BUDGETS_1_ALERTAT. */
  static String envName(String path) {
    return path.replace("-", "").replace("[", ".").replace("]", "").replace('.', '_').toUpperCase(Locale.ROOT);
  }
}
