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
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The price table: the bundled, dated table of current OpenAI, Anthropic and Google prices, plus the
 * overrides and additions of {@code finops4j.models}.
 *
 * <p>A dated snapshot that has its own entry ({@code gpt-4o-2024-05-13}) is priced from it; one without resolves to
 * its base model ({@code gpt-5-mini-2025-08-07} and {@code claude-haiku-4-5-20251001} price as {@code gpt-5-mini}
 * and {@code claude-haiku-4-5}). The offline {@code simulator} provider prices each model as the real model of the
 * same name, so a demo costs what production would.
 *
 * <p>An override of a bundled model is merged with it key by key: {@code { input, cached-input, output }} keeps the
 * bundled cache-write, long-context, multiplier and batch figures. A provider's batch discount and its tier
 * multipliers belong to the provider ({@code providers:} in the bundled table) and apply to every model of that
 * provider, added ones included, unless the model's entry says otherwise.
 */
public final class PriceCatalog implements Pricing {

  private static final String[] KEYS = {"input", "cached-input", "cache-write", "cache-write-1h", "output",
      "batch-discount", "long-context-threshold", "long-context", "max-output-tokens", "source", "effective",
      "multipliers", "retired"};
  private static final String[] PROVIDER_KEYS = {"batch-discount", "multipliers"};
  private static final Logger LOG = LoggerFactory.getLogger(PriceCatalog.class);
  /** A price from a price map that moves more than this factor from the bundled one is refused. */
  private static final BigDecimal MAX_MOVE = BigDecimal.TEN;
  private static final Pattern SNAPSHOT = Pattern.compile("(-\\d{4}-\\d{2}-\\d{2}|-\\d{8}|-latest|@\\d{8})$");

  private final Map<ModelId, ModelPrice> prices;
  private final Map<String, ModelPrice> byModelName;
  private final Map<String, ProviderTerms> providers;
  private final String version;
  /** Ids found only by their base model (snapshot suffix removed), and ids not priced at all. */
  private final Map<ModelId, Optional<ModelPrice>> resolved = new java.util.concurrent.ConcurrentHashMap<>();
  private static final int MAX_RESOLVED = 4096;

  /** What a provider's API does to every model's price: its batch discount and its tier multipliers. */
  record ProviderTerms(BigDecimal batchDiscount, Map<String, BigDecimal> multipliers) {
    static final ProviderTerms NONE = new ProviderTerms(null, Map.of());
  }

  private PriceCatalog(Map<ModelId, ModelPrice> prices, Map<String, ProviderTerms> providers, String version) {
    this.prices = Collections.unmodifiableMap(new LinkedHashMap<>(prices));
    Map<String, ModelPrice> names = new HashMap<>();
    prices.forEach((id, p) -> names.putIfAbsent(id.model(), p));
    this.byModelName = names;
    this.providers = Map.copyOf(providers);
    this.version = version;
  }

