package io.finops4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.DeserializationFeature;
import io.finops4j.api.ModelId;
import io.finops4j.api.ModelPrice;
import io.finops4j.api.Usage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** LiteLLM's price map, read from an excerpt of the real file (see litellm/SOURCE.md), merged and diffed. */
class LiteLlmPriceMapTest {

  private static Path excerpt() throws URISyntaxException {
    return Path.of(LiteLlmPriceMapTest.class.getResource("litellm/model_prices_excerpt.json").toURI());
  }

  @Test
  void readsThePerTokenEntriesOfOurProvidersPerMillionTokens() throws Exception {
    Map<ModelId, ModelPrice> map = LiteLlmPriceMap.read(excerpt());

    // the audio model and the Bedrock entry are skipped
    assertThat(map.keySet()).extracting(ModelId::toString).containsExactly("openai/chatgpt-4o-latest",
        "anthropic/claude-haiku-4-5-20251001", "anthropic/claude-haiku-4-5", "anthropic/claude-4-sonnet-20250514",
        "anthropic/claude-sonnet-4-5", "openai/gpt-5.4-mini", "openai/gpt-5.4-nano", "openai/gpt-5-pro",
        "openai/gpt-5-chat-latest");
    ModelPrice mini = map.get(ModelId.parse("openai/gpt-5.4-mini"));
    // 7.5e-07 per token = 0.75 per 1M; batches 3.75e-07 / 7.5e-07 = 0.5; priority 1.5e-06 / 7.5e-07 = 2
    assertThat(mini.input()).isEqualByComparingTo("0.75");
    assertThat(mini.cachedInput()).isEqualByComparingTo("0.075");
    assertThat(mini.output()).isEqualByComparingTo("4.5");
    assertThat(mini.batchDiscount()).isEqualByComparingTo("0.5");
    assertThat(mini.multipliers().get("service_tier=priority")).isEqualByComparingTo("2");
    assertThat(mini.multipliers().get("service_tier=flex")).isEqualByComparingTo("0.5");
    ModelPrice sonnet = map.get(ModelId.parse("anthropic/claude-sonnet-4-5"));
    assertThat(sonnet.cacheWrite1h()).isEqualByComparingTo("6");
    assertThat(sonnet.longContextThreshold()).isEqualTo(200_000);
    assertThat(sonnet.longContext().cacheWrite1h()).isEqualByComparingTo("12");
    // 250000 x 6 + 1000 x 22.5 = 1522500 -> 1.5225, as the bundled entry prices it
    assertThat(sonnet.cost(Usage.of(250_000, 1000))).isEqualByComparingTo("1.5225");
  }

  @Test
  void aPriceFileIsMergedOverTheBundledTable() throws Exception {
    var node = ConfigLoader.load(new ByteArrayInputStream(("finops4j:\n  prices: { file: '" + excerpt() + "' }\n")
        .getBytes(StandardCharsets.UTF_8)), "t.yaml");

    PriceCatalog prices = PriceCatalog.bundled().withPriceFile(node.get("prices"));

    assertThat(prices.version()).isEqualTo("2026-12-03+litellm");
    // an added model gets the provider's batch API: 1000 x 5 + 1000 x 15 = 20000 -> 0.02, at batch 0.01
    ModelPrice added = prices.price(ModelId.parse("openai/chatgpt-4o-latest"));
    assertThat(added.cost(Usage.of(1000, 1000))).isEqualByComparingTo("0.02");
    assertThat(added.batchCost(Usage.of(1000, 1000))).isEqualByComparingTo("0.01");
    // a merged model takes the map's figures (gpt-5-pro's max output, 128000) and keeps what the map does not
    // give (Sonnet 4.5's retirement date)
    assertThat(prices.price(ModelId.parse("openai/gpt-5-pro")).maxOutputTokens()).isEqualTo(128_000);
    assertThat(prices.price(ModelId.parse("anthropic/claude-sonnet-4-5")).retired()).hasToString("2026-11-30");
  }

  @Test
  void aPriceThatMovesMoreThanTenfoldIsRefusedWithAWarningNamingTheModel() throws Exception {
    // constructed for this test (not from the LiteLLM file): gpt-5-mini at 2.5e-05 per token is $25 per 1M,
    // 100x the bundled $0.25; gpt-5-nano at 6e-08 is $0.06 per 1M, 1.2x the bundled $0.05
    String json = """
        {"gpt-5-mini": {"input_cost_per_token": 2.5e-05, "output_cost_per_token": 2e-06, "litellm_provider": "openai",
                        "mode": "chat"},
         "gpt-5-nano": {"input_cost_per_token": 6e-08, "output_cost_per_token": 4e-07, "litellm_provider": "openai",
                        "mode": "chat"}}
        """;
    Map<ModelId, ModelPrice> map = LiteLlmPriceMap.parse(new ObjectMapper()
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).readTree(json), "test");
    List<String> warnings = new ArrayList<>();

    PriceCatalog prices = PriceCatalog.bundled().withPriceMap(map, "litellm", warnings::add);

    assertThat(warnings).containsExactly("price map litellm: refused openai/gpt-5-mini: input 25 is more than 10x away"
        + " from the bundled 0.25 USD per 1M tokens; keeping the bundled price");
    assertThat(prices.price(ModelId.parse("openai/gpt-5-mini")).input()).isEqualByComparingTo("0.25");
    // nano is merged: 1000 uncached x 0.06 + 1000 cached x 0.005 (bundled, kept) + 1000 out x 0.40
    // = 60 + 5 + 400 = 465 -> 0.000465
    assertThat(prices.price(ModelId.parse("openai/gpt-5-nano")).cost(Usage.builder().inputTokens(2000)
        .cachedInputTokens(1000).outputTokens(1000).build())).isEqualByComparingTo("0.000465");
  }

  @Test
  void theDiffNamesEveryDisagreementAndEveryModelOnlyOneSideHas() throws Exception {
    List<String> lines = PriceDiff.diff(PriceCatalog.bundled(), LiteLlmPriceMap.read(excerpt()), "litellm");

    assertThat(lines).filteredOn(l -> l.startsWith("differs")).containsExactly(
        "differs openai/gpt-5-pro: max-output-tokens 272000 (finops4j) vs 128000 (litellm)");
    assertThat(lines).filteredOn(l -> l.startsWith("only in litellm")).containsExactly(
        "only in litellm: anthropic/claude-4-sonnet-20250514", "only in litellm: openai/chatgpt-4o-latest");
    assertThat(lines).contains("only in finops4j: openai/gpt-5.6-sol", "only in finops4j: gemini/gemini-3.1-pro-preview")
        .doesNotContain("only in finops4j: anthropic/claude-haiku-4-5", "only in finops4j: openai/gpt-5-chat");
  }

  @Test
  void theCommandLinePrintsTheDiffAndExitsOneWhenTheTablesDisagree() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int code = PriceDiff.run(new String[] {"--litellm", excerpt().toString()}, new PrintStream(out, true),
        new PrintStream(err, true));

    assertThat(code).isEqualTo(1);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("differs openai/gpt-5-pro: max-output-tokens");
    assertThat(PriceDiff.run(new String[] {"--litellm"}, new PrintStream(out), new PrintStream(err))).isEqualTo(2);
  }
}
