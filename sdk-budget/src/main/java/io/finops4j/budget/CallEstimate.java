package io.finops4j.budget;

import io.finops4j.api.CompletionRequest;
import io.finops4j.api.CostCapExceededException;
import io.finops4j.api.ModelId;
import io.finops4j.api.ModelPrice;
import io.finops4j.api.Route;
import io.finops4j.api.spi.CallContext;
import io.finops4j.api.spi.CapCheck;
import io.finops4j.api.spi.Pricing;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The worst case of one call before it is sent, over every model the route may fall back to, after the
 * per-request cost cap has clamped the output ceiling (and dropped the candidates that cannot fit it at all).
 *
 * <p>Arithmetic is in {@code long} femto-USD (1e-15 USD): a price of {@code r} USD per 1M tokens is
 * {@code r x 1e9} femto-USD per token, exact for every rate with up to 9 decimals (rates with more are rounded
 * up, caps down, so the figures stay conservative). Results that would not fit a {@code long} (over 9,000 USD
 * for one call) saturate, which refuses the call. This keeps the hot path free of {@code BigDecimal} division.
 *
 * @param maxOutputTokens the output ceiling the request must carry so that the worst case really bounds the call
 * @param worstNanos the most the call can cost, in nano-USD rounded up (0 when no price was needed)
 * @param worstTokens the most tokens the call can use, input plus output
 */
record CallEstimate(int maxOutputTokens, long worstNanos, long worstTokens) {

  /** The worst case in {@code unit}: nano-USD or tokens. */
  long worst(Budget.Unit unit) {
    return unit == Budget.Unit.USD ? worstNanos : worstTokens;
  }

  /** When neither the request nor any candidate's price knows an output ceiling. */
  static final int DEFAULT_MAX_OUTPUT_TOKENS = 4096;

  private static final long FEMTO_PER_NANO = 1_000_000L;
  private static final Map<ModelPrice, long[]> RATES = new ConcurrentHashMap<>();
  /** A small identity-keyed cache in front of {@link #RATES}, one entry per slot. */
  private static final AtomicReferenceArray<Rates> LAST = new AtomicReferenceArray<>(64);

  /**
   * Estimates {@code request} on {@code route}.
   *
   * @param needUsd false when only token budgets apply, so that models without a price still work
   * @param cap the per-request cap in USD, or null
   * @param capName which cap, e.g. {@code task support-reply} or {@code request}
   * @param capFemto {@code cap} in femto-USD, rounded down ({@link #toFemtoFloor}); ignored without a cap
   * @throws CostCapExceededException when no candidate can fit the cap even with one output token
   */
  static CallEstimate of(CompletionRequest request, Route route, CallContext ctx, boolean needUsd, BigDecimal cap,
      String capName, long capFemto) {
    List<ModelId> candidates = route.candidates();
    int m = candidates.size();
    long[] input = new long[m];
    long[] inputRate = new long[m];
    long[] outputRate = new long[m];
    boolean priced = needUsd || cap != null;
    // tool definitions are sent as input too; a thinking budget is output on top of the answer's ceiling
    long tools = 0;
    for (io.finops4j.api.Tool t : request.tools()) {
      tools += t.name().length() + t.parameters().length() + (t.description() == null ? 0 : t.description().length());
    }
    long thinking = request.thinkingBudget() == null ? 0 : request.thinkingBudget();
    for (int i = 0; i < m; i++) {
      input[i] = ctx.tokens().upperBound(request.prompt(), candidates.get(i)) + tools;
      if (priced) {
        long[] r = rates(ctx.pricing().price(candidates.get(i)).tierFor(input[i]));
        inputRate[i] = r[0];
        outputRate[i] = r[1];
      }
    }
    long maxOut = request.maxOutputTokens() != null ? request.maxOutputTokens()
        : defaultMaxOutput(ctx.pricing(), candidates);
    boolean[] dropped = null;
    if (cap != null) {
      dropped = new boolean[m];
      maxOut = clamp(cap, capName, capFemto, candidates, input, inputRate, outputRate, maxOut, dropped, ctx, route,
          thinking);
    }
    long worstFemto = 0;
    long worstTokens = 0;
    for (int i = 0; i < m; i++) {
      if (dropped == null || !dropped[i]) {
        worstTokens = Math.max(worstTokens, input[i] + maxOut + thinking);
        worstFemto = Math.max(worstFemto, femto(input[i], inputRate[i], maxOut + thinking, outputRate[i]));
      }
    }
    long worstNanos = worstFemto == Long.MAX_VALUE ? Long.MAX_VALUE
        : -Math.floorDiv(-worstFemto, FEMTO_PER_NANO);   // rounded up: a reservation is never below the cost
    return new CallEstimate((int) maxOut, priced ? worstNanos : 0, worstTokens);
  }

