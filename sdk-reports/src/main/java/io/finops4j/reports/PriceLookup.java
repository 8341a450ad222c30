package io.finops4j.reports;

import io.finops4j.api.ModelId;
import io.finops4j.api.ModelPrice;
import io.finops4j.api.spi.Pricing;
import java.util.Map;
import java.util.Optional;

/** "Current prices" for a forecast or a replay: a {@link Pricing} or a plain map, looked up the same way. */
interface PriceLookup {

  Optional<ModelPrice> find(ModelId model);

  String version();

  static PriceLookup of(Pricing pricing) {
    return new PriceLookup() {
      @Override
      public Optional<ModelPrice> find(ModelId model) {
        return pricing.find(model);
      }

      @Override
      public String version() {
        return pricing.version();
      }
    };
  }

  static PriceLookup of(Map<ModelId, ModelPrice> prices, String version) {
    Map<ModelId, ModelPrice> copy = Map.copyOf(prices);
    return new PriceLookup() {
      @Override
      public Optional<ModelPrice> find(ModelId model) {
        return Optional.ofNullable(copy.get(model));
      }

      @Override
      public String version() {
        return version;
      }
    };
  }
}
