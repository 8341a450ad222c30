package io.finops4j.providers;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.finops4j.api.ModelPrice;
import io.finops4j.api.spi.EmbeddingModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import okhttp3.HttpUrl;

/**
 * Gemini embeddings ({@code :embedContent}, and {@code :batchEmbedContents} for many texts in one request, e.g.
 * {@code gemini-embedding-001}) as an {@link EmbeddingModel}, on a {@link GeminiClient}'s URL, key and HTTP
 * client. The embed responses carry no token count, so each call is priced at a conservative estimate of its
 * tokens (one per 3 characters) at the {@link ModelPrice} given, and {@link Embedding#estimated()} says so.
 *
 * <pre>{@code
 * EmbeddingModel embeddings = new GeminiEmbeddingModel(gemini, "gemini-embedding-001", catalogPrice, 768);
 * }</pre>
 */
public final class GeminiEmbeddingModel implements EmbeddingModel {

  private final GeminiClient client;
  private final String model;
  private final Integer dimensions;
  private final EmbeddingCosts costs;

  /**
   * @param dimensions {@code outputDimensionality} (e.g. 768), or null for the model's default
   */
  public GeminiEmbeddingModel(GeminiClient client, String model, ModelPrice price, Integer dimensions) {
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
    JsonNode root = post(client.url(model, "embedContent"), g -> request(g, text));
    float[] v = vector(root.path("embedding"));
    JsonNode tokens = root.at("/usageMetadata/promptTokenCount");
    return costs.record(text, v, tokens.isIntegralNumber() ? tokens.asLong() : null);
  }

  /** Embeds every text in one {@code :batchEmbedContents} request; results in the order of {@code texts}. */
  public List<Embedding> embedAll(List<String> texts) {
    JsonNode root = post(client.url(model, "batchEmbedContents"), g -> {
      g.writeArrayFieldStart("requests");
      for (String t : texts) {
        g.writeStartObject();
        request(g, Objects.requireNonNull(t, "text"));
        g.writeEndObject();
      }
      g.writeEndArray();
    });
    JsonNode embeddings = root.path("embeddings");
    if (!embeddings.isArray() || embeddings.size() != texts.size()) {
      throw ProviderErrors.malformed(client.name(), 200, null, "expected " + texts.size() + " embeddings, got "
          + embeddings.size(), null);
    }
    List<Embedding> out = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      out.add(costs.record(texts.get(i), vector(embeddings.get(i)), null));
    }
    return out;
  }

  private void request(JsonGenerator g, String text) throws IOException {
    g.writeStringField("model", "models/" + model);
    g.writeObjectFieldStart("content");
    GeminiWire.parts(g, text);
    g.writeEndObject();
    if (dimensions != null) {
      g.writeNumberField("outputDimensionality", dimensions);
    }
  }

  private float[] vector(JsonNode embedding) {
    try {
      return EmbeddingCosts.vector(embedding.path("values"), "response has no embedding values");
    } catch (OpenAiWire.MalformedException e) {
      // read after the exchange, whose status was a 2xx
      throw ProviderErrors.malformed(client.name(), 200, null, e.getMessage(), null);
    }
  }

  private interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  private JsonNode post(HttpUrl url, Body body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = OpenAiClient.JSON.getFactory().createGenerator(out)) {
      g.writeStartObject();
      body.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return client.transport().call(client.post(url, out.toByteArray()), null, (root, requestId) -> root);
  }

  /** Exact when this thread's last call reported tokens for the same text; a conservative estimate otherwise. */
  @Override
  public BigDecimal costUsd(String text) {
    return costs.costOf(text);
  }

  @Override
  public String toString() {
    return "GeminiEmbeddingModel[" + id() + "]";
  }
}