  /**
   * The largest output ceiling that keeps every candidate's worst case within {@code cap}: for each,
   * {@code floor((cap - input cost) / output rate)}. Candidates whose input alone (or input plus one output
   * token) is over the cap are dropped from the route, with a reason; if none is left, the call is refused.
   */
  private static long clamp(BigDecimal cap, String capName, long capFemto, List<ModelId> candidates, long[] input,
      long[] inputRate, long[] outputRate, long maxOut, boolean[] dropped, CallContext ctx, Route route,
      long thinking) {
    int m = candidates.size();
    long fit = Long.MAX_VALUE;
    List<String> reasons = null;
    for (int i = 0; i < m; i++) {
      long inputCost = femto(input[i], inputRate[i], thinking, outputRate[i]); // the thinking budget is not clamped
      long fitsHere = inputCost > capFemto ? 0
          : outputRate[i] == 0 ? Integer.MAX_VALUE : Math.min(Integer.MAX_VALUE, (capFemto - inputCost) / outputRate[i]);
      if (fitsHere < 1) {
        dropped[i] = true;
        if (reasons == null) {
          reasons = new ArrayList<>();
        }
        reasons.add(candidates.get(i) + " (" + (inputCost > capFemto ? "input alone" : "input plus one output token")
            + " may cost more than the " + capName + " cap of " + cap.toPlainString() + " USD)");
      } else {
        fit = Math.min(fit, fitsHere);
      }
    }
    if (reasons != null && reasons.size() == m) {
      long inputCost = femto(input[0], inputRate[0], 0, 0);
      boolean inputOver = inputCost > capFemto;
      BigDecimal requested = usd(inputOver ? inputCost : femto(input[0], inputRate[0], 1, outputRate[0]));
      throw new CostCapExceededException(capName, cap, BigDecimal.ZERO, requested, 0,
          capName + " cost cap of " + cap.toPlainString() + " USD leaves no room for this call: on "
              + candidates.get(0) + " its " + (inputOver ? "input alone" : "input plus one output token")
              + " may cost up to " + requested.toPlainString() + " USD (" + input[0] + " input tokens at most)"
              + (m > 1 ? ", and no fallback model fits either" : "")
              + "; shorten the prompt, route to a cheaper model or raise the cap");
    }
    if (reasons != null) {
      List<ModelId> kept = new ArrayList<>(m);
      for (int i = 0; i < m; i++) {
        if (!dropped[i]) {
          kept.add(candidates.get(i));
        }
      }
      ctx.route(route.withCandidates(kept, "cost cap: dropped " + String.join(", ", reasons)));
    }
    long clamped = Math.min(fit, maxOut);
    ctx.listener().capChecked(ctx, new CapCheck(capName, cap, maxOut, clamped, reasons == null ? 0 : reasons.size()));
    return clamped;
  }

  /** {@code in x inRate + out x outRate} femto-USD, saturating at {@code Long.MAX_VALUE}. */
  static long femto(long in, long inRate, long out, long outRate) {
    try {
      return Math.addExact(Math.multiplyExact(in, inRate), Math.multiplyExact(out, outRate));
    } catch (ArithmeticException overflow) {
      return Long.MAX_VALUE;
    }
  }

  /**
   * Femto-USD per token of one price tier: {@code [input, output]}. The input rate is the dearest way an input
   * token can be billed (a cache write can cost more than a plain read), as {@link ModelPrice#worstCase} says.
   */
  static long[] rates(ModelPrice tier) {
    // The price table hands out the same instances call after call: found by identity first, without hashing the
    // record (its BigDecimals, multipliers and long-context tier) per call as the map lookup does.
    int slot = System.identityHashCode(tier) & (LAST.length() - 1);
    Rates last = LAST.get(slot);
    if (last != null && last.tier == tier) {
      return last.rates;
    }
    long[] r = RATES.get(tier);
    if (r == null) {
      if (RATES.size() > 10_000) {
        RATES.clear();   // prices are few; this only guards against a caller minting new ones per call
      }
      BigDecimal in = tier.input().max(tier.cacheWriteRate()).max(tier.cacheWrite1hRate());
      r = new long[] {perTokenCeil(in), perTokenCeil(tier.output())};
      RATES.put(tier, r);
    }
    LAST.set(slot, new Rates(tier, r));
    return r;
  }

  /** The rates of one price instance, as cached by identity. */
  private record Rates(ModelPrice tier, long[] rates) {}

  private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

  private static long perTokenCeil(BigDecimal usdPerMillion) {
    BigDecimal f = usdPerMillion.movePointRight(9).setScale(0, RoundingMode.CEILING);
    return f.compareTo(LONG_MAX) > 0 ? Long.MAX_VALUE : f.longValue();
  }

  /** {@code usd} in femto-USD rounded down (a cap must not grow), saturating at {@code Long.MAX_VALUE}. */
  static long toFemtoFloor(BigDecimal usd) {
    BigDecimal f = usd.movePointRight(15).setScale(0, RoundingMode.FLOOR);
    return f.compareTo(LONG_MAX) > 0 ? Long.MAX_VALUE : f.longValue();
  }

  private static BigDecimal usd(long femto) {
    return BigDecimal.valueOf(femto, 15).stripTrailingZeros();
  }

  /**
   * The smallest output ceiling any candidate's price declares (the one request must be valid for every
   * fallback), else {@link #DEFAULT_MAX_OUTPUT_TOKENS}.
   */
  private static long defaultMaxOutput(Pricing pricing, List<ModelId> candidates) {
    long min = Long.MAX_VALUE;
    for (ModelId id : candidates) {
      Optional<ModelPrice> p = pricing.find(id);
      if (p.isPresent() && p.get().maxOutputTokens() > 0) {
        min = Math.min(min, p.get().maxOutputTokens());
      }
    }
    return min == Long.MAX_VALUE ? DEFAULT_MAX_OUTPUT_TOKENS : Math.min(min, Integer.MAX_VALUE);
  }
}
