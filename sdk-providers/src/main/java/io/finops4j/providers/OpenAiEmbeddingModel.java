package io.finops4j.providers;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.finops4j.api.ModelPrice;
import io.finops4j.api.spi.EmbeddingModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Objects;
import okhttp3.Response;

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
    String provider = client.name();
    Exchange exchange = Exchange.open(client.http(),
        client.post(client.operationUrl("embeddings"), body(text)).build(), provider, client.apiKey());
    Response response = exchange.response;
    String requestId = response.header("x-request-id");
    try (exchange) {
      if (!response.isSuccessful()) {
        throw client.errorOf(response);
      }
      JsonNode root;
      try {
        root = OpenAiClient.JSON.readTree(response.body().byteStream());
      } catch (JsonProcessingException e) {
        throw ProviderErrors.malformed(provider, response.code(), requestId, "response body is not JSON", null);
      }
      JsonNode vector = root.at("/data/0/embedding");
      if (!vector.isArray() || vector.isEmpty()) {
        throw ProviderErrors.malformed(provider, response.code(), requestId, "response has no embedding", null);
      }
      float[] v = new float[vector.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) vector.get(i).asDouble();
      }
      JsonNode tokens = root.at("/usage/prompt_tokens");
      return costs.record(text, v, tokens.isIntegralNumber() ? tokens.asLong() : null);
    } catch (IOException e) {
      throw ProviderErrors.fromIo(provider, e, 0, requestId, client.apiKey());
    }
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
