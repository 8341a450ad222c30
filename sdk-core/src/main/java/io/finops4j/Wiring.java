package io.finops4j;

import io.finops4j.api.spi.ConfigNode;
import io.finops4j.providers.Providers;

/** Turns configuration sections into the concern modules' objects. */
final class Wiring {

  private Wiring() {}

  /** The providers of {@code finops4j.providers}; the offline simulator is always among them. */
  static Providers providers(ConfigNode root) {
    return Providers.fromConfig(root.get("providers"));
  }
}
