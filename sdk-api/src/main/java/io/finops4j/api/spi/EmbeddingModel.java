package io.finops4j.api.spi;

import java.math.BigDecimal;

/**
 * Turns text into a vector, for the semantic response cache. Embedding calls cost money too: the cache meters
 * each one with {@link #costUsd(String)} and subtracts it from the savings it reports.
 */
public interface EmbeddingModel {

  /** The model's qualified id, e.g. {@code openai/text-embedding-3-small}; part of every semantic cache key. */
  String id();

  /** The embedding of {@code text}; every call returns a vector of the same length. Must be thread-safe. */
  float[] embed(String text);

  /** What one {@link #embed(String)} of {@code text} costs, in USD ({@code 0} for a local model). */
  BigDecimal costUsd(String text);
}
