package io.finops4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.finops4j.api.ConfigException;
import io.finops4j.api.ModelId;
import io.finops4j.api.ModelPrice;
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
      // Sonnet 4.5 one token above 200k: the whole request at the long-context rates:
      // 200001 x 6 + 1000 x 22.5 = 1200006 + 22500 = 1222506 -> 1.222506
      "anthropic/claude-sonnet-4-5, 200001, 0, 0,   0, 1000,   0, 1.222506",
      // Sonnet 4.6 serves the 1M window at flat rates: 250000 x 3 + 1000 x 15 = 750000 + 15000 = 765000 -> 0.765
      "anthropic/claude-sonnet-4-6, 250000, 0, 0,   0, 1000,   0, 0.765",
      // the same call on Sonnet 4.5 and Sonnet 4 (a dated id) keeps the premium: 250000 x 6 + 1000 x 22.5 = 1522500
      "anthropic/claude-sonnet-4-5, 250000, 0, 0,   0, 1000,   0, 1.5225",
      "anthropic/claude-sonnet-4-20250514, 250000, 0, 0, 0, 1000, 0, 1.5225",
      // Sonnet 5 is flat too: 250000 x 2 + 1000 x 10 = 510000 -> 0.51
      "anthropic/claude-sonnet-5,   250000, 0, 0,   0, 1000,   0, 0.51",
      // GPT-5.6 Sol bills cache writes at 1.25x input: 5000 uncached x 4 + 2000 reads x 0.40 + 3000 writes x 5.00
      // + 1000 out x 20 = 20000 + 800 + 15000 + 20000 = 55800 -> 0.0558
      "openai/gpt-5.6-sol,        10000, 2000, 3000, 0, 1000,  0, 0.0558",
      // above 272k input the whole Sol request is at 2x input, 1.5x output: 300000 x 8 + 1000 x 30 = 2430000 -> 2.43
      "openai/gpt-5.6-sol,       300000,    0,    0, 0, 1000,  0, 2.43",
      // a snapshot with its own entry is priced from it: 1000 x 5 + 500 x 15 = 5000 + 7500 = 12500 -> 0.0125
      "openai/gpt-4o-2024-05-13,   1000,    0,    0, 0,  500,  0, 0.0125",
      // a snapshot without one resolves to its base: gpt-4o 1000 x 2.50 + 500 x 10 = 2500 + 5000 = 7500 -> 0.0075
      "openai/gpt-4o-2024-08-06,   1000,    0,    0, 0,  500,  0, 0.0075",
      // Opus 5.5 reads at 0.05x: 1000 uncached x 4 + 10000 reads x 0.20 + 2000 1h writes x 8 + 100 out x 20
      // = 4000 + 2000 + 16000 + 2000 = 24000 -> 0.024
      "anthropic/claude-opus-5-5, 13000, 10000,    0, 2000, 100, 0, 0.024",
      // Gemini 3.1 Pro above 200k: 250000 x 4 + 1000 x 18 = 1018000 -> 1.018
      "gemini/gemini-3.1-pro-preview, 250000, 0, 0, 0, 1000,   0, 1.018",
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
    assertThat(prices.version()).isEqualTo("2026-12-03");
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
    assertThat(merged.version()).isEqualTo("2026-12-03+overrides");
  }

  /** The models issue 19 found missing: each must be priced, so a tier naming it starts. */
  @ParameterizedTest
  @CsvSource({"openai/gpt-5.2", "openai/gpt-5.4", "openai/gpt-5.4-mini", "openai/gpt-5.4-nano", "openai/gpt-5.5",
      "openai/gpt-5.6", "openai/gpt-5.6-sol", "openai/gpt-5.6-terra", "openai/gpt-5.6-luna", "openai/gpt-5-pro",
      "openai/gpt-5.5-pro", "openai/o3-pro", "openai/o1", "openai/o3-mini", "openai/gpt-5-chat-latest",
      "anthropic/claude-opus-4-6", "anthropic/claude-opus-4-8", "anthropic/claude-opus-5", "anthropic/claude-sonnet-5",
      "anthropic/claude-opus-5-5", "anthropic/claude-sonnet-5-5", "gemini/gemini-3-flash-preview",
      "gemini/gemini-3.1-pro-preview", "gemini/gemini-3.1-flash-lite", "gemini/gemini-3.5-flash",
      "gemini/gemini-3.5-flash-lite"})
  void currentModelsArePriced(String model) {
    assertThat(prices.find(ModelId.parse(model))).as(model).isPresent();
  }

  @Test
  void retiredModelsAndMaxOutputAreData() {
    assertThat(prices.price(ModelId.parse("anthropic/claude-sonnet-4-5")).retired()).hasToString("2026-11-30");
    assertThat(prices.price(ModelId.parse("anthropic/claude-opus-4-1")).retired()).hasToString("2026-08-05");
    assertThat(prices.price(ModelId.parse("gemini/gemini-3-pro-preview")).retired()).hasToString("2026-03-09");
    assertThat(prices.price(ModelId.parse("anthropic/claude-sonnet-4-6")).retired()).isNull();
    assertThat(prices.price(ModelId.parse("anthropic/claude-sonnet-4-6")).maxOutputTokens()).isEqualTo(128_000);
    assertThat(prices.price(ModelId.parse("anthropic/claude-opus-4-7")).maxOutputTokens()).isEqualTo(128_000);
  }

  @Test
  void aSnapshotWithItsOwnEntryIsItsOwnBaseModel() {
    assertThat(prices.baseModel(ModelId.parse("openai/gpt-4o-2024-05-13"))).hasToString("openai/gpt-4o-2024-05-13");
    assertThat(prices.baseModel(ModelId.parse("openai/gpt-4o-2024-08-06"))).hasToString("openai/gpt-4o");
  }

  /** Each row: model, marker(s) the response carried, expected USD by hand for 10,000 in and 1,000 out. */
  @ParameterizedTest(name = "{0} {1}: {2}")
  @CsvSource({
      // (10000 x 4 + 1000 x 20) = 60000 x 2 (Priority) = 120000 -> 0.12
      "openai/gpt-5.6-sol,        service_tier=priority, 0.12",
      // the same call as OpenAI now names it, service_tier "fast"
      "openai/gpt-5.6-sol,        service_tier=fast,     0.12",
      // Flex is half: 60000 x 0.5 = 30000 -> 0.03
      "openai/gpt-5.6-sol,        service_tier=flex,     0.03",
      // "default" changes nothing: 60000 -> 0.06
      "openai/gpt-5.6-sol,        service_tier=default,  0.06",
      // GPT-5.5 Priority is 2.5x: (10000 x 5 + 1000 x 30) = 80000 x 2.5 = 200000 -> 0.2
      "openai/gpt-5.5,            service_tier=priority, 0.2",
      // GPT-5 mini Priority is 1.8x: (10000 x 0.25 + 1000 x 2) = 4500 x 1.8 = 8100 -> 0.0081
      "openai/gpt-5-mini,         service_tier=priority, 0.0081",
      // US-only inference on Opus 4.8: (10000 x 5 + 1000 x 25) = 75000 x 1.1 = 82500 -> 0.0825
      "anthropic/claude-opus-4-8, inference_geo=us,      0.0825",
      // global inference is the standard price: 75000 -> 0.075
      "anthropic/claude-opus-4-8, inference_geo=global,  0.075",
      // fast mode on Opus 4.6 is 6x: 75000 x 6 = 450000 -> 0.45
      "anthropic/claude-opus-4-6, speed=fast,            0.45",
      // fast mode and US-only together on Opus 5 multiply: 75000 x 2 x 1.1 = 165000 -> 0.165
      "anthropic/claude-opus-5,   speed=fast inference_geo=us, 0.165",
  })
  void tiersRegionsAndSpeedScaleTheCost(String model, String markers, String expected) {
    java.util.Map<String, Long> raw = new java.util.HashMap<>();
    for (String marker : markers.split(" ")) {
      raw.put(marker, 1L);
    }
    Usage usage = Usage.builder().inputTokens(10_000).outputTokens(1_000).raw(raw).build();
    assertThat(prices.price(ModelId.parse(model)).cost(usage)).isEqualByComparingTo(expected);
  }

  @Test
  void anOverrideMergesWithTheBundledEntryKeyByKey() {
    var node = ConfigLoader.load(new ByteArrayInputStream((
        "finops4j:\n  models:\n    openai/gpt-5-mini: { input: 0.20, cached-input: 0.02, output: 1.60 }\n"
            + "    anthropic/claude-sonnet-4-5: { input: 2.50, output: 12.00 }\n"
            + "    openai/ft-gpt-5-mini-acme: { input: 1.00, output: 2.00 }\n").getBytes(StandardCharsets.UTF_8)), "t.yaml");
    PriceCatalog merged = prices.withOverrides(node.get("models"));
    // the batch discount survives the override: (1000 x 0.20 + 500 x 1.60) = 200 + 800 = 1000 -> 0.001 x 0.5 = 0.0005
    assertThat(merged.price(ModelId.parse("openai/gpt-5-mini")).batchCost(Usage.of(1000, 500)))
        .isEqualByComparingTo("0.0005");
    // and so does the bundled Priority multiplier (1.8x): 1000 x 1.8 = 1800 -> 0.0018
    assertThat(merged.price(ModelId.parse("openai/gpt-5-mini")).cost(Usage.builder().inputTokens(1000).outputTokens(500)
        .raw(java.util.Map.of("service_tier=priority", 1L)).build())).isEqualByComparingTo("0.0018");
    // the bundled cache-write rate stays: 1000 uncached x 2.50 + 1000 writes x 3.75 = 2500 + 3750 = 6250 -> 0.00625
    assertThat(merged.price(ModelId.parse("anthropic/claude-sonnet-4-5")).cost(Usage.builder().inputTokens(2000)
        .cacheWriteTokens(1000).build())).isEqualByComparingTo("0.00625");
    // and the long-context tier: 250000 x 6 + 1000 x 22.5 = 1522500 -> 1.5225
    assertThat(merged.price(ModelId.parse("anthropic/claude-sonnet-4-5")).cost(Usage.of(250_000, 1000)))
        .isEqualByComparingTo("1.5225");
    // a model added under a provider gets the provider's batch API: (1000 x 1 + 1000 x 2) = 3000 -> 0.003 x 0.5
    assertThat(merged.price(ModelId.parse("openai/ft-gpt-5-mini-acme")).batchCost(Usage.of(1000, 1000)))
        .isEqualByComparingTo("0.0015");
  }

  @Test
  void aPriceGivenInCodeGetsItsProvidersBatchDiscount() {
    PriceCatalog withMine = prices.with(ModelId.parse("openai/ft-acme"), ModelPrice.of("1.00", "2.00"));
    // (1000 x 1 + 1000 x 2) = 3000 -> 0.003, at OpenAI's batch API half: 0.0015
    assertThat(withMine.price(ModelId.parse("openai/ft-acme")).batchCost(Usage.of(1000, 1000)))
        .isEqualByComparingTo("0.0015");
    // a provider without terms: no batch discount, full price
    assertThat(prices.with(ModelId.parse("acme/llama"), ModelPrice.of("1.00", "2.00"))
        .price(ModelId.parse("acme/llama")).batchCost(Usage.of(1000, 1000))).isEqualByComparingTo("0.003");
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
