package io.finops4j.providers;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.finops4j.api.ModelPrice;
import io.finops4j.api.spi.EmbeddingModel;
import java.io.IOException;
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
public final class GeminiEmbeddingModel extends HttpEmbeddingModel<GeminiClient> {

  /**
   * @param dimensions {@code outputDimensionality} (e.g. 768), or null for the model's default
   */
  public GeminiEmbeddingModel(GeminiClient client, String model, ModelPrice price, Integer dimensions) {
    super(client, model, price, dimensions);
  }

  /** Embeds {@code text} and says what it cost. */
  @Override
  public Embedding embedding(String text) {
    Objects.requireNonNull(text, "text");
    JsonNode root = post(client.url(model, "embedContent"), g -> request(g, text));
    return record(text, vector(root.path("embedding")), root.at("/usageMetadata/promptTokenCount"));
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

  private JsonNode post(HttpUrl url, Fields fields) {
    return client.transport.call(client.post(url, json(fields)), null, (root, requestId) -> root);
  }
}
