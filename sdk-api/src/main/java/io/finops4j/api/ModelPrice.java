package io.finops4j.api;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Map;
import java.util.Objects;

/**
 * What a model costs, in USD per 1M tokens, and where that figure came from.
 *
 * <p>Rates that a provider does not publish fall back sensibly: no cached-input rate means cached tokens cost
 * the input rate; no cache-write rate means writes cost the input rate; no 1-hour write rate means the
 * 5-minute one. Above {@code longContextThreshold} input tokens the whole request is priced at
 * {@code longContext} (as Anthropic and Google bill long prompts). {@code batchDiscount} is the multiplier for
 * batch APIs (0.5 = half price).
 *
 * <p>{@code multipliers} scale the whole cost of a call when its {@link Usage#raw()} carries the named marker:
 * the provider clients record the service tier, region and speed a response reports as
 * {@code service_tier=priority}, {@code inference_geo=us} or {@code speed=fast} (value 1), and an entry such as
 * {@code service_tier=priority: 2.0} prices that call at twice the rates of its context tier. Several markers
 * multiply together.
 *
 * @param input USD per 1M uncached input tokens
 * @param cachedInput USD per 1M input tokens read from the provider's prompt cache, or {@code null}
 * @param cacheWrite USD per 1M input tokens written to the cache (5-minute TTL), or {@code null}
 * @param cacheWrite1h USD per 1M input tokens written to the cache with a 1-hour TTL, or {@code null}
 * @param output USD per 1M output tokens, reasoning included
 * @param batchDiscount multiplier for batch calls, or {@code null} when the provider has no batch API
 * @param longContextThreshold input tokens above which {@code longContext} applies, or 0 for none
 * @param longContext the prices above the threshold, or {@code null}
 * @param maxOutputTokens the model's own ceiling on output tokens, or 0 when unknown
 * @param source the page the figures were read from
 * @param effective the date the figures were read or took effect
 * @param multipliers cost multipliers keyed by usage marker ({@code service_tier=flex} to 0.5), never null
 * @param retired the date the provider retired the model, or {@code null} while it is served
 */
