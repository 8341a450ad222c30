package io.finops4j.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.finops4j.api.ModelPrice;
import io.finops4j.api.ProviderException;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

class EmbeddingModelsTest extends ServerTest {

  static final ModelPrice SMALL = ModelPrice.of("0.02", "0");   // text-embedding-3-small
  static final ModelPrice GEMINI = ModelPrice.of("0.15", "0");  // gemini-embedding-001

  static MockResponse json(int code, String body) {
    return answer(code, "application/json", null, null, body);
  }

  @Test
  void openAiEmbeddingRequestShapeVectorAndExactCostFromUsage() throws Exception {
    try (OpenAiClient openai = OpenAiClient.builder().apiKey(OpenAiClientTest.KEY)
        .baseUrl(server.url("/v1").toString()).build()) {
      OpenAiEmbeddingModel model = new OpenAiEmbeddingModel(openai, "text-embedding-3-small", SMALL, 3);
      // from the OpenAI embeddings reference: a list of embedding objects plus usage
      server.enqueue(json(200, "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":"
          + "[0.0023064255,-0.009327292,-0.0028842222]}],\"model\":\"text-embedding-3-small\",\"usage\":"
          + "{\"prompt_tokens\":8,\"total_tokens\":8}}"));

      Embedding e = model.embedding("The food was delicious and the waiter...");

      assertThat(e.vector()).containsExactly(0.0023064255f, -0.009327292f, -0.0028842222f);
      assertThat(e.tokens()).isEqualTo(8);
      assertThat(e.estimated()).isFalse();
      assertThat(e.costUsd()).isEqualByComparingTo("0.00000016"); // 8 x 0.02 per 1M
      assertThat(model.costUsd("The food was delicious and the waiter...")).isEqualByComparingTo("0.00000016");
      assertThat(model.id()).isEqualTo("openai/text-embedding-3-small");
      RecordedRequest rec = server.takeRequest();
      assertThat(rec.getTarget()).isEqualTo("/v1/embeddings");
      assertThat(rec.getHeaders().get("Authorization")).isEqualTo("Bearer " + OpenAiClientTest.KEY);
      JsonNode body = json.readTree(rec.getBody().utf8());
      assertThat(body.get("model").asText()).isEqualTo("text-embedding-3-small");
      assertThat(body.get("input").asText()).isEqualTo("The food was delicious and the waiter...");
      assertThat(body.get("encoding_format").asText()).isEqualTo("float");
      assertThat(body.get("dimensions").asInt()).isEqualTo(3);
    }
  }

  @Test
  void costOfATextNotJustEmbeddedIsAConservativeEstimate() {
    try (OpenAiClient openai = OpenAiClient.builder().apiKey("sk-1").baseUrl(server.url("/v1").toString()).build()) {
      OpenAiEmbeddingModel model = new OpenAiEmbeddingModel(openai, "text-embedding-3-small", SMALL, null);

      // 30 chars -> 10 tokens at 0.02 per 1M
      assertThat(model.costUsd("a".repeat(30))).isEqualByComparingTo("0.0000002");
    }
  }

  @Test
  void openAiEmbeddingErrorsMapLikeChatErrors() {
    try (OpenAiClient openai = OpenAiClient.builder().apiKey("sk-1").baseUrl(server.url("/v1").toString()).build()) {
      OpenAiEmbeddingModel model = new OpenAiEmbeddingModel(openai, "text-embedding-3-small", SMALL, null);
      server.enqueue(json(429, OpenAiClientTest.RATE_LIMIT));

      ProviderException e = catchThrowableOfType(ProviderException.class, () -> model.embed("hi"));

      assertThat(e.status()).isEqualTo(429);
      assertThat(e.retryable()).isTrue();
    }
  }

  @Test
  void geminiEmbedContentRequestShapeAndEstimatedCost() throws Exception {
    try (GeminiClient gemini = GeminiClient.builder().apiKey(GeminiClientTest.KEY)
        .baseUrl(server.url("/").toString()).build()) {
      GeminiEmbeddingModel model = new GeminiEmbeddingModel(gemini, "gemini-embedding-001", GEMINI, 768);
      server.enqueue(json(200, "{\"embedding\":{\"values\":[0.012,-0.034,0.056]}}"));

      Embedding e = model.embedding("What is the meaning of life?"); // 28 chars -> 10 tokens estimated

      assertThat(e.vector()).containsExactly(0.012f, -0.034f, 0.056f);
      assertThat(e.estimated()).isTrue();
      assertThat(e.tokens()).isEqualTo(10);
      assertThat(e.costUsd()).isEqualByComparingTo("0.0000015"); // 10 x 0.15 per 1M
      assertThat(model.id()).isEqualTo("gemini/gemini-embedding-001");
      RecordedRequest rec = server.takeRequest();
      assertThat(rec.getTarget()).isEqualTo("/v1beta/models/gemini-embedding-001:embedContent");
      assertThat(rec.getHeaders().get("x-goog-api-key")).isEqualTo(GeminiClientTest.KEY);
      assertThat(rec.getUrl().toString()).doesNotContain(GeminiClientTest.KEY);
      JsonNode body = json.readTree(rec.getBody().utf8());
      assertThat(body.get("model").asText()).isEqualTo("models/gemini-embedding-001");
      assertThat(body.at("/content/parts/0/text").asText()).isEqualTo("What is the meaning of life?");
      assertThat(body.get("outputDimensionality").asInt()).isEqualTo(768);
    }
  }

  @Test
  void geminiBatchEmbedsInOrder() throws Exception {
    try (GeminiClient gemini = GeminiClient.builder().apiKey(GeminiClientTest.KEY)
        .baseUrl(server.url("/").toString()).build()) {
      GeminiEmbeddingModel model = new GeminiEmbeddingModel(gemini, "gemini-embedding-001", GEMINI, null);
      server.enqueue(json(200, "{\"embeddings\":[{\"values\":[1.0,0.0]},{\"values\":[0.0,1.0]}]}"));

      List<Embedding> all = model.embedAll(List.of("first", "second"));

      assertThat(all).hasSize(2);
      assertThat(all.get(0).vector()).containsExactly(1.0f, 0.0f);
      assertThat(all.get(1).vector()).containsExactly(0.0f, 1.0f);
      RecordedRequest rec = server.takeRequest();
      assertThat(rec.getTarget()).isEqualTo("/v1beta/models/gemini-embedding-001:batchEmbedContents");
      JsonNode body = json.readTree(rec.getBody().utf8());
      assertThat(body.get("requests")).hasSize(2);
      assertThat(body.at("/requests/1/model").asText()).isEqualTo("models/gemini-embedding-001");
      assertThat(body.at("/requests/1/content/parts/0/text").asText()).isEqualTo("second");
    }
  }
}
