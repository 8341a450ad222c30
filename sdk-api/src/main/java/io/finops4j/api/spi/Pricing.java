package io.finops4j.api.spi;

import io.finops4j.api.ModelId;
import io.finops4j.api.ModelPrice;
import java.util.Optional;

/** The price table: what every known model costs. */
public interface Pricing {

  /** The price of {@code model} (dated snapshots resolve to their base model), or empty when unknown. */
  Optional<ModelPrice> find(ModelId model);

  /** The price of {@code model}; fails with a message naming the model and how to add a price when unknown. */
  ModelPrice price(ModelId model);

  /** The price table's version, recorded on every ledger row, e.g. {@code 2026-11-01+overrides}. */
  String version();
}