  /** The bundled table alone. */
  public static PriceCatalog bundled() {
    try (InputStream in = PriceCatalog.class.getResourceAsStream("prices.yaml")) {
      Map<String, Object> doc = new ObjectMapper(new YAMLFactory())
          .readValue(in, new TypeReference<LinkedHashMap<String, Object>>() {});
      ConfigNode root = ConfigNode.root("bundled prices.yaml", "prices", doc);
      Map<String, ProviderTerms> providers = new LinkedHashMap<>();
      root.get("providers").asMap().forEach((name, node) -> providers.put(name, parseTerms(node)));
      Map<ModelId, ModelPrice> prices = new LinkedHashMap<>();
      root.get("models").asMap().forEach((id, node) -> {
        ModelId model = parseId(node, id);
        prices.put(model, parse(node, null, providers.getOrDefault(model.provider(), ProviderTerms.NONE)));
      });
      return new PriceCatalog(prices, providers, root.get("version").asString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the bundled price table", e);
    }
  }

  /**
   * This table with the entries of a {@code finops4j.models} node added, or merged key by key into the entry they
   * name.
   */
  public PriceCatalog withOverrides(ConfigNode models) {
    if (!models.isPresent() || models.asMap().isEmpty()) {
      return this;
    }
    Map<ModelId, ModelPrice> merged = new LinkedHashMap<>(prices);
    models.asMap().forEach((id, node) -> {
      ModelId model = parseId(node, id);
      merged.put(model, parse(node, prices.get(model), terms(model)));
    });
    return new PriceCatalog(merged, providers, version + "+overrides");
  }

  /**
   * This table with the price map named by {@code finops4j.prices.file} (LiteLLM's
   * {@code model_prices_and_context_window.json} format) merged over it; the table itself when the node is absent.
   * Refused entries are logged as warnings.
   */
  public PriceCatalog withPriceFile(ConfigNode prices) {
    prices.allowKeys("file", "url", "refresh", "cache-file"); // the url keys are the price feed's (PriceFeed)
    if (!prices.has("file")) {
      return this;
    }
    return withPriceMap(LiteLlmPriceMap.read(Path.of(prices.get("file").asString())), "litellm", LOG::warn);
  }

  /**
   * This table with {@code map} merged over it: a model the table has is merged key by key (the map's rates
   * replace ours, what it does not give is kept), a model it lacks is added with its provider's batch discount and
   * multipliers. An entry whose input or output rate moves more than 10x from the bundled one (or between zero and
   * not zero) is refused, with a warning naming the model, and the bundled price is kept.
   */
  public PriceCatalog withPriceMap(Map<ModelId, ModelPrice> map, String label) {
    return withPriceMap(map, label, LOG::warn);
  }

  PriceCatalog withPriceMap(Map<ModelId, ModelPrice> map, String label, Consumer<String> warnings) {
    Map<ModelId, ModelPrice> merged = new LinkedHashMap<>(prices);
    map.forEach((id, theirs) -> {
      ModelPrice ours = prices.get(id);
      if (ours == null) {
        merged.put(id, over(theirs, null, terms(id)));
        return;
      }
      String refusal = movedTooFar("input", ours.input(), theirs.input());
      if (refusal == null) {
        refusal = movedTooFar("output", ours.output(), theirs.output());
      }
      if (refusal != null) {
        warnings.accept("price map " + label + ": refused " + id + ": " + refusal + "; keeping the bundled price");
        return;
      }
      merged.put(id, over(theirs, ours, terms(id)));
    });
    return new PriceCatalog(merged, providers, version + "+" + label);
  }

  private static String movedTooFar(String rate, BigDecimal ours, BigDecimal theirs) {
    boolean tooFar = ours.signum() == 0 || theirs.signum() == 0 ? ours.signum() != theirs.signum()
        : theirs.compareTo(ours.multiply(MAX_MOVE)) > 0 || ours.compareTo(theirs.multiply(MAX_MOVE)) > 0;
    return tooFar ? rate + " " + theirs.toPlainString() + " is more than 10x away from the bundled "
        + ours.toPlainString() + " USD per 1M tokens" : null;
  }

  /** {@code theirs} with what it does not give taken from {@code base} (or null) and the provider's terms. */
  private static ModelPrice over(ModelPrice theirs, ModelPrice base, ProviderTerms terms) {
    Map<String, BigDecimal> multipliers = new LinkedHashMap<>(terms.multipliers());
    if (base != null) {
      multipliers.putAll(base.multipliers());
    }
    multipliers.putAll(theirs.multipliers());
    boolean lc = theirs.longContext() != null || base == null;
    BigDecimal batch = theirs.batchDiscount() != null ? theirs.batchDiscount()
        : base != null && base.batchDiscount() != null ? base.batchDiscount() : terms.batchDiscount();
    return new ModelPrice(theirs.input(), or(theirs.cachedInput(), base, ModelPrice::cachedInput),
        or(theirs.cacheWrite(), base, ModelPrice::cacheWrite), or(theirs.cacheWrite1h(), base, ModelPrice::cacheWrite1h),
        theirs.output(), batch, lc ? theirs.longContextThreshold() : base.longContextThreshold(),
        lc ? theirs.longContext() : base.longContext(),
        theirs.maxOutputTokens() > 0 || base == null ? theirs.maxOutputTokens() : base.maxOutputTokens(),
        theirs.source(), theirs.effective(), multipliers, or(theirs.retired(), base, ModelPrice::retired));
  }

  private static <T> T or(T value, ModelPrice base, java.util.function.Function<ModelPrice, T> field) {
    return value != null || base == null ? value : field.apply(base);
  }

  /**
   * This table with {@code model} priced at {@code price}; a batch discount and multipliers {@code price} does not
   * give are those of the model's provider.
   */
  public PriceCatalog with(ModelId model, ModelPrice price) {
    Map<ModelId, ModelPrice> merged = new LinkedHashMap<>(prices);
    merged.put(model, over(price, null, terms(model)));
    return new PriceCatalog(merged, providers, version.endsWith("+overrides") ? version : version + "+overrides");
  }

  @Override
  public Optional<ModelPrice> find(ModelId model) {
    ModelPrice p = prices.get(model);
    if (p != null) {
      return Optional.of(p);
    }
    // Providers answer with dated snapshots (gpt-5-mini-2025-08-07) on every call: resolved once, not by regex per call.
    Optional<ModelPrice> known = resolved.get(model);
    if (known == null) {
      String base = SNAPSHOT.matcher(model.model()).replaceFirst("");
      p = prices.get(new ModelId(model.provider(), base));
      if (p == null && "simulator".equals(model.provider())) {
        p = byModelName.get(base);
      }
      known = Optional.ofNullable(p);
      if (resolved.size() >= MAX_RESOLVED) {
        resolved.clear(); // model ids are few; this only guards against a caller minting new ones per call
      }
      resolved.put(model, known);
    }
    return known;
  }

  @Override
  public ModelPrice price(ModelId model) {
    return find(model).orElseThrow(() -> new ConfigException("finops4j.models", "no price is known for model "
        + model + "; add it under finops4j.models, e.g. '" + model + ": { input: 0.50, output: 1.50 }' (USD per 1M tokens)"));
  }

  /** The model id that {@code model} is priced as: itself when it has an entry, else its base (snapshot suffix removed). */
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

  /** The batch discount and tier multipliers every model of {@code model}'s provider gets, or none. */
  ProviderTerms terms(ModelId model) {
    return providers.getOrDefault(model.provider(), ProviderTerms.NONE);
  }

  private static ModelId parseId(ConfigNode node, String id) {
    try {
      return ModelId.parse(id);
    } catch (IllegalArgumentException e) {
      throw node.error(e.getMessage());
    }
  }

  private static ProviderTerms parseTerms(ConfigNode n) {
    n.allowKeys(PROVIDER_KEYS);
    return new ProviderTerms(optional(n.get("batch-discount")), multipliers(n.get("multipliers"), Map.of()));
  }

  /** A price entry on its own (no bundled entry beneath it, no provider terms). */
  static ModelPrice parse(ConfigNode n) {
    return parse(n, null, ProviderTerms.NONE);
  }

  /**
   * The entry {@code n}, each key it does not give taken from {@code base} (the bundled entry it overrides, or
   * null), and the batch discount and multipliers neither gives taken from the provider's {@code terms}.
   */
  static ModelPrice parse(ConfigNode n, ModelPrice base, ProviderTerms terms) {
    n.allowKeys(KEYS);
    long threshold;
    ModelPrice longContext;
    if (n.has("long-context") || n.has("long-context-threshold")) {
      ConfigNode lc = n.get("long-context");
      longContext = lc.isPresent() ? parse(lc, null, ProviderTerms.NONE) : null;
      threshold = n.get("long-context-threshold").asLong(0, 0, MAX_TOKENS);
      if ((threshold > 0) != (longContext != null)) {
        throw n.error("long-context-threshold and long-context must be given together");
      }
    } else {
      threshold = base == null ? 0 : base.longContextThreshold();
      longContext = base == null ? null : base.longContext();
    }
    BigDecimal input = n.has("input") || base == null ? nonNegative(n.get("input").requirePresent()) : base.input();
    BigDecimal output = n.has("output") || base == null ? nonNegative(n.get("output").requirePresent()) : base.output();
    BigDecimal batch = n.has("batch-discount") ? optional(n.get("batch-discount"))
        : base != null && base.batchDiscount() != null ? base.batchDiscount() : terms.batchDiscount();
    Map<String, BigDecimal> inherited = new LinkedHashMap<>(terms.multipliers());
    if (base != null) {
      inherited.putAll(base.multipliers());
    }
    return new ModelPrice(input,
        n.has("cached-input") || base == null ? optional(n.get("cached-input")) : base.cachedInput(),
        n.has("cache-write") || base == null ? optional(n.get("cache-write")) : base.cacheWrite(),
        n.has("cache-write-1h") || base == null ? optional(n.get("cache-write-1h")) : base.cacheWrite1h(),
        output, batch, threshold, longContext,
        n.has("max-output-tokens") || base == null ? n.get("max-output-tokens").asLong(0, 0, MAX_TOKENS)
            : base.maxOutputTokens(),
        n.has("source") || base == null ? n.get("source").asString(null) : base.source(),
        n.has("effective") || base == null ? date(n.get("effective")) : base.effective(),
        multipliers(n.get("multipliers"), inherited),
        n.has("retired") || base == null ? date(n.get("retired")) : base.retired());
  }

  private static Map<String, BigDecimal> multipliers(ConfigNode n, Map<String, BigDecimal> inherited) {
    if (!n.isPresent()) {
      return inherited;
    }
    Map<String, BigDecimal> merged = new LinkedHashMap<>(inherited);
    n.asMap().forEach((marker, m) -> merged.put(marker, nonNegative(m)));
    return merged;
  }

  private static LocalDate date(ConfigNode n) {
    if (!n.isPresent()) {
      return null;
    }
    try {
      return LocalDate.parse(n.asString());
    } catch (DateTimeParseException e) {
      throw n.error("expected a date such as 2026-11-01");
    }
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
