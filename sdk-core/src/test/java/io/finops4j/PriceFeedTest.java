package io.finops4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.finops4j.api.Attribution;
import io.finops4j.api.ConfigException;
import io.finops4j.api.Llm;
import io.finops4j.api.Prompt;
import io.finops4j.core.ConfigLoader;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The opt-in price feed ({@code finops4j.prices.url}): a price map in LiteLLM's format fetched at start-up and on
 * each refresh, its last good copy used when the URL cannot be read, the bundled table when there is none.
 */
class PriceFeedTest {

  /**
   * Price maps in LiteLLM's format (written here; the real map's format is covered by LiteLlmPriceMapTest): gpt-4o-mini
   * at 0.30 / 1.20 USD per 1M (twice the bundled 0.15 / 0.60), then at 0.45 / 1.80.
   */
  static final String MAP_V1 = """
      {"gpt-4o-mini": {"litellm_provider": "openai", "mode": "chat",
                       "input_cost_per_token": 3e-7, "output_cost_per_token": 1.2e-6}}
      """;
  static final String MAP_V2 = MAP_V1.replace("3e-7", "4.5e-7").replace("1.2e-6", "1.8e-6");

  @TempDir Path dir;
  final MockWebServer openai = new MockWebServer();
  final MockWebServer feed = new MockWebServer();

  @BeforeEach
  void start() throws Exception {
    openai.start();
    feed.start();
  }

  @AfterEach
  void stop() {
    openai.close();
    feed.close();
  }

  private Llm llm(String prices) {
    String yaml = """
        finops4j:
          providers:
            openai: { api-key: sk-test-0000, base-url: %s }
          tiers:
            small: [openai/gpt-4o-mini]
          tasks:
            classification: { tier: small, max-output-tokens: 100 }
          prices: %s
        """.formatted(openai.url("/v1"), prices);
    return Finops4j.builder()
        .config(ConfigLoader.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml"))
        .build();
  }

  private String feedConfig() {
    return "{ url: \"" + feed.url("/model_prices.json") + "\", refresh: 1h, cache-file: \""
        + dir.resolve("prices-cache.json") + "\" }";
  }

  private BigDecimal call(Llm llm) {
    openai.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
        .body(ModelRulesTest.RECORDED).build());
    return llm.complete("classification", Prompt.of("Where is my invoice?"), Attribution.of("acme", "triage"))
        .costUsd();
  }

  @Test
  void theFedPricesApplyAndARefreshReplacesThem() {
    feed.enqueue(new MockResponse.Builder().code(200).body(MAP_V1).build());
    feed.enqueue(new MockResponse.Builder().code(200).body(MAP_V2).build());
    try (Llm llm = llm(feedConfig())) {
      // the recorded usage, 54 in / 79 out: 54 x 0.30 / 1e6 + 79 x 1.20 / 1e6 = 0.0000162 + 0.0000948
      assertThat(call(llm)).isEqualByComparingTo("0.000111");
      ((Engine) llm).refreshPrices();
      // 54 x 0.45 / 1e6 + 79 x 1.80 / 1e6 = 0.0000243 + 0.0001422
      assertThat(call(llm)).isEqualByComparingTo("0.0001665");
    }
    assertThat(dir.resolve("prices-cache.json")).content().contains("4.5e-7");
  }

  @Test
  void anUnreadableUrlFallsBackToTheLastGoodCopyThenToTheBundledTable() throws Exception {
    feed.enqueue(new MockResponse.Builder().code(503).build());
    Files.writeString(dir.resolve("prices-cache.json"), MAP_V1);
    try (Llm llm = llm(feedConfig())) {
      assertThat(call(llm)).isEqualByComparingTo("0.000111"); // the last good copy
    }
    Files.delete(dir.resolve("prices-cache.json"));
    feed.enqueue(new MockResponse.Builder().code(200).body("not json").build());
    try (Llm llm = llm(feedConfig())) {
      // the bundled 0.15 / 0.60: 54 x 0.15 / 1e6 + 79 x 0.60 / 1e6 = 0.0000081 + 0.0000474
      assertThat(call(llm)).isEqualByComparingTo("0.0000555");
    }
    assertThat(dir.resolve("prices-cache.json")).doesNotExist(); // a bad copy never replaces a good one
  }

  @Test
  void aBadFeedConfigurationFailsAtStartUp() {
    assertThatThrownBy(() -> llm("{ url: \"ftp://example.org/prices.json\" }"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("finops4j.prices.url")
        .hasMessageContaining("http or https");
    assertThatThrownBy(() -> llm("{ url: \"" + feed.url("/p.json") + "\", refresh: 1s }"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("finops4j.prices.refresh");
    assertThat(feed.getRequestCount()).isZero();
  }
}
