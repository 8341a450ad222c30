package io.finops4j.providers;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.finops4j.api.ModelPrice;
import io.finops4j.api.spi.EmbeddingModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * OpenAI embeddings ({@code POST {base-url}/embeddings}, e.g. {@code text-embedding-3-small}) as an
 * {@link EmbeddingModel} for the semantic cache, on an {@link OpenAiClient}'s URL, key and HTTP client (any
 * OpenAI-compatible server that serves {@code /embeddings} works too). Each call is priced from the response's
 * {@code usage.prompt_tokens} at the {@link ModelPrice} given (the engine passes the catalog's price).
 *
 * <pre>{@code
 * EmbeddingModel embeddings = new OpenAiEmbeddingModel(openai, "text-embedding-3-small", catalogPrice, null);
 * }</pre>
 */
public final class OpenAiEmbeddingModel implements EmbeddingModel {

  private final OpenAiClient client;
  private final String model;
  private final Integer dimensions;
  private final EmbeddingCosts costs;

  /**
   * @param client the client whose base URL, key and HTTP client to use
   * @param model the embedding model, e.g. {@code text-embedding-3-small}
   * @param price the model's price (input rate per 1M tokens)
   * @param dimensions the vector length to ask for ({@code text-embedding-3-*} can shorten), or null for the default
   */
  public OpenAiEmbeddingModel(OpenAiClient client, String model, ModelPrice price, Integer dimensions) {
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
  public Embedding embedding(String text) {
    Objects.requireNonNull(text, "text");
    return client.transport().call(client.post(client.operationUrl("embeddings"), body(text)).build(),
        OpenAiClient.REQUEST_ID, (root, requestId) -> {
          JsonNode tokens = root.at("/usage/prompt_tokens");
          return costs.record(text, EmbeddingCosts.vector(root.at("/data/0/embedding"), "response has no embedding"),
              tokens.isIntegralNumber() ? tokens.asLong() : null);
        });
  }

  private byte[] body(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + text.length());
    try (JsonGenerator g = OpenAiClient.JSON.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("model", model);
      g.writeStringField("input", text);
      g.writeStringField("encoding_format", "float");
      if (dimensions != null) {
        g.writeNumberField("dimensions", dimensions);
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Exact when this thread's last {@link #embed(String)} was of the same text; a conservative estimate otherwise. */
  @Override
  public BigDecimal costUsd(String text) {
    return costs.costOf(text);
  }

  @Override
  public String toString() {
    return "OpenAiEmbeddingModel[" + id() + "]";
  }
}
