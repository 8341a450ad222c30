package io.finops4j.api;

/**
 * Bad configuration, detected at start-up: names the source, the key path and what was expected, e.g.
 * {@code finops4j.yaml: finops4j.tasks.classification.tier: unknown tier 'tiny'; expected one of [small, medium, large]}.
 */
public class ConfigException extends Finops4jException {

  private static final long serialVersionUID = 1L;

  private final String path;

  public ConfigException(String path, String message) {
    super(path == null || path.isEmpty() ? message : path + ": " + message);
    this.path = path;
  }

  public ConfigException(String path, String message, Throwable cause) {
    super(path == null || path.isEmpty() ? message : path + ": " + message, cause);
    this.path = path;
  }

  /** The key path of the bad value, e.g. {@code finops4j.budgets[1].limit}, or {@code null}. */
  public String path() {
    return path;
  }
}
