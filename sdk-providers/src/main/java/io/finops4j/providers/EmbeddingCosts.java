package io.finops4j.providers;

import com.fasterxml.jackson.databind.JsonNode;
import io.finops4j.api.ModelPrice;
import io.finops4j.api.Usage;
import java.math.BigDecimal;

/**
 * Prices embedding calls. {@link io.finops4j.api.spi.EmbeddingModel#costUsd(String)} is asked after the fact with
 * the text only, so the exact count of this thread's last call is remembered and used when the text is the
 * same; otherwise the cost is a conservative estimate (one token per 3 characters, more than real tokenizers
 * produce for prose).
 */
final class EmbeddingCosts {

  private record Last(String text, long tokens) {}

  private final ModelPrice price;
  private final ThreadLocal<Last> last = new ThreadLocal<>();

  EmbeddingCosts(ModelPrice price) {
    this.price = price;
  }

  /**
   * The floats of an embedding's JSON array.
   *
   * @throws OpenAiWire.MalformedException saying {@code what} when {@code values} is not a non-empty array
   */
  static float[] vector(JsonNode values, String what) {
    if (!values.isArray() || values.isEmpty()) {
      throw new OpenAiWire.MalformedException(what);
    }
    float[] v = new float[values.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) values.get(i).asDouble();
    }
    return v;
  }

  static long estimateTokens(String text) {
    return (text.length() + 2) / 3;
  }

  BigDecimal cost(long tokens) {
    return price.cost(Usage.of(tokens, 0));
  }

  Embedding record(String text, float[] vector, Long reportedTokens) {
    boolean estimated = reportedTokens == null;
    long tokens = estimated ? estimateTokens(text) : reportedTokens;
    last.set(new Last(text, tokens));
    return new Embedding(vector, tokens, estimated, cost(tokens));
  }

  BigDecimal costOf(String text) {
    Last l = last.get();
    return cost(l != null && l.text().equals(text) ? l.tokens() : estimateTokens(text));
  }
}
