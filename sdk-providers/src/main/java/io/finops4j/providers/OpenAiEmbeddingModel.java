package io.finops4j.providers;

import io.finops4j.api.ModelPrice;
import io.finops4j.api.spi.EmbeddingModel;
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
public final class OpenAiEmbeddingModel extends HttpEmbeddingModel<OpenAiClient> {

  /**
   * @param client the client whose base URL, key and HTTP client to use
   * @param model the embedding model, e.g. {@code text-embedding-3-small}
   * @param price the model's price (input rate per 1M tokens)
   * @param dimensions the vector length to ask for ({@code text-embedding-3-*} can shorten), or null for the default
   */
  public OpenAiEmbeddingModel(OpenAiClient client, String model, ModelPrice price, Integer dimensions) {
    super(client, model, price, dimensions);
  }

  /** Embeds {@code text} and says what it cost. */
  @Override
  public Embedding embedding(String text) {
    Objects.requireNonNull(text, "text");
    byte[] body = json(g -> {
      g.writeStringField("model", model);
      g.writeStringField("input", text);
      g.writeStringField("encoding_format", "float");
      if (dimensions != null) {
        g.writeNumberField("dimensions", dimensions);
      }
    });
    return client.transport.call(client.post(client.operationUrl("embeddings"), body).build(),
        OpenAiClient.REQUEST_ID, (root, requestId) -> record(text,
            EmbeddingCosts.vector(root.at("/data/0/embedding"), "response has no embedding"),
            root.at("/usage/prompt_tokens")));
  }
}
