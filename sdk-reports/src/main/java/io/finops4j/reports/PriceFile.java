package io.finops4j.reports;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.finops4j.api.ModelId;
import io.finops4j.api.ModelPrice;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads a price list for the command line: a JSON object keyed by qualified model id, each with USD per 1M tokens,
 * the same keys as the YAML {@code finops4j.models} section:
 * <pre>{@code {"openai/gpt-5-mini": {"input": 0.25, "cached-input": 0.025, "output": 2.00},
 *  "anthropic/claude-haiku-4-5": {"input": 1.00, "cache-write": 1.25, "cache-write-1h": 2.00,
 *                                 "cached-input": 0.10, "output": 5.00}}}</pre>
 */
public final class PriceFile {

  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
  private static final Set<String> KEYS = Set.of("input", "cached-input", "cache-write", "cache-write-1h", "output");

  private PriceFile() {}

  public static Map<ModelId, ModelPrice> read(Path file) {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new LedgerFormatException("price file not found: " + file);
    } catch (IOException e) {
      throw new LedgerFormatException(file + ": not valid JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
    }
    if (root == null || !root.isObject()) {
      throw new LedgerFormatException(file + ": expected a JSON object keyed by model id (provider/model)");
    }
    Map<ModelId, ModelPrice> prices = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : root.properties()) {
      String where = file + ": " + e.getKey();
      try {
        ModelId id = ModelId.parse(e.getKey());
        JsonNode p = e.getValue();
        for (Iterator<String> names = p.fieldNames(); names.hasNext(); ) {
          String name = names.next();
          if (!KEYS.contains(kebab(name))) {
            throw new IllegalArgumentException("unknown key '" + name + "'; expected " + KEYS);
          }
        }
        prices.put(id, new ModelPrice(rate(p, "input", true), rate(p, "cached-input", false),
            rate(p, "cache-write", false), rate(p, "cache-write-1h", false), rate(p, "output", true), null, 0, null, 0,
            file.toString(), null));
      } catch (IllegalArgumentException ex) {
        throw new LedgerFormatException(where + ": " + ex.getMessage(), ex);
      }
    }
    return prices;
  }

  private static String kebab(String s) {
    return s.replace('_', '-').replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
  }

  private static BigDecimal rate(JsonNode p, String key, boolean required) {
    JsonNode v = null;
    for (Iterator<String> names = p.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (kebab(name).equals(key)) {
        v = p.get(name);
      }
    }
    if (v == null || v.isNull()) {
      if (required) {
        throw new IllegalArgumentException("missing '" + key + "' (USD per 1M tokens)");
      }
      return null;
    }
    if (v.isNumber()) {
      return v.decimalValue();
    }
    try {
      return new BigDecimal(v.asText());
    } catch (NumberFormatException ex) {
      throw new IllegalArgumentException("'" + key + "' must be a decimal number, got '" + v.asText() + "'");
    }
  }
}
