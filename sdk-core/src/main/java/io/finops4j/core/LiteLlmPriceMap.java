package io.finops4j.core;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.finops4j.api.ConfigException;
import io.finops4j.api.ModelId;
import io.finops4j.api.ModelPrice;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads LiteLLM's price map ({@code model_prices_and_context_window.json}, USD per token) into prices per 1M
 * tokens, for the providers finops4j calls: {@code openai}, {@code anthropic} and {@code gemini}. Entries of other
 * providers, and entries that are not priced per token (images, audio, search), are skipped.
 *
 * <p>Mapped keys: {@code input_cost_per_token}, {@code output_cost_per_token}, {@code cache_read_input_token_cost},
 * {@code cache_creation_input_token_cost}, {@code cache_creation_input_token_cost_above_1hr}, the long-context
 * tier {@code *_above_<N>k_tokens}, {@code max_output_tokens}, the batch discount from
 * {@code input_cost_per_token_batches}, and the Priority and Flex multipliers from
 * {@code input_cost_per_token_priority} and {@code input_cost_per_token_flex}.
 */
final class LiteLlmPriceMap {

  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
  private static final Set<String> PROVIDERS = Set.of("openai", "anthropic", "gemini");
  private static final Set<String> MODES = Set.of("chat", "responses", "completion", "embedding");
  private static final Pattern LONG_CONTEXT = Pattern.compile("input_cost_per_token_above_(\\d+)k_tokens");

  private LiteLlmPriceMap() {}

  /** The prices in {@code file}; fails with the file named when it is missing or not a JSON object. */
  static Map<ModelId, ModelPrice> read(Path file) {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new ConfigException("finops4j.prices.file", "price map not found: " + file);
    } catch (IOException e) {
      throw new ConfigException("finops4j.prices.file", file + " is not valid JSON: "
          + e.getMessage().lines().findFirst().orElse(""));
    }
    if (root == null || !root.isObject()) {
      throw new ConfigException("finops4j.prices.file", file + ": expected a JSON object keyed by model name");
    }
    return parse(root, "litellm:" + file.getFileName());
  }

  static Map<ModelId, ModelPrice> parse(JsonNode root, String source) {
    Map<ModelId, ModelPrice> prices = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : root.properties()) {
      JsonNode n = e.getValue();
      String provider = n.path("litellm_provider").asText("");
      if (!PROVIDERS.contains(provider) || !MODES.contains(n.path("mode").asText("chat"))
          || !n.path("input_cost_per_token").isNumber()) {
        continue;
      }
      String name = e.getKey().startsWith(provider + "/") ? e.getKey().substring(provider.length() + 1) : e.getKey();
      if (name.isEmpty() || name.contains("/")) {
        continue;
      }
      prices.put(new ModelId(provider, name), price(n, source));
    }
    return prices;
  }

  private static ModelPrice price(JsonNode n, String source) {
    BigDecimal input = perMillion(n, "input_cost_per_token");
    BigDecimal output = perMillion(n, "output_cost_per_token");
    if (output == null) {
      output = BigDecimal.ZERO; // embeddings
    }
    long threshold = 0;
    ModelPrice longContext = null;
    for (Iterator<String> names = n.fieldNames(); names.hasNext(); ) {
      Matcher m = LONG_CONTEXT.matcher(names.next());
      if (m.matches()) {
        String above = "_above_" + m.group(1) + "k_tokens";
        threshold = Long.parseLong(m.group(1)) * 1000;
        BigDecimal lcOutput = perMillion(n, "output_cost_per_token" + above);
        longContext = new ModelPrice(perMillion(n, "input_cost_per_token" + above),
            perMillion(n, "cache_read_input_token_cost" + above), perMillion(n, "cache_creation_input_token_cost" + above),
            perMillion(n, "cache_creation_input_token_cost_above_1hr" + above), lcOutput != null ? lcOutput : output,
            null, 0, null, 0, null, null);
        break;
      }
    }
    Map<String, BigDecimal> multipliers = new LinkedHashMap<>();
    BigDecimal priority = ratio(n.path("input_cost_per_token_priority"), n.path("input_cost_per_token"));
    if (priority != null) {
      multipliers.put("service_tier=priority", priority);
      multipliers.put("service_tier=fast", priority);
    }
    BigDecimal flex = ratio(n.path("input_cost_per_token_flex"), n.path("input_cost_per_token"));
    if (flex != null) {
      multipliers.put("service_tier=flex", flex);
    }
    return new ModelPrice(input, perMillion(n, "cache_read_input_token_cost"),
        perMillion(n, "cache_creation_input_token_cost"), perMillion(n, "cache_creation_input_token_cost_above_1hr"),
        output, ratio(n.path("input_cost_per_token_batches"), n.path("input_cost_per_token")), threshold, longContext,
        n.path("max_output_tokens").asLong(0), source, null, multipliers, null);
  }

  /** USD per token to USD per 1M tokens, exactly ({@code 1.25e-06} is 1.25); null when absent. */
  private static BigDecimal perMillion(JsonNode n, String key) {
    JsonNode v = n.get(key);
    if (v == null || !v.isNumber()) {
      return null;
    }
    BigDecimal perMillion = v.decimalValue().movePointRight(6).stripTrailingZeros();
    if (perMillion.signum() < 0) {
      throw new ConfigException("finops4j.prices.file", key + " cannot be negative, got " + v.asText());
    }
    return perMillion.scale() < 0 ? perMillion.setScale(0) : perMillion;
  }

  private static BigDecimal ratio(JsonNode part, JsonNode whole) {
    if (!part.isNumber() || !whole.isNumber() || whole.decimalValue().signum() == 0) {
      return null;
    }
    return part.decimalValue().divide(whole.decimalValue(), MathContext.DECIMAL64).stripTrailingZeros();
  }
}
