package io.finops4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.finops4j.api.Attempt;
import io.finops4j.api.Attribution;
import io.finops4j.api.Completion;
import io.finops4j.api.Llm;
import io.finops4j.api.ModelId;
import io.finops4j.api.Prompt;
import io.finops4j.api.ProviderException;
import io.finops4j.core.ConfigLoader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retries and fallback as a user sees them: the OpenAI client on real HTTP (MockWebServer), a primary and a
 * fallback endpoint, with the engine's backoff recorded instead of slept.
 */
class OverHttpTest {

  // From the OpenAI Chat Completions reference: a completion with cached and reasoning tokens, and error bodies.
  private static final String COMPLETION = """
      {"id":"chatcmpl-C7xQ","object":"chat.completion","created":1756215000,"model":"gpt-5-mini-2025-08-07",
       "choices":[{"index":0,"message":{"role":"assistant","content":"billing","refusal":null},"finish_reason":"stop"}],
       "usage":{"prompt_tokens":2006,"completion_tokens":300,"total_tokens":2306,
                "prompt_tokens_details":{"cached_tokens":1920,"audio_tokens":0},
                "completion_tokens_details":{"reasoning_tokens":256,"audio_tokens":0}}}
      """;
  private static final String RATE_LIMIT = """
      {"error":{"message":"Rate limit reached for gpt-5-mini on tokens per min (TPM).","type":"tokens","param":null,
                "code":"rate_limit_exceeded"}}
      """;
  private static final String SERVER_ERROR = """
      {"error":{"message":"The server had an error while processing your request. Sorry about that!",
                "type":"server_error","param":null,"code":null}}
      """;
  private static final String BAD_KEY = """
      {"error":{"message":"Incorrect API key provided: sk-test-***1234.","type":"invalid_request_error",
                "param":null,"code":"invalid_api_key"}}
      """;

  private final MockWebServer primary = new MockWebServer();
  private final MockWebServer fallback = new MockWebServer();
  private final List<Duration> pauses = new ArrayList<>();
  private Llm llm;

  @BeforeEach
  void start() throws Exception {
    primary.start();
    fallback.start();
    String yaml = """
        finops4j:
          providers:
            openai:   { api-key: sk-test-abcdefghijklmnopqrstuvwxyz1234, base-url: %s, read-timeout: 300ms }
            backup:   { type: openai-compatible, api-key: sk-backup-0000, base-url: %s }
          models:
            backup/gpt-5-mini: { input: 0.25, cached-input: 0.025, output: 2.00 }
          tiers:
            small: [openai/gpt-5-mini, backup/gpt-5-mini]
          tasks:
            classification: { tier: small, max-output-tokens: 400 }
        """.formatted(primary.url("/v1"), fallback.url("/v1"));
    llm = Finops4j.builder().sleeper(pauses::add)
        .config(ConfigLoader.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml"))
        .build();
  }

  @AfterEach
  void stop() {
    llm.close();
    primary.close();
    fallback.close();
  }

  private static MockResponse json(int code, String body, String requestId) {
    return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json")
        .addHeader("x-request-id", requestId).body(body).build();
  }

  private Completion call() {
    return llm.complete("classification", Prompt.of("Where is my refund?"), Attribution.of("acme", "triage"));
  }

  @Test
  void a429WithRetryAfterIsRetriedAfterThatDelayAndPricedExactly() {
    primary.enqueue(new MockResponse.Builder().code(429).addHeader("Content-Type", "application/json")
        .addHeader("Retry-After", "2").addHeader("x-request-id", "req_429").body(RATE_LIMIT).build());
    primary.enqueue(json(200, COMPLETION, "req_ok"));

    Completion c = call();

    assertThat(c.model()).isEqualTo(ModelId.parse("openai/gpt-5-mini"));
    assertThat(c.requestId()).isEqualTo("req_ok");
    assertThat(c.attempts()).extracting(Attempt::outcome).containsExactly("http_429", "ok");
    assertThat(pauses).containsExactly(Duration.ofSeconds(2));
    // 86 uncached x 0.25 + 1920 cached x 0.025 + 300 out x 2.00 = 21.5 + 48 + 600 = 669.5 per 1M
    assertThat(c.costUsd()).isEqualByComparingTo("0.0006695");
    assertThat(c.usage().reasoningTokens()).isEqualTo(256);
    assertThat(fallback.getRequestCount()).isZero();
  }

  @Test
  void fiveHundredsExhaustTheRetriesThenTheFallbackAnswers() {
    for (int i = 0; i < 3; i++) {
      primary.enqueue(json(500, SERVER_ERROR, "req_500_" + i));
    }
    fallback.enqueue(json(200, COMPLETION, "req_backup"));

    Completion c = call();

    assertThat(c.model()).isEqualTo(ModelId.parse("backup/gpt-5-mini"));
    assertThat(c.attempts()).extracting(Attempt::outcome).containsExactly("http_500", "http_500", "http_500", "ok");
    assertThat(c.route().reasons()).last().asString()
        .isEqualTo("fallback to backup/gpt-5-mini: openai HTTP 500 server_error");
    assertThat(primary.getRequestCount()).isEqualTo(3);
    assertThat(pauses).hasSize(2);
  }

  @Test
  void timeoutsFallBackToo() {
    for (int i = 0; i < 3; i++) {
      primary.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
          .body(COMPLETION).bodyDelay(5, TimeUnit.SECONDS).build());
    }
    fallback.enqueue(json(200, COMPLETION, "req_backup"));

    Completion c = call();

    assertThat(c.model()).isEqualTo(ModelId.parse("backup/gpt-5-mini"));
    assertThat(c.attempts()).extracting(Attempt::outcome).containsExactly("timeout", "timeout", "timeout", "ok");
  }

  @Test
  void aRejectedKeyIsNeitherRetriedNorFallenBackFromAndTheMessageHidesTheKey() {
    primary.enqueue(json(401, BAD_KEY, "req_401"));

    assertThatThrownBy(this::call)
        .isInstanceOf(ProviderException.class)
        .hasMessageContaining("openai returned HTTP 401 (invalid_api_key)")
        .hasMessageContaining("req_401")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("sk-test").doesNotContain("1234"));
    assertThat(primary.getRequestCount()).isEqualTo(1);
    assertThat(fallback.getRequestCount()).isZero();
    assertThat(pauses).isEmpty();
  }
}
