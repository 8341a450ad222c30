package io.finops4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.finops4j.api.ConfigException;
import io.finops4j.api.ModelId;
import io.finops4j.api.Usage;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PriceCatalogTest {

  private final PriceCatalog prices = PriceCatalog.bundled();

  /** Each row: model, input, cached, cache-write (5m), cache-write (1h), output, reasoning, expected USD by hand. */
  @ParameterizedTest(name = "{0}: {7}")
  @CsvSource({
      // 1000 in x 0.25 + 500 out x 2.00 = 250 + 1000 = 1250 per 1M -> 0.00125
      "openai/gpt-5-mini,        1000,    0,    0,   0, 500,   0, 0.00125",
      // 800 uncached x 0.25 + 200 cached x 0.025 + 500 x 2.00 = 200 + 5 + 1000 = 1205 -> 0.001205
      "openai/gpt-5-mini,        1000,  200,    0,   0, 500,   0, 0.001205",
      // reasoning is inside output: 100 in x 1.25 + 2000 out x 10 = 125 + 20000 -> 0.020125
      "openai/gpt-5,              100,    0,    0,   0, 2000, 1500, 0.020125",
      // Anthropic: 1000 uncached x 1 + 3000 reads x 0.10 + 2000 writes 5m x 1.25 + 1000 writes 1h x 2 + 100 out x 5
      // = 1000 + 300 + 2500 + 2000 + 500 = 6300 -> 0.0063
      "anthropic/claude-haiku-4-5, 7000, 3000, 2000, 1000, 100,  0, 0.0063",
      // Sonnet at 200,000 input tokens is still the base tier: 200000 x 3 + 1000 x 15 = 615000 -> 0.615
      "anthropic/claude-sonnet-4-6, 200000, 0, 0,   0, 1000,   0, 0.615",
      // one token above: the whole request at the long-context rates: 200001 x 6 + 1000 x 22.5 = 1222506 -> 1.222506
      "anthropic/claude-sonnet-4-6, 200001, 0, 0,   0, 1000,   0, 1.222506",
      // Gemini Pro long context with cached tokens: 250000 in (50000 cached) -> 200000 x 2.5 + 50000 x 0.25 + 100 x 15
      // = 500000 + 12500 + 1500 = 514000 -> 0.514
      "gemini/gemini-2.5-pro,    250000, 50000, 0,  0, 100,   0, 0.514",
      // snapshot id resolves to the base model's price
      "openai/gpt-5-mini-2025-08-07, 1000, 0, 0,    0, 500,   0, 0.00125",
      "anthropic/claude-haiku-4-5-20251001, 1000, 0, 0, 0, 0,  0, 0.001",
      // the simulator prices a model as the real model of the same name
      "simulator/gpt-5-mini,     1000,    0,    0,   0, 500,   0, 0.00125",
  })
  void costsAreExact(String model, long in, long cached, long write, long write1h, long out, long reasoning,
      String expected) {
    Usage usage = Usage.builder().inputTokens(in).cachedInputTokens(cached).cacheWriteTokens(write + write1h)
        .cacheWrite1hTokens(write1h).outputTokens(out).reasoningTokens(reasoning).build();
    BigDecimal cost = prices.price(ModelId.parse(model)).cost(usage);
    assertThat(cost).isEqualByComparingTo(expected);
  }

  @Test
  void batchRateIsHalf() {
    assertThat(prices.price(ModelId.parse("openai/gpt-5-mini")).batchCost(Usage.of(1000, 500)))
        .isEqualByComparingTo("0.000625");
  }

  @Test
  void worstCaseBillsEveryInputTokenAtTheHighestInputRate() {
    // haiku: input 1.00, 5m write 1.25, 1h write 2.00 -> 1000 x 2.00 + 100 x 5 = 2500 -> 0.0025
    assertThat(prices.price(ModelId.parse("anthropic/claude-haiku-4-5")).worstCase(1000, 100))
        .isEqualByComparingTo("0.0025");
  }

  @Test
  void everyBundledEntryIsDatedAndSourced() {
    assertThat(prices.all()).hasSizeGreaterThan(20);
    prices.all().forEach((id, p) -> {
      assertThat(p.source()).as(id + " source").startsWith("https://");
      assertThat(p.effective()).as(id + " effective date").isNotNull();
    });
    assertThat(prices.version()).isEqualTo("2026-11-01");
  }

  @Test
  void overridesReplaceAndAddModelsAndMarkTheVersion() {
    var node = ConfigLoader.load(new ByteArrayInputStream((
        "finops4j:\n  models:\n    openai/gpt-5-mini: { input: 0.20, output: 1.60 }\n"
            + "    acme/local-llama: { input: 0, output: 0.05 }\n").getBytes(StandardCharsets.UTF_8)), "t.yaml");
    PriceCatalog merged = prices.withOverrides(node.get("models"));
    assertThat(merged.price(ModelId.parse("openai/gpt-5-mini")).cost(Usage.of(1000, 500)))
        .isEqualByComparingTo("0.001");
    assertThat(merged.price(ModelId.parse("acme/local-llama")).cost(Usage.of(1000, 1000)))
        .isEqualByComparingTo("0.00005");
    assertThat(merged.version()).isEqualTo("2026-11-01+overrides");
  }

  @Test
  void badOverrideNamesThePath() {
    var node = ConfigLoader.load(new ByteArrayInputStream(
        "finops4j:\n  models:\n    openai/gpt-5-mini: { input: cheap, output: 1.60 }\n".getBytes(StandardCharsets.UTF_8)),
        "t.yaml");
    assertThatThrownBy(() -> prices.withOverrides(node.get("models")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("finops4j.models.openai/gpt-5-mini.input: expected a decimal number, got 'cheap' (in t.yaml, line 3, column 26)");
  }

  @Test
  void unknownModelSaysHowToAddAPrice() {
    assertThatThrownBy(() -> prices.price(ModelId.parse("acme/mystery")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("no price is known for model acme/mystery")
        .hasMessageContaining("finops4j.models");
  }
}
