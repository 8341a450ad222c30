package io.finops4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.api.Attribution;
import io.finops4j.api.Completion;
import io.finops4j.api.Llm;
import io.finops4j.api.Prompt;
import io.finops4j.core.ConfigLoader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;

/** {@code prompt-caching: true} on a task reaches Anthropic, and the cache read makes the second call cheaper. */
class PromptCachingTest {

  private static MockResponse message(long input, long write, long read, long output) {
    // The Messages API response shape: input_tokens exclude the cache reads and writes.
    return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
        .addHeader("request-id", "req_011").body("{\"id\":\"msg_01\",\"type\":\"message\",\"role\":\"assistant\","
            + "\"model\":\"claude-haiku-4-5-20251001\",\"content\":[{\"type\":\"text\",\"text\":\"ok\"}],"
            + "\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":" + input
            + ",\"cache_creation_input_tokens\":" + write + ",\"cache_read_input_tokens\":" + read
            + ",\"output_tokens\":" + output + "}}").build();
  }

  @Test
  void theSecondCallReadsTheCacheTheFirstWroteAndCostsExactlyThatMuchLess() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.start();
      server.enqueue(message(20, 4550, 0, 60));
      server.enqueue(message(20, 0, 4550, 60));
      String yaml = """
          finops4j:
            providers:
              anthropic: { api-key: sk-ant-test-0000, base-url: %s }
            tiers:
              small: [anthropic/claude-haiku-4-5]
            tasks:
              policy-answer: { tier: small, max-output-tokens: 100, prompt-caching: true }
          """.formatted(server.url("/").toString().replaceAll("/$", ""));
      String system = "Policy line. ".repeat(1400); // about 4550 tokens: above Haiku 4.5's 4096-token minimum
      try (Llm llm = Finops4j.builder().config(ConfigLoader.load(
          new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml")).build()) {
        Prompt prompt = Prompt.builder().system(system).user("Can I return a used item?").build();
        Completion first = llm.complete("policy-answer", prompt, Attribution.of("acme", "help"));
        Completion second = llm.complete("policy-answer", prompt, Attribution.of("acme", "help"));

        assertThat(server.takeRequest().getBody().utf8()).contains("\"cache_control\":{\"type\":\"ephemeral\"}");
        assertThat(first.usage().cacheWriteTokens()).isEqualTo(4550);
        assertThat(second.usage().cachedInputTokens()).isEqualTo(4550);
        // 20 x 1.00 + 4550 x 1.25 + 60 x 5.00 = 6007.5 per 1M; then 20 x 1.00 + 4550 x 0.10 + 60 x 5.00 = 775
        assertThat(first.costUsd()).isEqualByComparingTo("0.0060075");
        assertThat(second.costUsd()).isEqualByComparingTo("0.000775");
      }
    }
  }
}
