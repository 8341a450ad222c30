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
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AnthropicClientTest extends ServerTest {

  static final String KEY = "sk-ant-api03-testkeyabcdefghijklmnopqrstuvwxyz";

  /** claude-haiku-4-5 as bundled: 1.00 in, 1.25 5-minute write, 2.00 1-hour write, 0.10 read, 5.00 out per 1M. */
  static final ModelPrice HAIKU = new ModelPrice(new BigDecimal("1.00"), new BigDecimal("0.10"),
      new BigDecimal("1.25"), new BigDecimal("2.00"), new BigDecimal("5.00"), new BigDecimal("0.5"), 0, null, 64000,
      "https://www.anthropic.com/pricing", null);

  // Payloads written from the Anthropic Messages API reference (message object with usage incl. cache_creation,
  // streaming events, error shapes).
  static final String MESSAGE = """
      {
        "id": "msg_01XFDUDYJgAACzvnptvVoYEL",
        "type": "message",
        "role": "assistant",
        "model": "claude-haiku-4-5-20251001",
        "content": [
          { "type": "thinking", "thinking": "The customer mentions a double charge.", "signature": "EqQBCgIYAhIM1gbcDa9GJwZA" },
          { "type": "text", "text": "Billing: " },
          { "type": "text", "text": "double charge." }
        ],
        "stop_reason": "end_turn",
        "stop_sequence": null,
        "usage": {
          "input_tokens": 50,
          "cache_creation_input_tokens": 2000,
          "cache_read_input_tokens": 3000,
          "cache_creation": { "ephemeral_5m_input_tokens": 1500, "ephemeral_1h_input_tokens": 500 },
          "output_tokens": 400,
          "service_tier": "standard"
        }
      }
      """;

  static String event(String type, String data) {
    return "event: " + type + "\ndata: " + data + "\n\n";
  }

  static final String MESSAGE_START = event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":"
      + "\"msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],"
      + "\"model\":\"claude-haiku-4-5-20251001\",\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{"
      + "\"input_tokens\":25,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":4100,"
      + "\"cache_creation\":{\"ephemeral_5m_input_tokens\":0,\"ephemeral_1h_input_tokens\":0},\"output_tokens\":1,"
      + "\"service_tier\":\"standard\"}}}");
  static final String BLOCK_START = event("content_block_start",
      "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
  static final String THINKING_START = event("content_block_start",
      "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\"}}");
  static final String THINKING_DELTA = event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
      + "\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"Let me think about the charge.\"}}");
  static final String SIGNATURE_DELTA = event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
      + "\"delta\":{\"type\":\"signature_delta\",\"signature\":\"EqQBCgIYAhIM1gbcDa9GJwZA\"}}");
  static final String PING = event("ping", "{\"type\": \"ping\"}");
  static final String BLOCK_STOP = event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
  static final String MESSAGE_DELTA = event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
      + "\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":15}}");
  static final String MESSAGE_STOP = event("message_stop", "{\"type\":\"message_stop\"}");

  static String textDelta(String text) {
    return event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":"
        + "\"text_delta\",\"text\":\"" + text + "\"}}");
  }

  static String errorBody(String type, String message) {
    return "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"" + message + "\"},"
        + "\"request_id\":\"req_011CSHoEeqs5C35K2UUqR7Fy\"}";
  }

  AnthropicClient client;

  @BeforeEach
  void start() {
    // errorDetail: these tests read the provider's error text; ErrorDetailTest covers the default
    client = AnthropicClient.builder().apiKey(KEY).baseUrl(server.url("/").toString()).errorDetail(true).build();
  }

  @AfterEach
  void stop() {
    client.close();
  }

  static ProviderRequest request() {
    Prompt prompt = Prompt.builder().system("Classify the ticket.").user("I was charged twice").build();
    return new ProviderRequest("claude-haiku-4-5", prompt, 300, 0.2, "user-42", false);
  }

  static MockResponse json(int code, String body) {
    return answer(code, "application/json", "request-id", "req_011CSHoEeqs5C35K2UUqR7Fy", body);
  }

  static MockResponse sse(String body) {
    return answer(200, SSE, "request-id", "req_stream1", body);
  }

  @Test
  void completeNormalizesCacheAndThinkingUsageAndPricesItExactly() throws Exception {
    server.enqueue(json(200, MESSAGE));

    ProviderResponse r = client.complete(request());

    assertThat(r.text()).isEqualTo("Billing: double charge.");
    assertThat(r.model()).isEqualTo("claude-haiku-4-5-20251001");
    assertThat(r.finishReason()).isEqualTo("end_turn");
    assertThat(r.requestId()).isEqualTo("req_011CSHoEeqs5C35K2UUqR7Fy");
    Usage u = r.usage();
    // input_tokens excludes cache reads and writes: the OpenTelemetry input count adds them
    assertThat(u.inputTokens()).isEqualTo(50 + 2000 + 3000);
    assertThat(u.cachedInputTokens()).isEqualTo(3000);
    assertThat(u.cacheWriteTokens()).isEqualTo(2000);
    assertThat(u.cacheWrite1hTokens()).isEqualTo(500);
    assertThat(u.uncachedInputTokens()).isEqualTo(50);
    assertThat(u.outputTokens()).isEqualTo(400); // thinking included, as billed
    assertThat(u.estimated()).isFalse();
    assertThat(u.raw()).containsEntry("input_tokens", 50L).containsEntry("cache_creation.ephemeral_1h_input_tokens", 500L);
    // 50 x 1.00 + 3000 x 0.10 + 1500 x 1.25 + 500 x 2.00 + 400 x 5.00 = 5225 per 1M
    assertThat(HAIKU.cost(u)).isEqualByComparingTo("0.005225");
  }

  @Test
  void requestHasHeadersSystemMaxTokensMetadataAndKeyOnlyInHeader() throws Exception {
    server.enqueue(json(200, MESSAGE));

    client.complete(request());

    RecordedRequest rec = server.takeRequest();
    assertThat(rec.getTarget()).isEqualTo("/v1/messages");
    assertThat(rec.getHeaders().get("x-api-key")).isEqualTo(KEY);
    assertThat(rec.getHeaders().get("anthropic-version")).isEqualTo("2023-06-01");
    assertThat(rec.getHeaders().get("Content-Type")).startsWith("application/json");
    assertThat(rec.getHeaders().get("Authorization")).isNull();
    assertThat(rec.getUrl().toString()).doesNotContain(KEY);
    JsonNode body = json.readTree(rec.getBody().utf8());
    assertThat(body.get("model").asText()).isEqualTo("claude-haiku-4-5");
    assertThat(body.get("max_tokens").asInt()).isEqualTo(300);
    assertThat(body.get("system").asText()).isEqualTo("Classify the ticket.");
    assertThat(body.get("messages")).hasSize(1);
    assertThat(body.at("/messages/0/role").asText()).isEqualTo("user");
    assertThat(body.at("/messages/0/content").asText()).isEqualTo("I was charged twice");
    assertThat(body.get("temperature").asDouble()).isEqualTo(0.2);
    assertThat(body.at("/metadata/user_id").asText()).isEqualTo(EndUserTest.USER_42_SHA256); // hashed by default
    assertThat(body.has("stream")).isFalse();
  }

  @Test
  void maxTokensIsAlwaysSentBecauseTheApiRequiresIt() throws Exception {
    server.enqueue(json(200, MESSAGE));

    client.complete(new ProviderRequest("claude-haiku-4-5", Prompt.of("hi"), null, null, null, false));

    JsonNode body = json.readTree(server.takeRequest().getBody().utf8());
    assertThat(body.get("max_tokens").asInt()).isEqualTo(AnthropicClient.DEFAULT_MAX_TOKENS);
    assertThat(body.has("system")).isFalse();
    assertThat(body.has("metadata")).isFalse();
    assertThat(body.has("temperature")).isFalse();
  }

  @Test
  void cachePromptMarksALongSystemPromptOnly() throws Exception {
    String longSystem = "Policy line. ".repeat(1400); // 18,200 chars ~ 4,550 tokens >= 4,096 for Haiku 4.5
    String shortSystem = "Policy line. ".repeat(400); // ~1,300 tokens: below Haiku 4.5's minimum
    server.enqueue(json(200, MESSAGE));
    server.enqueue(json(200, MESSAGE));

    client.complete(new ProviderRequest("claude-haiku-4-5",
        Prompt.builder().system(longSystem).user("q").build(), 100, null, null, true));
    client.complete(new ProviderRequest("claude-haiku-4-5",
        Prompt.builder().system(shortSystem).user("q").build(), 100, null, null, true));

    JsonNode cached = json.readTree(server.takeRequest().getBody().utf8());
    assertThat(cached.get("system").isArray()).isTrue();
    assertThat(cached.at("/system/0/type").asText()).isEqualTo("text");
    assertThat(cached.at("/system/0/text").asText()).isEqualTo(longSystem);
    assertThat(cached.at("/system/0/cache_control/type").asText()).isEqualTo("ephemeral");
    JsonNode plain = json.readTree(server.takeRequest().getBody().utf8());
    assertThat(plain.get("system").isTextual()).isTrue();
    // the same short prompt is cacheable on a model whose minimum is 1024 tokens
    assertThat(AnthropicWire.cacheable("claude-sonnet-4-5", shortSystem)).isTrue();
    assertThat(AnthropicWire.cacheable("claude-haiku-4-5", shortSystem)).isFalse();
  }

  @Test
  void secondCallWithTheSameCachedSystemPromptIsCheaperByTheWriteMinusReadRate() {
    String system = "Policy line. ".repeat(1400);
    ProviderRequest req = new ProviderRequest("claude-haiku-4-5", Prompt.builder().system(system).user("q").build(),
        100, null, null, true);
    server.enqueue(json(200, messageWithUsage(20, 4550, 0, 60)));  // first call writes the cache
    server.enqueue(json(200, messageWithUsage(20, 0, 4550, 60)));  // second call reads it

    BigDecimal first = HAIKU.cost(client.complete(req).usage());
    BigDecimal second = HAIKU.cost(client.complete(req).usage());

    // 4550 tokens x (1.25 write - 0.10 read) per 1M
    assertThat(first.subtract(second)).isEqualByComparingTo("0.0052325");
    assertThat(first).isEqualByComparingTo("0.0060075");   // 20 x 1 + 4550 x 1.25 + 60 x 5
    assertThat(second).isEqualByComparingTo("0.000775");   // 20 x 1 + 4550 x 0.10 + 60 x 5
  }

  static String messageWithUsage(long input, long write, long read, long output) {
    return "{\"id\":\"msg_01\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-haiku-4-5-20251001\","
        + "\"content\":[{\"type\":\"text\",\"text\":\"ok\"}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
        + "\"usage\":{\"input_tokens\":" + input + ",\"cache_creation_input_tokens\":" + write
        + ",\"cache_read_input_tokens\":" + read + ",\"output_tokens\":" + output + "}}";
  }

  @Test
  void regionSpeedAndTierOfTheUsageAreKeptAsMarkers() throws Exception {
    // a usage object as the fast-mode and data-residency pages show it: speed "fast", inference_geo "us"
    Usage u = AnthropicWire.usage(json.readTree("{\"input_tokens\":100,\"output_tokens\":20,"
        + "\"service_tier\":\"standard\",\"inference_geo\":\"us\",\"speed\":\"fast\"}"));

    assertThat(u.raw()).containsEntry("speed=fast", 1L).containsEntry("inference_geo=us", 1L)
        .containsEntry("service_tier=standard", 1L).containsEntry("input_tokens", 100L);
    // at Opus 4.6 rates with its fast-mode 6x and US-only 1.1x: (100 x 5 + 20 x 25) = 1000 x 6 x 1.1 = 6600
    ModelPrice opus46 = new ModelPrice(new BigDecimal("5"), null, null, null, new BigDecimal("25"), null, 0, null, 0,
        null, null, Map.of("speed=fast", new BigDecimal("6"), "inference_geo=us", new BigDecimal("1.1")), null);
    assertThat(opus46.cost(u)).isEqualByComparingTo("0.0066");
  }

  @Test
  void missingUsageIsNullNotZero() {
    server.enqueue(json(200, "{\"id\":\"msg_01\",\"type\":\"message\",\"role\":\"assistant\",\"model\":"
        + "\"claude-haiku-4-5-20251001\",\"content\":[{\"type\":\"text\",\"text\":\"ok\"}],\"stop_reason\":\"end_turn\"}"));

    assertThat(client.complete(request()).usage()).isNull();
  }

  @Test
  void streamDeliversTextDeltasInOrderIgnoresThinkingAndReplacesCumulativeUsage() throws Exception {
    server.enqueue(sse(MESSAGE_START + THINKING_START + PING + THINKING_DELTA + SIGNATURE_DELTA + BLOCK_STOP
        + BLOCK_START + textDelta("Hello") + textDelta(", world") + BLOCK_STOP
        + event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":null},\"usage\":{\"output_tokens\":9}}")
        + MESSAGE_DELTA + MESSAGE_STOP));
    List<String> deltas = new ArrayList<>();

    ProviderResponse r = client.stream(request(), deltas::add);

    assertThat(deltas).containsExactly("Hello", ", world");
    assertThat(r.text()).isEqualTo("Hello, world");
    assertThat(r.model()).isEqualTo("claude-haiku-4-5-20251001");
    assertThat(r.finishReason()).isEqualTo("end_turn");
    assertThat(r.requestId()).isEqualTo("req_stream1");
    Usage u = r.usage();
    assertThat(u.inputTokens()).isEqualTo(25 + 4100);
    assertThat(u.cachedInputTokens()).isEqualTo(4100);
    assertThat(u.cacheWriteTokens()).isZero();
    // output 1 (message_start), then 9, then 15: cumulative, so the last replaces; never 1 + 9 + 15
    assertThat(u.outputTokens()).isEqualTo(15);
    assertThat(HAIKU.cost(u)).isEqualByComparingTo("0.000510"); // 25 x 1 + 4100 x 0.10 + 15 x 5
    JsonNode body = json.readTree(server.takeRequest().getBody().utf8());
    assertThat(body.get("stream").asBoolean()).isTrue();
  }

  @Test
  void streamedMessageDeltaWithInputCountsReplacesThemToo() {
    server.enqueue(sse(MESSAGE_START + BLOCK_START + textDelta("Hi") + BLOCK_STOP
        + event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"max_tokens\"},\"usage\":"
            + "{\"input_tokens\":25,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":4100,"
            + "\"output_tokens\":300}}")
        + MESSAGE_STOP));

    Usage u = client.stream(request(), d -> { }).usage();

    assertThat(u.inputTokens()).isEqualTo(4125);
    assertThat(u.outputTokens()).isEqualTo(300);
  }

  @Test
  void streamWithoutMessageStopIsTruncatedAndRetryable() {
    server.enqueue(sse(MESSAGE_START + BLOCK_START + textDelta("Hel") + BLOCK_STOP + MESSAGE_DELTA));
    List<String> deltas = new ArrayList<>();

    ProviderException e = catchThrowableOfType(ProviderException.class, () -> client.stream(request(), deltas::add));

    assertThat(e.errorCode()).isEqualTo("stream_truncated");
    assertThat(e.retryable()).isTrue();
    assertThat(e.requestId()).isEqualTo("req_stream1");
    assertThat(e.getMessage()).contains("message_stop");
    assertThat(deltas).containsExactly("Hel");
  }

  @Test
  void connectionCutMidStreamIsTruncated() {
    server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
        .addHeader("request-id", "req_cut").body(MESSAGE_START + BLOCK_START + textDelta("Hello") + MESSAGE_DELTA
            + MESSAGE_STOP).onResponseBody(new SocketEffect.CloseSocket()).build());

    ProviderException e = catchThrowableOfType(ProviderException.class, () -> client.stream(request(), d -> { }));

    assertThat(e.errorCode()).isEqualTo("stream_truncated");
    assertThat(e.retryable()).isTrue();
    assertThat(e.requestId()).isEqualTo("req_cut");
  }

  @Test
  void overloadedErrorEventMidStreamFailsRetryable() {
    server.enqueue(sse(MESSAGE_START + BLOCK_START + textDelta("Hel")
        + event("error", errorBody("overloaded_error", "Overloaded"))));

    ProviderException e = catchThrowableOfType(ProviderException.class, () -> client.stream(request(), d -> { }));

    assertThat(e.errorCode()).isEqualTo("overloaded_error");
    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage()).contains("Overloaded");
  }

  @Test
  void rateLimitIsRetryableWithRetryAfterAndRequestId() {
    server.enqueue(new MockResponse.Builder().code(429).addHeader("Content-Type", "application/json")
        .addHeader("request-id", "req_429").addHeader("retry-after", "17")
        .addHeader("anthropic-ratelimit-requests-remaining", "0")
        .body(errorBody("rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit"))
        .build());

    ProviderException e = catchThrowableOfType(ProviderException.class, () -> client.complete(request()));

    assertThat(e.provider()).isEqualTo("anthropic");
    assertThat(e.status()).isEqualTo(429);
    assertThat(e.errorCode()).isEqualTo("rate_limit_error");
    assertThat(e.retryable()).isTrue();
    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(17));
    assertThat(e.requestId()).isEqualTo("req_429");
  }

  @Test
  void overloaded529IsRetryable() {
    server.enqueue(json(529, errorBody("overloaded_error", "Overloaded")));

    ProviderException e = catchThrowableOfType(ProviderException.class, () -> client.complete(request()));

    assertThat(e.status()).isEqualTo(529);
    assertThat(e.errorCode()).isEqualTo("overloaded_error");
    assertThat(e.retryable()).isTrue();
  }

  @Test
  void internalServerErrorIsRetryable() {
    server.enqueue(json(500, errorBody("api_error", "An unexpected error has occurred internal to Anthropic's systems.")));

    ProviderException e = catchThrowableOfType(ProviderException.class, () -> client.complete(request()));

    assertThat(e.errorCode()).isEqualTo("api_error");
    assertThat(e.retryable()).isTrue();
    assertThat(e.requestId()).isEqualTo("req_011CSHoEeqs5C35K2UUqR7Fy");
  }

  @Test
  void invalidRequestIsNotRetryable() {
    server.enqueue(json(400, errorBody("invalid_request_error", "max_tokens: Field required")));

    ProviderException e = catchThrowableOfType(ProviderException.class, () -> client.complete(request()));

    assertThat(e.status()).isEqualTo(400);
    assertThat(e.errorCode()).isEqualTo("invalid_request_error");
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).contains("max_tokens: Field required");
  }

  @Test
  void authenticationErrorNeverQuotesTheKey() {
    server.enqueue(json(401, errorBody("authentication_error", "invalid x-api-key " + KEY)));

    ProviderException e = catchThrowableOfType(ProviderException.class, () -> client.complete(request()));

    assertThat(e.status()).isEqualTo(401);
    assertThat(e.errorCode()).isEqualTo("authentication_error");
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).doesNotContain(KEY).doesNotContain("testkeyabcdefghij");
    assertThat(client.toString()).doesNotContain(KEY);
  }

  @Test
  void streamRequestRefusedWithAnErrorStatusMapsTheSameWay() {
    server.enqueue(json(529, errorBody("overloaded_error", "Overloaded")));

    ProviderException e = catchThrowableOfType(ProviderException.class, () -> client.stream(request(), d -> { }));

    assertThat(e.status()).isEqualTo(529);
    assertThat(e.retryable()).isTrue();
  }

  @Test
  void listenerThatThrowsCancelsTheCallAndTheThrowGoesOn() {
    server.enqueue(sse(MESSAGE_START + BLOCK_START + textDelta("one") + textDelta("two") + MESSAGE_DELTA
        + MESSAGE_STOP));
    List<String> deltas = new ArrayList<>();

    io.finops4j.api.StreamCancelledException e = catchThrowableOfType(io.finops4j.api.StreamCancelledException.class,
        () -> client.stream(request(), d -> {
          deltas.add(d);
          throw new io.finops4j.api.StreamCancelledException();
        }));

    assertThat(e).isNotNull();
    assertThat(deltas).containsExactly("one");
  }
}