public record ModelPrice(BigDecimal input, BigDecimal cachedInput, BigDecimal cacheWrite, BigDecimal cacheWrite1h,
    BigDecimal output, BigDecimal batchDiscount, long longContextThreshold, ModelPrice longContext,
    long maxOutputTokens, String source, LocalDate effective, Map<String, BigDecimal> multipliers,
    LocalDate retired) {

  /** A price without multipliers or retirement date. */
  public ModelPrice(BigDecimal input, BigDecimal cachedInput, BigDecimal cacheWrite, BigDecimal cacheWrite1h,
      BigDecimal output, BigDecimal batchDiscount, long longContextThreshold, ModelPrice longContext,
      long maxOutputTokens, String source, LocalDate effective) {
    this(input, cachedInput, cacheWrite, cacheWrite1h, output, batchDiscount, longContextThreshold, longContext,
        maxOutputTokens, source, effective, Map.of(), null);
  }

  public ModelPrice {
    Objects.requireNonNull(input, "input price");
    Objects.requireNonNull(output, "output price");
    if (input.signum() < 0 || output.signum() < 0) {
      throw new IllegalArgumentException("prices cannot be negative");
    }
    if ((longContextThreshold > 0) != (longContext != null)) {
      throw new IllegalArgumentException("a long-context tier needs both a threshold and its prices");
    }
    multipliers = multipliers == null ? Map.of() : Map.copyOf(multipliers);
    multipliers.forEach((marker, m) -> {
      if (m.signum() < 0) {
        throw new IllegalArgumentException("multiplier " + marker + " cannot be negative");
      }
    });
  }

  /** A price with only input and output rates. */
  public static ModelPrice of(String inputPerMillion, String outputPerMillion) {
    return new ModelPrice(new BigDecimal(inputPerMillion), null, null, null, new BigDecimal(outputPerMillion), null,
        0, null, 0, null, null);
  }

  /** The rates that apply to a request with {@code inputTokens} prompt tokens. */
  public ModelPrice tierFor(long inputTokens) {
    return longContext != null && inputTokens > longContextThreshold ? longContext : this;
  }

  /** The exact cost of {@code usage}, in USD, unrounded. */
  public BigDecimal cost(Usage usage) {
    ModelPrice p = tierFor(usage.inputTokens());
    if (!multiplied(usage)) {
      // this runs on every call: whole numbers at the rates' common scale, one BigDecimal for the result
      Exact e = Exact.of(p);
      if (e != null) {
        try {
          return BigDecimal.valueOf(e.perMillion(usage), e.scale + 6);
        } catch (ArithmeticException overflow) {
          // more than 9.2e18 units of 1e-scale USD per 1M tokens: the decimal arithmetic below has no bound
        }
      }
    }
    // Only the kinds of tokens the call used are multiplied (most calls use two of the five). The scale is that of
    // the sum over all five rates, so the same usage always prints the same digits.
    BigDecimal perMillion = null;
    perMillion = plus(perMillion, p.input, usage.uncachedInputTokens());
    perMillion = plus(perMillion, p.cachedInputRate(), usage.cachedInputTokens());
    perMillion = plus(perMillion, p.cacheWriteRate(), usage.cacheWriteTokens() - usage.cacheWrite1hTokens());
    perMillion = plus(perMillion, p.cacheWrite1hRate(), usage.cacheWrite1hTokens());
    perMillion = plus(perMillion, p.output, usage.outputTokens());
    int scale = p.rateScale();
    if (perMillion == null) {
      return BigDecimal.valueOf(0, scale + 6);
    }
    if (perMillion.scale() < scale) {
      perMillion = perMillion.setScale(scale);
    }
    return applyMultipliers(perMillion, usage).movePointLeft(6);
  }

  /** The largest scale of the five rates: the scale, less 6, of every cost at this tier. */
  private int rateScale() {
    return Math.max(Math.max(input.scale(), output.scale()), Math.max(cachedInputRate().scale(),
        Math.max(cacheWriteRate().scale(), cacheWrite1hRate().scale())));
  }

  /** Whether a multiplier applies to {@code usage}. */
  private boolean multiplied(Usage usage) {
    if (multipliers.isEmpty() || usage.raw().isEmpty()) {
      return false;
    }
    for (String marker : multipliers.keySet()) {
      if (usage.raw().containsKey(marker)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The five rates of one price tier as whole numbers of {@code 1e-scale} USD per 1M tokens, {@code scale} being
   * {@link #rateScale()}: the cost of a usage is then a sum of {@code long} products, the same number with the same
   * scale as the decimal arithmetic gives. Cached by identity (the price table hands out the same instances call
   * after call), one entry per slot; a slot another price took is worked out again.
   */
  private static final class Exact {
    private static final java.util.concurrent.atomic.AtomicReferenceArray<Exact> SLOTS =
        new java.util.concurrent.atomic.AtomicReferenceArray<>(64);
    final ModelPrice tier;
    /** -1 when a rate does not fit a {@code long} at the common scale, or that scale is negative. */
    final int scale;
    final long input;
    final long cachedInput;
    final long cacheWrite;
    final long cacheWrite1h;
    final long output;

    private Exact(ModelPrice tier, int scale, long input, long cachedInput, long cacheWrite, long cacheWrite1h,
        long output) {
      this.tier = tier;
      this.scale = scale;
      this.input = input;
      this.cachedInput = cachedInput;
      this.cacheWrite = cacheWrite;
      this.cacheWrite1h = cacheWrite1h;
      this.output = output;
    }

    /** The whole-number rates of {@code tier}, or null when they do not fit a {@code long} (decimal arithmetic then). */
    static Exact of(ModelPrice tier) {
      int slot = System.identityHashCode(tier) & (SLOTS.length() - 1);
      Exact e = SLOTS.get(slot);
      if (e == null || e.tier != tier) {
        e = workOut(tier);
        SLOTS.set(slot, e);
      }
      return e.scale < 0 ? null : e;
    }

    private static Exact workOut(ModelPrice tier) {
      int scale = tier.rateScale();
      if (scale < 0) {
        return new Exact(tier, -1, 0, 0, 0, 0, 0);
      }
      try {
        return new Exact(tier, scale, whole(tier.input, scale), whole(tier.cachedInputRate(), scale),
            whole(tier.cacheWriteRate(), scale), whole(tier.cacheWrite1hRate(), scale), whole(tier.output, scale));
      } catch (ArithmeticException tooLong) {
        return new Exact(tier, -1, 0, 0, 0, 0, 0);
      }
    }

    private static long whole(BigDecimal rate, int scale) {
      return rate.setScale(scale).unscaledValue().longValueExact(); // exact: scale is at least the rate's own
    }

    /** The cost of {@code usage} in {@code 1e-scale} USD per 1M tokens; throws on {@code long} overflow. */
    long perMillion(Usage usage) {
      long sum = Math.multiplyExact(input, usage.uncachedInputTokens());
      sum = Math.addExact(sum, Math.multiplyExact(cachedInput, usage.cachedInputTokens()));
      sum = Math.addExact(sum, Math.multiplyExact(cacheWrite, usage.cacheWriteTokens() - usage.cacheWrite1hTokens()));
      sum = Math.addExact(sum, Math.multiplyExact(cacheWrite1h, usage.cacheWrite1hTokens()));
      return Math.addExact(sum, Math.multiplyExact(output, usage.outputTokens()));
    }
  }

  /** {@code amount} times every multiplier whose marker {@code usage} carries. */
  private BigDecimal applyMultipliers(BigDecimal amount, Usage usage) {
    if (multipliers.isEmpty() || usage.raw().isEmpty()) {
      return amount;
    }
    for (Map.Entry<String, BigDecimal> m : multipliers.entrySet()) {
      if (usage.raw().containsKey(m.getKey())) {
        amount = amount.multiply(m.getValue());
      }
    }
    return amount;
  }

  /** The multiplier that applies to {@code usage}: the product of those whose markers it carries, 1 for none. */
  public BigDecimal multiplierFor(Usage usage) {
    return applyMultipliers(BigDecimal.ONE, usage);
  }

  private static BigDecimal plus(BigDecimal sum, BigDecimal rate, long tokens) {
    if (tokens == 0) {
      return sum;
    }
    BigDecimal term = rate.multiply(BigDecimal.valueOf(tokens));
    return sum == null ? term : sum.add(term);
  }

  /** The exact cost of {@code usage} at batch rates. */
  public BigDecimal batchCost(Usage usage) {
    BigDecimal full = cost(usage);
    return batchDiscount == null ? full : full.multiply(batchDiscount);
  }

  /**
   * The most a call can cost: every input token uncached at the input rate (after the long-context switch),
   * and {@code maxOutputTokens} at the output rate. Reservations and cost caps use this figure.
   */
  public BigDecimal worstCase(long inputTokens, long maxOutputTokens) {
    ModelPrice p = tierFor(inputTokens);
    BigDecimal inputRate = p.input.max(p.cacheWriteRate()).max(p.cacheWrite1hRate());
    return inputRate.multiply(BigDecimal.valueOf(inputTokens))
        .add(p.output.multiply(BigDecimal.valueOf(maxOutputTokens)))
        .movePointLeft(6);
  }

  public BigDecimal cachedInputRate() {
    return cachedInput != null ? cachedInput : input;
  }

  public BigDecimal cacheWriteRate() {
    return cacheWrite != null ? cacheWrite : input;
  }

  public BigDecimal cacheWrite1hRate() {
    return cacheWrite1h != null ? cacheWrite1h : cacheWriteRate();
  }
}
