package io.finops4j;

import io.finops4j.api.spi.ConfigNode;
import io.finops4j.api.spi.ProviderClient;
import java.util.Map;

/** Turns configuration sections into the concern modules' objects. */
final class Wiring {

  private Wiring() {}

  static Map<String, ProviderClient> providers(ConfigNode root) {
    // Filled in when the providers module lands.
    return Map.of();
  }
}
