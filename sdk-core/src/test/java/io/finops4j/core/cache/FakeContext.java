package io.finops4j.core.cache;

import io.finops4j.api.ModelId;
import io.finops4j.api.ModelPrice;
import io.finops4j.api.spi.Pricing;
import io.finops4j.api.spi.TestCall;
import java.util.Map;


/**
 * The models and the price table of the cache tests; the call itself is the shared {@code TestCall} (see
 * {@link Harness}).
 */
final class FakeContext {

  static final ModelId MINI = ModelId.parse("openai/gpt-5-mini");
  static final ModelId GPT5 = ModelId.parse("openai/gpt-5");

  /** gpt-5-mini at 0.25 / 2.00 USD per 1M tokens, gpt-5 at 1.25 / 10.00. */
  static final Pricing PRICES = prices("test", Map.of(
      MINI, ModelPrice.of("0.25", "2.00"),
      GPT5, ModelPrice.of("1.25", "10.00")));

  /** A price table of one version. */
  static Pricing prices(String version, Map<ModelId, ModelPrice> table) {
    return TestCall.prices(version, table);
  }

  private FakeContext() {}
}
