package io.finops4j.providers;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.finops4j.api.ModelPrice;
import io.finops4j.api.spi.EmbeddingModel;
import io.finops4j.api.spi.ProviderClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Objects;

/** What the embedding models on a provider client share: the id, the pricing, the JSON request bodies. */
abstract class HttpEmbeddingModel<C extends ProviderClient> implements EmbeddingModel {

  /** Writes the fields of a JSON request object. */
  interface Fields {
    void write(JsonGenerator g) throws IOException;
  }

  /** The client whose URL, key and HTTP client the calls use. */
  final C client;
  final String model;
  final Integer dimensions;
  final EmbeddingCosts costs;

  HttpEmbeddingModel(C client, String model, ModelPrice price, Integer dimensions) {
    this.client = Objects.requireNonNull(client, "client");
    this.model = Objects.requireNonNull(model, "model");
    this.costs = new EmbeddingCosts(Objects.requireNonNull(price, "price"));
    this.dimensions = dimensions;
  }

  @Override
  public String id() {
    return client.name() + "/" + model;
  }

  @Override
  public float[] embed(String text) {
    return embedding(text).vector();
  }

  /** Embeds {@code text} and says what it cost. */
  public abstract Embedding embedding(String text);

  /**
   * Exact when this thread's last call reported tokens for the same text; a conservative estimate otherwise.
   */
  @Override
  public BigDecimal costUsd(String text) {
    return costs.costOf(text);
  }

  /** Prices and remembers one embedding; {@code tokens} is the reported count, when the response has one. */
  Embedding record(String text, float[] vector, JsonNode tokens) {
    return costs.record(text, vector, tokens.isIntegralNumber() ? tokens.asLong() : null);
  }

  /** A JSON object of {@code fields}. */
  static byte[] json(Fields fields) {
    BodyBytes out = new BodyBytes();
    try (JsonGenerator g = OpenAiClient.JSON.getFactory().createGenerator(out)) {
      g.writeStartObject();
      fields.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // cannot happen writing to memory
    }
    return out.toByteArray();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + id() + "]";
  }
}
