package io.finops4j.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.finops4j.api.ModelPrice;
import io.finops4j.api.Prompt;
import io.finops4j.api.ProviderException;
import io.finops4j.api.Usage;
import io.finops4j.api.spi.ProviderRequest;
import io.finops4j.api.spi.ProviderResponse;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GeminiClientTest extends ServerTest {

  static final String KEY = "AIzaSyTestKey0123456789abcdefghijklmno";

  /** gemini-2.5-flash: 0.30 in, 0.03 cached, 2.50 out (thinking included) per 1M. */
  static final ModelPrice FLASH = new ModelPrice(new BigDecimal("0.30"), new BigDecimal("0.03"), null, null,
      new BigDecimal("2.50"), null, 0, null, 65536, "https://ai.google.dev/gemini-api/docs/pricing", null);

  // Payloads written from the Gemini API reference (GenerateContentResponse with usageMetadata, SSE stream of
  // GenerateContentResponse chunks, and the google.rpc.Status error body).
  static final String RESPONSE = """
      {
        "candidates": [
          {
            "content": {
              "parts": [
                { "text": "The customer was charged twice.", "thought": true },
                { "text": "Billing: " },
                { "text": "double charge." }
              ],
              "role": "model"
            },
            "finishReason": "STOP",
            "index": 0
          }
        ],
        "usageMetadata": {
          "promptTokenCount": 5000,
          "candidatesTokenCount": 120,
          "totalTokenCount": 5520,
          "cachedContentTokenCount": 4000,
          "promptTokensDetails": [ { "modality": "TEXT", "tokenCount": 5000 } ],
          "cacheTokensDetails": [ { "modality": "TEXT", "tokenCount": 4000 } ],
          "thoughtsTokenCount": 400
        },
        "modelVersion": "gemini-2.5-flash",
        "responseId": "mAitaLmkHPPlz7IPvtfUqQ4"
      }
      """;

  static String chunk(String text, String finish, String usage) {
    return "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"" + text + "\"}],\"role\": \"model\"}"
        + (finish == null ? "" : ",\"finishReason\": \"" + finish + "\"") + ",\"index\": 0}]"
        + (usage == null ? "" : ",\"usageMetadata\": " + usage)
        + ",\"modelVersion\": \"gemini-2.5-flash\",\"responseId\": \"resp_s1\"}\r\n\r\n";
  }

  static final String USAGE_1 = "{\"promptTokenCount\": 1200,\"candidatesTokenCount\": 3,\"totalTokenCount\": 1203,"
      + "\"promptTokensDetails\": [{\"modality\": \"TEXT\",\"tokenCount\": 1200}]}";
  static final String USAGE_2 = "{\"promptTokenCount\": 1200,\"candidatesTokenCount\": 12,\"totalTokenCount\": 1262,"
      + "\"cachedContentTokenCount\": 1024,\"thoughtsTokenCount\": 50}";

  static String errorBody(int code, String status, String message) {
    return "{\n  \"error\": {\n    \"code\": " + code + ",\n    \"message\": \"" + message + "\",\n    \"status\": \""
        + status + "\"\n  }\n}\n";
  }

  GeminiClient client;

  @BeforeEach
  void start() {
    // errorDetail: these tests read the provider's error text; ErrorDetailTest covers the default
    client = GeminiClient.builder().apiKey(KEY).baseUrl(server.url("/").toString()).errorDetail(true).build();
  }

  @AfterEach
  void stop() {
    client.close();
  }

  static ProviderRequest request() {
    Prompt prompt = Prompt.builder().system("Classify the ticket.").user("I was charged twice")
        .assistant("Which order?").user("Order 7").build();
    return new ProviderRequest("gemini-2.5-flash", prompt, 300, 0.2, "user-42", false);
  }

  static MockResponse json(int code, String body) {
    return answer(code, "application/json; charset=UTF-8", null, null, body);
  }

  static MockResponse sse(String body) {
    return answer(200, "text/event-stream", null, null, body);
  }

  @Test
  void completeNormalizesCachedAndThoughtTokensAndPricesThemExactly() {
    server.enqueue(json(200, RESPONSE));

    ProviderResponse r = client.complete(request());

    assertThat(r.text()).isEqualTo("Billing: double charge."); // the thought summary is not answer text
    assertThat(r.model()).isEqualTo("gemini-2.5-flash");
    assertThat(r.finishReason()).isEqualTo("STOP");
    assertThat(r.requestId()).isEqualTo("mAitaLmkHPPlz7IPvtfUqQ4");
    Usage u = r.usage();
    assertThat(u.inputTokens()).isEqualTo(5000);          // promptTokenCount already includes the cached part
    assertThat(u.cachedInputTokens()).isEqualTo(4000);
    assertThat(u.uncachedInputTokens()).isEqualTo(1000);
    assertThat(u.outputTokens()).isEqualTo(120 + 400);    // thoughts are separate and billed as output
    assertThat(u.reasoningTokens()).isEqualTo(400);
    assertThat(u.raw()).containsEntry("thoughtsTokenCount", 400L).containsEntry("totalTokenCount", 5520L);
    // 1000 x 0.30 + 4000 x 0.03 + 520 x 2.50 = 1720 per 1M
    assertThat(FLASH.cost(u)).isEqualByComparingTo("0.001720");
  }

  @Test
  void requestShapeAndKeyOnlyInTheHeaderNeverInTheUrl() throws Exception {
    server.enqueue(json(200, RESPONSE));

    client.complete(request());

    RecordedRequest rec = server.takeRequest();
    assertThat(rec.getTarget()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
    assertThat(rec.getUrl().toString()).doesNotContain(KEY).doesNotContain("key=");
    assertThat(rec.getHeaders().get("x-goog-api-key")).isEqualTo(KEY);
    JsonNode body = json.readTree(rec.getBody().utf8());
    assertThat(body.at("/systemInstruction/parts/0/text").asText()).isEqualTo("Classify the ticket.");
    assertThat(body.get("contents")).hasSize(3);
    assertThat(body.at("/contents/0/role").asText()).isEqualTo("user");
    assertThat(body.at("/contents/0/parts/0/text").asText()).isEqualTo("I was charged twice");
    assertThat(body.at("/contents/1/role").asText()).isEqualTo("model");
    assertThat(body.at("/generationConfig/maxOutputTokens").asInt()).isEqualTo(300);
    assertThat(body.at("/generationConfig/temperature").asDouble()).isEqualTo(0.2);
  }

  @Test
  void missingUsageIsNullNotZero() {
    server.enqueue(json(200, "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"ok\"}],\"role\":\"model\"},"
        + "\"finishReason\":\"STOP\"}],\"modelVersion\":\"gemini-2.5-flash\"}"));

    assertThat(client.complete(request()).usage()).isNull();
  }

  @Test
  void blockedPromptHasNoTextAndTheBlockReason() {
    server.enqueue(json(200, "{\"promptFeedback\":{\"blockReason\":\"SAFETY\"},\"usageMetadata\":"
        + "{\"promptTokenCount\":8,\"totalTokenCount\":8},\"modelVersion\":\"gemini-2.5-flash\"}"));

    ProviderResponse r = client.complete(request());

    assertThat(r.text()).isEmpty();
    assertThat(r.finishReason()).isEqualTo("SAFETY");
    assertThat(r.usage().inputTokens()).isEqualTo(8);
    assertThat(r.usage().outputTokens()).isZero();
  }

  @Test
  void streamDeliversDeltasAndTakesTheLastCumulativeUsage() throws Exception {
    server.enqueue(sse(chunk("Hello", null, USAGE_1) + chunk(", world", null, USAGE_1)
        + chunk("!", "STOP", USAGE_2)));
    List<String> deltas = new ArrayList<>();

    ProviderResponse r = client.stream(request(), deltas::add);

    assertThat(deltas).containsExactly("Hello", ", world", "!");
    assertThat(r.text()).isEqualTo("Hello, world!");
    assertThat(r.finishReason()).isEqualTo("STOP");
    assertThat(r.model()).isEqualTo("gemini-2.5-flash");
    Usage u = r.usage();
    assertThat(u.inputTokens()).isEqualTo(1200);
    assertThat(u.cachedInputTokens()).isEqualTo(1024);
    assertThat(u.outputTokens()).isEqualTo(62);
    assertThat(u.reasoningTokens()).isEqualTo(50);
    RecordedRequest rec = server.takeRequest();
    assertThat(rec.getTarget()).isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
    assertThat(rec.getHeaders().get("x-goog-api-key")).isEqualTo(KEY);
  }

  @Test
  void streamEndingBeforeAFinishReasonIsTruncated() {
    server.enqueue(sse(chunk("Hello", null, USAGE_1) + chunk(", wor", null, USAGE_1)));

    ProviderException e = catchThrowableOfType(ProviderException.class, () -> client.stream(request(), d -> { }));

    assertThat(e.errorCode()).isEqualTo("stream_truncated");
    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage()).contains("finishReason");
  }

  @Test
  void connectionCutMidStreamIsTruncated() {
    server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
        .body(chunk("Hello", null, USAGE_1) + chunk("!", "STOP", USAGE_2))
        .onResponseBody(new SocketEffect.CloseSocket()).build());

    ProviderException e = catchThrowableOfType(ProviderException.class, () -> client.stream(request(), d -> { }));

    assertThat(e.errorCode()).isEqualTo("stream_truncated");
    assertThat(e.retryable()).isTrue();
  }

  @Test
  void resourceExhaustedIsRetryableWithTheRetryDelayFromItsDetails() {
    server.enqueue(json(429, "{\"error\":{\"code\":429,\"message\":\"You exceeded your current quota, please check"
        + " your plan and billing details.\",\"status\":\"RESOURCE_EXHAUSTED\",\"details\":[{\"@type\":"
        + "\"type.googleapis.com/google.rpc.QuotaFailure\",\"violations\":[{\"quotaMetric\":"
        + "\"generativelanguage.googleapis.com/generate_content_free_tier_requests\"}]},{\"@type\":"
        + "\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"17s\"}]}}"));

    ProviderException e = catchThrowableOfType(ProviderException.class, () -> client.complete(request()));

    assertThat(e.provider()).isEqualTo("gemini");
    assertThat(e.status()).isEqualTo(429);
    assertThat(e.errorCode()).isEqualTo("RESOURCE_EXHAUSTED");
    assertThat(e.retryable()).isTrue();
    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(17));
  }

  @Test
  void retryAfterHeaderIsHonouredToo() {
    server.enqueue(new MockResponse.Builder().code(429).addHeader("Content-Type", "application/json")
        .addHeader("Retry-After", "3").body(errorBody(429, "RESOURCE_EXHAUSTED", "Resource has been exhausted"))
        .build());

    assertThat(catchThrowableOfType(ProviderException.class, () -> client.complete(request())).retryAfter())
        .isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void serverErrorsAreRetryable() {
    server.enqueue(json(500, errorBody(500, "INTERNAL", "An internal error has occurred.")));
    server.enqueue(json(503, errorBody(503, "UNAVAILABLE", "The model is overloaded. Please try again later.")));

    ProviderException internal = catchThrowableOfType(ProviderException.class, () -> client.complete(request()));
    ProviderException unavailable = catchThrowableOfType(ProviderException.class, () -> client.complete(request()));

    assertThat(internal.errorCode()).isEqualTo("INTERNAL");
    assertThat(internal.retryable()).isTrue();
    assertThat(unavailable.errorCode()).isEqualTo("UNAVAILABLE");
    assertThat(unavailable.retryable()).isTrue();
    assertThat(unavailable.getMessage()).contains("overloaded");
  }

  @Test
  void invalidArgumentIsNotRetryable() {
    server.enqueue(json(400, errorBody(400, "INVALID_ARGUMENT", "Invalid JSON payload received.")));

    ProviderException e = catchThrowableOfType(ProviderException.class, () -> client.complete(request()));

    assertThat(e.errorCode()).isEqualTo("INVALID_ARGUMENT");
    assertThat(e.retryable()).isFalse();
  }

  @Test
  void invalidKeyErrorNeverQuotesTheKey() {
    server.enqueue(json(400, errorBody(400, "INVALID_ARGUMENT", "API key not valid: " + KEY
        + ". Please pass a valid API key.")));
    server.enqueue(json(403, errorBody(403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers.")));

    ProviderException bad = catchThrowableOfType(ProviderException.class, () -> client.complete(request()));
    ProviderException denied = catchThrowableOfType(ProviderException.class, () -> client.complete(request()));

    assertThat(bad.getMessage()).doesNotContain(KEY).contains("API key not valid");
    assertThat(denied.errorCode()).isEqualTo("PERMISSION_DENIED");
    assertThat(denied.retryable()).isFalse();
  }

  @Test
  void errorChunkInsideAStreamFails() {
    server.enqueue(sse(chunk("Hel", null, USAGE_1)
        + "data: {\"error\": {\"code\": 503, \"message\": \"The model is overloaded.\", \"status\": \"UNAVAILABLE\"}}\r\n\r\n"));

    ProviderException e = catchThrowableOfType(ProviderException.class, () -> client.stream(request(), d -> { }));

    assertThat(e.errorCode()).isEqualTo("UNAVAILABLE");
    assertThat(e.retryable()).isTrue();
  }
}
