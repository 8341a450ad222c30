package io.finops4j.core;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.finops4j.api.ConfigException;
import io.finops4j.api.ModelId;
import io.finops4j.api.ModelPrice;
import io.finops4j.api.spi.ConfigNode;
import io.finops4j.api.spi.Pricing;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The price table: the bundled, dated table of current OpenAI, Anthropic and Google prices, plus the
 * overrides and additions of {@code finops4j.models}.
 *
 * <p>Dated snapshots resolve to their base model ({@code gpt-5-mini-2025-08-07} and
 * {@code claude-haiku-4-5-20251001} price as {@code gpt-5-mini} and {@code claude-haiku-4-5}). The offline
 * {@code simulator} provider prices each model as the real model of the same name, so a demo costs what
 * production would.
 */
public final class PriceCatalog implements Pricing {

  private static final String[] KEYS = {"input", "cached-input", "cache-write", "cache-write-1h", "output",
      "batch-discount", "long-context-threshold", "long-context", "max-output-tokens", "source", "effective"};
  private static final Pattern SNAPSHOT = Pattern.compile("(-\\d{4}-\\d{2}-\\d{2}|-\\d{8}|-latest|@\\d{8})$");

  private final Map<ModelId, ModelPrice> prices;
  private final Map<String, ModelPrice> byModelName;
  private final String version;

  private PriceCatalog(Map<ModelId, ModelPrice> prices, String version) {
    this.prices = Collections.unmodifiableMap(new LinkedHashMap<>(prices));
    Map<String, ModelPrice> names = new HashMap<>();
    prices.forEach((id, p) -> names.putIfAbsent(id.model(), p));
    this.byModelName = names;
    this.version = version;
  }

  /** The bundled table alone. */
  public static PriceCatalog bundled() {
    try (InputStream in = PriceCatalog.class.getResourceAsStream("prices.yaml")) {
      Map<String, Object> doc = new ObjectMapper(new YAMLFactory())
          .readValue(in, new TypeReference<LinkedHashMap<String, Object>>() {});
      ConfigNode root = ConfigNode.root("bundled prices.yaml", "prices", doc);
      Map<ModelId, ModelPrice> prices = new LinkedHashMap<>();
      root.get("models").asMap().forEach((id, node) -> prices.put(parseId(node, id), parse(node)));
      return new PriceCatalog(prices, root.get("version").asString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the bundled price table", e);
    }
  }

  /** This table with the entries of a {@code finops4j.models} node added or replaced. */
  public PriceCatalog withOverrides(ConfigNode models) {
    if (!models.isPresent() || models.asMap().isEmpty()) {
      return this;
    }
    Map<ModelId, ModelPrice> merged = new LinkedHashMap<>(prices);
    models.asMap().forEach((id, node) -> merged.put(parseId(node, id), parse(node)));
    return new PriceCatalog(merged, version + "+overrides");
  }

  /** This table with {@code model} priced at {@code price}. */
  public PriceCatalog with(ModelId model, ModelPrice price) {
    Map<ModelId, ModelPrice> merged = new LinkedHashMap<>(prices);
    merged.put(model, price);
    return new PriceCatalog(merged, version.endsWith("+overrides") ? version : version + "+overrides");
  }

  @Override
  public Optional<ModelPrice> find(ModelId model) {
    ModelPrice p = prices.get(model);
    if (p == null) {
      String base = SNAPSHOT.matcher(model.model()).replaceFirst("");
      p = prices.get(new ModelId(model.provider(), base));
      if (p == null && "simulator".equals(model.provider())) {
        p = byModelName.get(base);
      }
    }
    return Optional.ofNullable(p);
  }

  @Override
  public ModelPrice price(ModelId model) {
    return find(model).orElseThrow(() -> new ConfigException("finops4j.models", "no price is known for model "
        + model + "; add it under finops4j.models, e.g. '" + model + ": { input: 0.50, output: 1.50 }' (USD per 1M tokens)"));
  }

  /** The base model id that {@code model} is priced as (snapshot suffixes removed). */
  public ModelId baseModel(ModelId model) {
    if (prices.containsKey(model)) {
      return model;
    }
    ModelId base = new ModelId(model.provider(), SNAPSHOT.matcher(model.model()).replaceFirst(""));
    return prices.containsKey(base) ? base : model;
  }

  @Override
  public String version() {
    return version;
  }

  /** Every priced model, sorted by id. */
  public Map<ModelId, ModelPrice> all() {
    Map<ModelId, ModelPrice> sorted = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
    sorted.putAll(prices);
    return sorted;
  }

  private static ModelId parseId(ConfigNode node, String id) {
    try {
      return ModelId.parse(id);
    } catch (IllegalArgumentException e) {
      throw node.error(e.getMessage());
    }
  }

  static ModelPrice parse(ConfigNode n) {
    n.allowKeys(KEYS);
    ConfigNode lc = n.get("long-context");
    ModelPrice longContext = lc.isPresent() ? parse(lc) : null;
    long threshold = n.get("long-context-threshold").asLong(0, 0, MAX_TOKENS);
    if ((threshold > 0) != (longContext != null)) {
      throw n.error("long-context-threshold and long-context must be given together");
    }
    BigDecimal input = nonNegative(n.get("input").requirePresent());
    BigDecimal output = nonNegative(n.get("output").requirePresent());
    LocalDate effective = null;
    if (n.has("effective")) {
      try {
        effective = LocalDate.parse(n.get("effective").asString());
      } catch (DateTimeParseException e) {
        throw n.get("effective").error("expected a date such as 2026-11-01");
      }
    }
    return new ModelPrice(input, optional(n.get("cached-input")), optional(n.get("cache-write")),
        optional(n.get("cache-write-1h")), output, optional(n.get("batch-discount")), threshold, longContext,
        n.get("max-output-tokens").asLong(0, 0, MAX_TOKENS), n.get("source").asString(null), effective);
  }

  private static BigDecimal optional(ConfigNode n) {
    return n.isPresent() ? nonNegative(n) : null;
  }

  /** The dearest price accepted, USD per 1M tokens (today's dearest models cost a few hundred). */
  static final BigDecimal MAX_PRICE = new BigDecimal("100000");
  /** The largest token count a price entry may name. */
  static final long MAX_TOKENS = 1_000_000_000L;

  private static BigDecimal nonNegative(ConfigNode n) {
    BigDecimal v = n.asDecimal();
    if (v.signum() < 0 || v.compareTo(MAX_PRICE) > 0) {
      throw n.error("expected a price from 0 to " + MAX_PRICE + " (USD per 1M tokens), got " + v);
    }
    return v;
  }
}
