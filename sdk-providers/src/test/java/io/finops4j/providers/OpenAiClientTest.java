package io.finops4j.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.finops4j.api.Prompt;
import io.finops4j.api.ProviderException;
import io.finops4j.api.Usage;
import io.finops4j.api.spi.ProviderRequest;
import io.finops4j.api.spi.ProviderResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OpenAiClientTest extends ServerTest {

  static final String KEY = "sk-test-abcdefghijklmnopqrstuvwxyz1234";

  // Wire payloads written from the OpenAI Chat Completions API reference (chat.completion object, streamed
  // chat.completion.chunk objects with stream_options.include_usage, and the error object).
  static final String COMPLETION = """
      {
        "id": "chatcmpl-C7xQ2d1Zb3pYkLmN0oP9qRsTuVwX",
        "object": "chat.completion",
        "created": 1756215000,
        "model": "gpt-5-mini-2025-08-07",
        "choices": [
          {
            "index": 0,
            "message": {
              "role": "assistant",
              "content": "Billing question: the customer was charged twice.",
              "refusal": null,
              "annotations": []
            },
            "logprobs": null,
            "finish_reason": "stop"
          }
        ],
        "usage": {
          "prompt_tokens": 2006,
          "completion_tokens": 300,
          "total_tokens": 2306,
          "prompt_tokens_details": { "cached_tokens": 1920, "audio_tokens": 0 },
          "completion_tokens_details": {
            "reasoning_tokens": 256,
            "audio_tokens": 0,
            "accepted_prediction_tokens": 0,
            "rejected_prediction_tokens": 0
          }
        },
        "service_tier": "default",
        "system_fingerprint": null
      }
      """;

  static final String CHUNK_HEAD = "{\"id\":\"chatcmpl-C7xR\",\"object\":\"chat.completion.chunk\",\"created\":1756215001,"
      + "\"model\":\"gpt-5-mini-2025-08-07\",\"service_tier\":\"default\",\"system_fingerprint\":null,";

  static String contentChunk(String delta) {
    return "data: " + CHUNK_HEAD + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + delta
        + "\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null,\"obfuscation\":\"x1\"}\n\n";
  }

  static final String ROLE_CHUNK = "data: " + CHUNK_HEAD + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
      + "\"content\":\"\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n";
  static final String FINISH_CHUNK = "data: " + CHUNK_HEAD + "\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,"
      + "\"finish_reason\":\"stop\"}],\"usage\":null}\n\n";
  static final String USAGE_CHUNK = "data: " + CHUNK_HEAD + "\"choices\":[],\"usage\":{\"prompt_tokens\":1317,"
      + "\"completion_tokens\":128,\"total_tokens\":1445,\"prompt_tokens_details\":{\"cached_tokens\":1152,"
      + "\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":64,\"audio_tokens\":0,"
      + "\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}}\n\n";
  static final String DONE = "data: [DONE]\n\n";

  static final String RATE_LIMIT = """
      {
          "error": {
              "message": "Rate limit reached for gpt-5-mini in organization org-Qx7 on tokens per min (TPM): Limit 200000, Used 199500, Requested 800. Please try again in 90ms. Visit https://platform.openai.com/account/rate-limits to learn more.",
              "type": "tokens",
              "param": null,
              "code": "rate_limit_exceeded"
          }
      }
      """;

  OpenAiClient client;

  @BeforeEach
  void start() {
    client = clientBuilder().build();
  }

  OpenAiClient.Builder clientBuilder() {
    // errorDetail: these tests read the provider's error text; ErrorDetailTest covers the default
    return OpenAiClient.builder().apiKey(KEY).baseUrl(server.url("/v1").toString()).errorDetail(true);
  }

  @AfterEach
  void stop() {
    client.close();
  }

  static ProviderRequest request() {
    Prompt prompt = Prompt.builder().system("Classify the ticket.").user("I was charged twice").build();
    return new ProviderRequest("gpt-5-mini", prompt, 300, null, "user-42", false);
  }

  static MockResponse json(int code, String body) {
    return answer(code, "application/json", "x-request-id", "req_7f3a", body);
  }

  static MockResponse sse(String body) {
    return answer(200, SSE, "x-request-id", "req_s1", body);
  }

  @Test
  void completeParsesTextAndExactUsage() throws Exception {
    server.enqueue(json(200, COMPLETION));

    ProviderResponse r = client.complete(request());

    assertThat(r.text()).isEqualTo("Billing question: the customer was charged twice.");
    assertThat(r.model()).isEqualTo("gpt-5-mini-2025-08-07");
    assertThat(r.finishReason()).isEqualTo("stop");
    assertThat(r.requestId()).isEqualTo("req_7f3a");
    Usage u = r.usage();
    // prompt_tokens includes cached_tokens and completion_tokens includes reasoning_tokens: subsets, not sums
    assertThat(u.inputTokens()).isEqualTo(2006);
    assertThat(u.cachedInputTokens()).isEqualTo(1920);
    assertThat(u.uncachedInputTokens()).isEqualTo(86);
    assertThat(u.outputTokens()).isEqualTo(300);
    assertThat(u.reasoningTokens()).isEqualTo(256);
    assertThat(u.cacheWriteTokens()).isZero();
    assertThat(u.estimated()).isFalse();
    assertThat(u.raw()).containsEntry("prompt_tokens", 2006L).containsEntry("total_tokens", 2306L)
        .containsEntry("prompt_tokens_details.cached_tokens", 1920L)
        .containsEntry("completion_tokens_details.reasoning_tokens", 256L);
  }

  @Test
  void requestCarriesModelMessagesLimitsAndUserAndKeyOnlyInHeader() throws Exception {
    server.enqueue(json(200, COMPLETION));
    client.complete(new ProviderRequest("gpt-5-mini", Prompt.builder().system("Classify the ticket.")
        .user("I was charged twice").assistant("Which order?").user("#1234").build(), 300, 0.2, "user-42", false));

    RecordedRequest rec = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(rec.getMethod()).isEqualTo("POST");
    assertThat(rec.getUrl().encodedPath()).isEqualTo("/v1/chat/completions");
    assertThat(rec.getUrl().query()).isNull();
    assertThat(rec.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
    String body = rec.getBody().utf8();
    assertThat(body).doesNotContain(KEY);
    JsonNode j = json.readTree(body);
    assertThat(j.get("model").asText()).isEqualTo("gpt-5-mini");
    assertThat(j.get("messages").toString()).isEqualTo("[{\"role\":\"system\",\"content\":\"Classify the ticket.\"},"
        + "{\"role\":\"user\",\"content\":\"I was charged twice\"},{\"role\":\"assistant\",\"content\":\"Which order?\"},"
        + "{\"role\":\"user\",\"content\":\"#1234\"}]");
    assertThat(j.get("max_completion_tokens").asInt()).isEqualTo(300);
    assertThat(j.has("max_tokens")).isFalse();
    assertThat(j.get("temperature").asDouble()).isEqualTo(0.2);
    assertThat(j.get("user").asText()).isEqualTo(EndUserTest.USER_42_SHA256); // hashed by default
    assertThat(j.has("stream")).isFalse();
  }

  @Test
  void aPromptLargerThanTheJsonWritersBufferGoesOutWholeAndExact() throws Exception {
    // 30 KB of text with two- and three-byte characters and escapes: the JSON writer flushes it in several pieces,
    // and a character may straddle two of them
    String document = "Rechnung Nr. 1234 — doppelt belastet, «bitte prüfen»\n\t\"€ 49,90\"\\ ".repeat(500);
    server.enqueue(json(200, COMPLETION));
    client.complete(new ProviderRequest("gpt-5-mini", Prompt.builder().system("Classify the ticket.")
        .user(document).build(), 300, null, null, false));

    RecordedRequest rec = server.takeRequest(5, TimeUnit.SECONDS);
    byte[] sent = rec.getBody().toByteArray();
    assertThat(Long.parseLong(rec.getHeaders().get("Content-Length"))).isEqualTo(sent.length);
    JsonNode j = json.readTree(sent);
    assertThat(j.get("messages").get(1).get("content").asText()).isEqualTo(document);
    assertThat(sent).isEqualTo(json.writeValueAsBytes(j)); // the compact form, nothing doubled or dropped
  }

  @Test
  void optionalFieldsAreOmittedAndMaxTokensFieldIsConfigurable() throws Exception {
    client.close();
    client = clientBuilder().maxTokensField("max_tokens").organization("org-1").project("proj-1").build();
    server.enqueue(json(200, COMPLETION));
    client.complete(new ProviderRequest("llama-3.3-70b", Prompt.of("hi"), 50, null, null, false));

    RecordedRequest rec = server.takeRequest(5, TimeUnit.SECONDS);
    JsonNode j = json.readTree(rec.getBody().utf8());
    assertThat(j.get("max_tokens").asInt()).isEqualTo(50);
    assertThat(j.has("max_completion_tokens")).isFalse();
    assertThat(j.has("temperature")).isFalse();
    assertThat(j.has("user")).isFalse();
    assertThat(rec.getHeaders().get("OpenAI-Organization")).isEqualTo("org-1");
    assertThat(rec.getHeaders().get("OpenAI-Project")).isEqualTo("proj-1");
  }

  @Test
  void missingUsageIsNullNotZero() {
    server.enqueue(json(200, "{\"id\":\"x\",\"object\":\"chat.completion\",\"model\":\"m\",\"choices\":[{\"index\":0,"
        + "\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}"));

    assertThat(client.complete(request()).usage()).isNull();
  }

  @Test
  void streamDeliversDeltasInOrderAndUsageFromTheFinalChunk() throws Exception {
    server.enqueue(sse(ROLE_CHUNK + contentChunk("Hello") + contentChunk(", caf\u00e9") + contentChunk(" \u2615")
        + FINISH_CHUNK + USAGE_CHUNK + DONE));
    List<String> deltas = new ArrayList<>();

    ProviderResponse r = client.stream(request(), deltas::add);

    assertThat(deltas).containsExactly("Hello", ", caf\u00e9", " \u2615");
    assertThat(r.text()).isEqualTo("Hello, caf\u00e9 \u2615");
    assertThat(r.finishReason()).isEqualTo("stop");
    assertThat(r.requestId()).isEqualTo("req_s1");
    assertThat(r.model()).isEqualTo("gpt-5-mini-2025-08-07");
    assertThat(r.usage()).isEqualTo(Usage.builder().inputTokens(1317).cachedInputTokens(1152).outputTokens(128)
        .reasoningTokens(64).raw(r.usage().raw()).build());
    assertThat(r.usage().raw()).containsEntry("completion_tokens", 128L);

    JsonNode sent = json.readTree(server.takeRequest(5, TimeUnit.SECONDS).getBody().utf8());
    assertThat(sent.get("stream").asBoolean()).isTrue();
    assertThat(sent.get("stream_options").get("include_usage").asBoolean()).isTrue();
  }

  @Test
  void streamRecordsTheServiceTierAndCacheWrites() {
    // chunks as the API reference shows them, for a GPT-5.6 call served on the Flex tier that wrote to the cache
    String head = CHUNK_HEAD.replace("gpt-5-mini-2025-08-07", "gpt-5.6-luna").replace("\"default\"", "\"flex\"");
    String usage = "data: " + head + "\"choices\":[],\"usage\":{\"prompt_tokens\":5000,\"completion_tokens\":40,"
        + "\"total_tokens\":5040,\"prompt_tokens_details\":{\"cached_tokens\":1024,\"cache_write_tokens\":3072},"
        + "\"completion_tokens_details\":{\"reasoning_tokens\":0}}}\n\n";
    server.enqueue(sse("data: " + head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\"},"
        + "\"finish_reason\":\"stop\"}],\"usage\":null}\n\n" + usage + DONE));

    Usage u = client.stream(request(), d -> { }).usage();

    assertThat(u.cachedInputTokens()).isEqualTo(1024);
    assertThat(u.cacheWriteTokens()).isEqualTo(3072);
    assertThat(u.uncachedInputTokens()).isEqualTo(904);
    assertThat(u.raw()).containsEntry("service_tier=flex", 1L);
  }

  @Test
  void cacheWritesLargerThanWhatReadsLeaveAreClampedToIt() throws Exception {
    // a server reporting 80 reads and 50 writes of a 100-token prompt: the writes are what is left, 20
    Usage u = OpenAiWire.usage(json.readTree("{\"prompt_tokens\":100,\"completion_tokens\":1,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":80,\"cache_write_tokens\":50}}"));

    assertThat(u.cachedInputTokens()).isEqualTo(80);
    assertThat(u.cacheWriteTokens()).isEqualTo(20);
    assertThat(u.uncachedInputTokens()).isZero();
  }

  @Test
  void streamWithoutUsageChunkHasNullUsage() {
    server.enqueue(sse(ROLE_CHUNK + contentChunk("Hi") + FINISH_CHUNK + DONE));

    ProviderResponse r = client.stream(request(), d -> { });

    assertThat(r.text()).isEqualTo("Hi");
    assertThat(r.usage()).isNull();
  }

  @Test
  void streamEndingWithoutDoneIsTruncatedNotSuccess() {
    server.enqueue(sse(ROLE_CHUNK + contentChunk("Hello") + contentChunk(" wor")));
    List<String> deltas = new ArrayList<>();

    ProviderException e = catchThrowableOfType(ProviderException.class, () -> client.stream(request(), deltas::add));

    assertThat(e.errorCode()).isEqualTo("stream_truncated");
    assertThat(e.retryable()).isTrue();
    assertThat(e.status()).isEqualTo(200);
    assertThat(e.requestId()).isEqualTo("req_s1");
    assertThat(deltas).containsExactly("Hello", " wor");
  }

  @Test
  void streamCutMidEventIsTruncatedNotMalformed() {
    String cut = contentChunk("Hello") + contentChunk("world").substring(0, 40);
    server.enqueue(sse(cut));

    ProviderException e = catchThrowableOfType(ProviderException.class, () -> client.stream(request(), d -> { }));

    assertThat(e.errorCode()).isEqualTo("stream_truncated");
    assertThat(e.retryable()).isTrue();
  }

  @Test
  void streamUsageFromCompatibleServersIsFoundToo() {
    // vLLM: usage-only chunk with "choices": null; Groq: usage under x_groq on the last chunk
    server.enqueue(sse(contentChunk("A") + "data: {\"id\":\"cmpl-1\",\"object\":\"chat.completion.chunk\","
        + "\"model\":\"qwen3\",\"choices\":null,\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3,"
        + "\"total_tokens\":15,\"prompt_tokens_details\":null}}\n\n" + DONE));
    server.enqueue(sse(contentChunk("B") + "data: {\"id\":\"chatcmpl-2\",\"object\":\"chat.completion.chunk\","
        + "\"model\":\"llama-3.3-70b-versatile\",\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,"
        + "\"finish_reason\":\"stop\"}],\"x_groq\":{\"id\":\"req_01\",\"usage\":{\"queue_time\":0.02,"
        + "\"prompt_tokens\":40,\"prompt_time\":0.002,\"completion_tokens\":9,\"completion_time\":0.03,"
        + "\"total_tokens\":49,\"total_time\":0.032}}}\n\n" + DONE));

    Usage vllm = client.stream(request(), d -> { }).usage();
    ProviderResponse groq = client.stream(request(), d -> { });

    assertThat(vllm.inputTokens()).isEqualTo(12);
    assertThat(vllm.outputTokens()).isEqualTo(3);
    assertThat(vllm.cachedInputTokens()).isZero();
    assertThat(groq.usage().inputTokens()).isEqualTo(40);
    assertThat(groq.usage().outputTokens()).isEqualTo(9);
    assertThat(groq.finishReason()).isEqualTo("stop");
    assertThat(groq.text()).isEqualTo("B");
  }

  @Test
  void streamChunkThatIsNotJsonIsMalformed() {
    server.enqueue(sse(contentChunk("A") + "data: {not json\n\n" + DONE));

    ProviderException e = catchThrowableOfType(ProviderException.class, () -> client.stream(request(), d -> { }));

    assertThat(e.errorCode()).isEqualTo("malformed_response");
    assertThat(e.retryable()).isFalse();
  }

  @Test
  void connectionCutMidStreamIsTruncated() {
    server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
        .addHeader("x-request-id", "req_cut").body(ROLE_CHUNK + contentChunk("Hello") + FINISH_CHUNK + USAGE_CHUNK
            + DONE).onResponseBody(new SocketEffect.CloseSocket()).build());

    ProviderException e = catchThrowableOfType(ProviderException.class, () -> client.stream(request(), d -> { }));

    assertThat(e.errorCode()).isEqualTo("stream_truncated");
    assertThat(e.retryable()).isTrue();
    assertThat(e.requestId()).isEqualTo("req_cut");
  }

  @Test
  void streamErrorEventFails() {
    server.enqueue(sse(contentChunk("Hel") + "data: {\"error\":{\"message\":\"The server had an error while processing "
        + "your request.\",\"type\":\"server_error\",\"param\":null,\"code\":null}}\n\n"));

    ProviderException e = catchThrowableOfType(ProviderException.class, () -> client.stream(request(), d -> { }));

    assertThat(e.errorCode()).isEqualTo("server_error");
    assertThat(e.retryable()).isTrue();
  }

  @Test
  void streamRequestAnsweredWithPlainJsonStillWorks() {
    server.enqueue(json(200, COMPLETION));
    List<String> deltas = new ArrayList<>();

    ProviderResponse r = client.stream(request(), deltas::add);

    assertThat(deltas).containsExactly("Billing question: the customer was charged twice.");
    assertThat(r.usage().inputTokens()).isEqualTo(2006);
  }

  @Test
  void rateLimitIsRetryableWithRetryAfterRequestIdAndCode() {
    server.enqueue(new MockResponse.Builder().code(429).addHeader("Content-Type", "application/json")
        .addHeader("x-request-id", "req_429abc").addHeader("Retry-After", "2").body(RATE_LIMIT).build());

    ProviderException e = catchThrowableOfType(ProviderException.class, () -> client.complete(request()));

    assertThat(e.provider()).isEqualTo("openai");
    assertThat(e.status()).isEqualTo(429);
    assertThat(e.retryable()).isTrue();
    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(2));
    assertThat(e.requestId()).isEqualTo("req_429abc");
    assertThat(e.errorCode()).isEqualTo("rate_limit_exceeded");
    assertThat(e.getMessage()).startsWith("openai returned HTTP 429 (rate_limit_exceeded): Rate limit reached")
        .endsWith("[request id req_429abc]");
    // the provider's message is cut short: it may echo input
    assertThat(e.getMessage().length()).isLessThan(300);
  }

  @Test
  void streamRequestRefusedWithAnErrorStatusMapsTheSameWay() {
    server.enqueue(new MockResponse.Builder().code(429).addHeader("Content-Type", "application/json")
        .addHeader("x-request-id", "req_s429").addHeader("Retry-After", "3").body(RATE_LIMIT).build());
    List<String> deltas = new ArrayList<>();

    ProviderException e = catchThrowableOfType(ProviderException.class, () -> client.stream(request(), deltas::add));

    assertThat(e.status()).isEqualTo(429);
    assertThat(e.retryable()).isTrue();
    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(3));
    assertThat(e.requestId()).isEqualTo("req_s429");
    assertThat(deltas).isEmpty();
  }

  @Test
  void retryAfterMsWinsAndHttpDatesAreUnderstood() {
    client.close();
    Clock clock = Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC);
    client = clientBuilder().clock(clock).build();
    server.enqueue(new MockResponse.Builder().code(429).addHeader("retry-after-ms", "1500")
        .addHeader("Retry-After", "2").body(RATE_LIMIT).build());
    server.enqueue(new MockResponse.Builder().code(503).addHeader("Retry-After", "Tue, 24 Nov 2026 10:00:07 GMT")
        .body("").build());

    assertThat(catchThrowableOfType(ProviderException.class, () -> client.complete(request())).retryAfter())
        .isEqualTo(Duration.ofMillis(1500));
    ProviderException e = catchThrowableOfType(ProviderException.class, () -> client.complete(request()));
    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7));
    assertThat(e.retryable()).isTrue();
  }

  @Test
  void serverErrorIsRetryable() {
    server.enqueue(json(500, "{\"error\":{\"message\":\"The server had an error while processing your request. "
        + "Sorry about that!\",\"type\":\"server_error\",\"param\":null,\"code\":null}}"));

    ProviderException e = catchThrowableOfType(ProviderException.class, () -> client.complete(request()));

    assertThat(e.status()).isEqualTo(500);
    assertThat(e.retryable()).isTrue();
    assertThat(e.errorCode()).isEqualTo("server_error");
    assertThat(e.retryAfter()).isNull();
  }

  @Test
  void badRequestIsNotRetryable() {
    server.enqueue(json(400, "{\"error\":{\"message\":\"Unsupported parameter: 'max_tokens' is not supported with "
        + "this model. Use 'max_completion_tokens' instead.\",\"type\":\"invalid_request_error\","
        + "\"param\":\"max_tokens\",\"code\":\"unsupported_parameter\"}}"));

    ProviderException e = catchThrowableOfType(ProviderException.class, () -> client.complete(request()));

    assertThat(e.status()).isEqualTo(400);
    assertThat(e.retryable()).isFalse();
    assertThat(e.errorCode()).isEqualTo("unsupported_parameter");
    assertThat(e.getMessage()).contains("openai", "400", "req_7f3a");
  }

  @Test
  void unauthorizedNamesProviderStatusAndRequestIdButNeverTheKey() {
    server.enqueue(json(401, "{\"error\":{\"message\":\"Incorrect API key provided: sk-test-*************"
        + "*************1234. You can find your API key at https://platform.openai.com/account/api-keys.\","
        + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}"));

    ProviderException e = catchThrowableOfType(ProviderException.class, () -> client.complete(request()));

    assertThat(e.retryable()).isFalse();
    assertThat(e.errorCode()).isEqualTo("invalid_api_key");
    assertThat(e.getMessage()).contains("openai returned HTTP 401", "req_7f3a", "Incorrect API key provided")
        .doesNotContain(KEY).doesNotContain("sk-test").doesNotContain("1234");
    assertThat(client.toString()).doesNotContain(KEY);
  }

  @Test
  void malformedSuccessBodyIsNotRetryable() {
    server.enqueue(json(200, "<html>upstream proxy error</html>"));
    server.enqueue(json(200, "{\"id\":\"x\",\"object\":\"chat.completion\",\"choices\":[]}"));

    ProviderException notJson = catchThrowableOfType(ProviderException.class, () -> client.complete(request()));
    ProviderException noChoices = catchThrowableOfType(ProviderException.class, () -> client.complete(request()));

    assertThat(notJson.errorCode()).isEqualTo("malformed_response");
    assertThat(notJson.retryable()).isFalse();
    assertThat(notJson.getMessage()).doesNotContain("upstream proxy error");
    assertThat(noChoices.errorCode()).isEqualTo("malformed_response");
    assertThat(noChoices.getMessage()).contains("no choices");
  }

  @Test
  void readTimeoutIsRetryableTimeoutWithStatusZero() {
    client.close();
    client = clientBuilder().readTimeout(Duration.ofMillis(200)).build();
    server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
        .body(COMPLETION).bodyDelay(5, TimeUnit.SECONDS).build());

    ProviderException e = catchThrowableOfType(ProviderException.class, () -> client.complete(request()));

    assertThat(e.errorCode()).isEqualTo("timeout");
    assertThat(e.status()).isZero();
    assertThat(e.retryable()).isTrue();
  }

  @Test
  void connectionRefusedIsRetryableIoError() {
    client.close();
    int port = server.getPort();
    server.close();
    client = OpenAiClient.builder().apiKey(KEY).baseUrl("http://127.0.0.1:" + port + "/v1").build();

    ProviderException e = catchThrowableOfType(ProviderException.class, () -> client.complete(request()));

    assertThat(e.status()).isZero();
    assertThat(e.retryable()).isTrue();
    assertThat(e.errorCode()).isIn("io_error", "timeout");
  }

  @Test
  void apiKeyToStringIsRedacted() {
    assertThat(ApiKey.of(KEY).toString()).isEqualTo("ApiKey[redacted]");
    assertThat(Map.of("k", ApiKey.of(KEY)).toString()).doesNotContain(KEY);
  }

  /**
   * Compatible servers that break OpenAI's streamed tool-call indexes, in the shapes their bug reports show: no
   * index at all (https://github.com/ollama/ollama/issues/7881) and index 0 for every call
   * (https://github.com/ollama/ollama/issues/15457, whose two file_write calls this replays; the ids and the fields
   * the report abbreviates are filled in). Each new id is a call of its own.
   */
  @ParameterizedTest
  @ValueSource(strings = {"", "\"index\":0,"})
  void streamedToolCallsWithoutDistinctIndexesAreTakenOnePerId(String index) {
    String chunk = "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"model\":\"qwen2.5-coder:7b\","
        + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{" + index
        + "\"id\":\"%s\",\"type\":\"function\",\"function\":{\"name\":\"file_write\",\"arguments\":\"%s\"}}]},"
        + "\"finish_reason\":%s}]}\n\n";
    server.enqueue(answer(200, SSE, null, null,
        chunk.formatted("call_abc123", "{\\\"filePath\\\":\\\"hello.py\\\",\\\"content\\\":\\\"print(\\\\\\\"hello\\\\\\\")\\\"}", "null")
        + chunk.formatted("call_def456", "{\\\"filePath\\\":\\\"world.py\\\",\\\"content\\\":\\\"print(\\\\\\\"world\\\\\\\")\\\"}", "\"tool_calls\"")
        + "data: [DONE]\n\n"));

    ProviderResponse r = client.stream(new ProviderRequest("qwen2.5-coder:7b", Prompt.of("Create hello.py and world.py"),
        50, null, null, false), delta -> { });

    assertThat(r.toolCalls()).extracting(io.finops4j.api.ToolCall::id).containsExactly("call_abc123", "call_def456");
    assertThat(r.toolCalls().get(0).arguments()).isEqualTo("{\"filePath\":\"hello.py\",\"content\":\"print(\\\"hello\\\")\"}");
    assertThat(r.toolCalls().get(1).arguments()).isEqualTo("{\"filePath\":\"world.py\",\"content\":\"print(\\\"world\\\")\"}");
  }
}
