package io.finops4j.api;

/**
 * A qualified model id, {@code provider/model} (e.g. {@code openai/gpt-5-mini}), the one spelling used in YAML,
 * {@link Completion#model()}, telemetry and the ledger. The model part may itself contain slashes
 * ({@code together/meta-llama/Llama-3.3-70B}); the provider is everything before the first one.
 */
public record ModelId(String provider, String model) {

  public ModelId {
    if (provider == null || provider.isBlank() || provider.contains("/")) {
      throw new IllegalArgumentException("provider must be a non-blank name without '/': " + provider);
    }
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("model must not be blank");
    }
  }

  /** Parses {@code provider/model}; fails with a message that shows the expected form. */
  public static ModelId parse(String qualified) {
    int slash = qualified == null ? -1 : qualified.indexOf('/');
    if (slash <= 0 || slash == qualified.length() - 1) {
      throw new IllegalArgumentException("expected a model id of the form provider/model (e.g. openai/gpt-5-mini), got '"
          + qualified + "'");
    }
    return new ModelId(qualified.substring(0, slash), qualified.substring(slash + 1));
  }

  // equals and hashCode written out: a record's own go through an invokedynamic method-handle chain, and price, rule
  // and route lookups key maps by ModelId on every call (in the pipeline's profile most of the 7.8% of its samples
  // that were in such chains)
  @Override
  public boolean equals(Object o) {
    return this == o || o instanceof ModelId m && provider.equals(m.provider) && model.equals(m.model);
  }

  @Override
  public int hashCode() {
    return 31 * provider.hashCode() + model.hashCode();
  }

  @Override
  public String toString() {
    return provider + "/" + model;
  }

  /** Same as {@link #toString()}: the qualified id. */
  public String qualified() {
    return toString();
  }

}
