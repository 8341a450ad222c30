package io.finops4j.spring;

import io.finops4j.api.spi.ConfigNode;
import java.util.Map;

/**
 * The {@code finops4j} section of the Spring environment, bound once at start-up into the plain tree that
 * finops4j's own parser reads (the same one a YAML file gives in plain Java), with placeholders resolved.
 *
 * @param root the {@code finops4j} node handed to {@code Finops4j.builder().config(..)}
 */
public record Finops4jSettings(ConfigNode root) {

  /** The bound tree (maps, lists, scalars), read-only. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> tree() {
    Object raw = root.raw();
    return raw instanceof Map ? (Map<String, Object>) raw : Map.of();
  }
}
