package io.finops4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.api.Attribution;
import io.finops4j.api.Completion;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.Llm;
import io.finops4j.api.Prompt;
import io.finops4j.core.ConfigLoader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Provider responses replayed over real HTTP through the whole facade, priced with the bundled table. Where each
 * payload comes from (a recording, or constructed from the API reference) is written in
 * {@code src/test/resources/io/finops4j/fixtures/SOURCES.md}.
 */
class PricingReplayTest {

  private final MockWebServer openai = new MockWebServer();
  private final MockWebServer anthropic = new MockWebServer();
  private Llm llm;

  @BeforeEach
  void start() throws IOException {
    openai.start();
    anthropic.start();
    String yaml = """
        finops4j:
          providers:
            openai:    { api-key: sk-test-abcdefghijklmnopqrstuvwxyz1234, base-url: %s }
            anthropic: { api-key: sk-ant-api03-testkeyabcdefghijklmnopqrstuvwxyz, base-url: %s }
          tiers:
            small: [openai/gpt-5.6-sol]
          tasks:
            replay: { tier: small, max-output-tokens: 8000 }
        """.formatted(openai.url("/v1"), anthropic.url("/"));
    llm = Finops4j.builder()
        .config(ConfigLoader.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml"))
        .build();
  }

  @AfterEach
  void stop() {
    llm.close();
    openai.close();
    anthropic.close();
  }

  /** A provider payload from {@code fixtures/}, each cited in its {@code SOURCES.md}; shared by the engine's tests. */
  static String fixture(String name) {
    try (InputStream in = PricingReplayTest.class.getResourceAsStream("fixtures/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static MockResponse json(String body) {
    return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(body).build();
  }

  private Completion call(String model) {
    return llm.complete(CompletionRequest.builder("replay", Prompt.of("Summarize the contract."))
        .attribution(Attribution.of("acme", "replay")).model(model).build());
  }

  @Test
  void openAiCacheWritesArePricedAtTheWriteRateAndPriorityDoublesTheCall() {
    openai.enqueue(json(fixture("openai-gpt-5.6-sol-cache-write-priority.json")));

    Completion c = call("openai/gpt-5.6-sol");

    assertThat(c.usage().inputTokens()).isEqualTo(12_000);
    assertThat(c.usage().cachedInputTokens()).isEqualTo(4_096);
    assertThat(c.usage().cacheWriteTokens()).isEqualTo(6_144);
    assertThat(c.usage().raw()).containsEntry("service_tier=priority", 1L)
        .containsEntry("prompt_tokens_details.cache_write_tokens", 6_144L);
    // uncached 12000 - 4096 - 6144 = 1760. Per 1M: 1760 x 4.00 + 4096 x 0.40 + 6144 x 5.00 + 800 x 20.00
    // = 7040 + 1638.4 + 30720 + 16000 = 55398.4; Priority x2 = 110796.8 -> 0.1107968 USD.
    // (Writes read as plain input, as before this fix: (7904 x 4 + 1638.4 + 16000) x 2 = 98508.8 -> 11% low.)
    assertThat(c.costUsd()).isEqualByComparingTo("0.1107968");
  }

  @Test
  void anthropicOneHourCacheWritesFromARecordedUsage() {
    anthropic.enqueue(json(fixture("anthropic-opus-1h-cache-write.json")));

    Completion c = call("anthropic/claude-opus-4-8");

    // input = 2 + 4862 reads + 31874 writes = 36738, all writes held one hour
    assertThat(c.usage().inputTokens()).isEqualTo(36_738);
    assertThat(c.usage().cacheWrite1hTokens()).isEqualTo(31_874);
    // 2 x 5 + 4862 x 0.50 + 31874 x 10 + 6021 x 25 = 10 + 2431 + 318740 + 150525 = 471706 -> 0.471706 USD;
    // inference_geo "not_available" and speed "standard" change nothing
    assertThat(c.costUsd()).isEqualByComparingTo("0.471706");
  }

  @Test
  void sonnet46AboveTwoHundredThousandTokensIsFlatAndUsOnlyInferenceAddsTenPercent() {
    anthropic.enqueue(json(fixture("anthropic-sonnet-4-6-long-context-us.json")));

    Completion c = call("anthropic/claude-sonnet-4-6");

    assertThat(c.usage().raw()).containsEntry("inference_geo=us", 1L);
    // flat rates: 250000 x 3 + 1000 x 15 = 765000 (0.765 USD, not the old premium's 1.5225); US-only x1.1
    // = 841500 -> 0.8415 USD
    assertThat(c.costUsd()).isEqualByComparingTo("0.8415");
  }
}
