package io.finops4j.core;

import io.finops4j.api.ModelId;
import io.finops4j.api.ModelPrice;
import io.finops4j.api.spi.Pricing;
import java.util.Objects;
import java.util.Optional;

/**
 * The price table an {@code Llm} prices with now: the table it was built with, replaced whole when an opt-in
 * price feed ({@code finops4j.prices.url}) brings a newer one. Every call reads one table; a call that started
 * before a swap finishes on the table it started with where it holds it (the ledger row names the version).
 */
public final class LivePrices implements Pricing {

  private volatile PriceCatalog current;

  public LivePrices(PriceCatalog initial) {
    this.current = Objects.requireNonNull(initial);
  }

  /** The table in force. */
  public PriceCatalog current() {
    return current;
  }

  /** Replaces the table in force. */
  public void replace(PriceCatalog catalog) {
    current = Objects.requireNonNull(catalog);
  }

  @Override
  public Optional<ModelPrice> find(ModelId model) {
    return current.find(model);
  }

  @Override
  public ModelPrice price(ModelId model) {
    return current.price(model);
  }

  /** The model id {@code model} is priced as, in the table in force. */
  public ModelId baseModel(ModelId model) {
    return current.baseModel(model);
  }

  @Override
  public String version() {
    return current.version();
  }
}
