package io.finops4j.budget;

import io.finops4j.api.CompletionRequest;
import io.finops4j.api.CostCapExceededException;
import io.finops4j.api.Money;
import io.finops4j.api.ModelId;
import io.finops4j.api.ModelPrice;
import io.finops4j.api.Route;
import io.finops4j.api.spi.CallContext;
import io.finops4j.api.spi.Pricing;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The worst case of one call before it is sent, over every model the route may fall back to, after the
 * per-request cost cap has clamped the output ceiling (and dropped the candidates that cannot fit it at all).
 *
 * @param maxOutputTokens the output ceiling the request must carry so that the worst case really bounds the call
 * @param worstUsd the most the call can cost in USD, or null when no price was needed
 * @param worstNanos {@code worstUsd} in nano-USD, rounded up
 * @param worstTokens the most tokens the call can use, input plus output
 */
record CallEstimate(int maxOutputTokens, BigDecimal worstUsd, long worstNanos, long worstTokens) {

  /** When neither the request nor any candidate's price knows an output ceiling. */
  static final int DEFAULT_MAX_OUTPUT_TOKENS = 4096;

  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000L);

  /**
   * Estimates {@code request} on {@code route}.
   *
   * @param needUsd false when only token budgets apply, so that models without a price still work
   * @param cap the per-request cap in USD, or null
   * @param capName which cap, e.g. {@code task support-reply} or {@code request}
   * @throws CostCapExceededException when no candidate can fit the cap even with one output token
   */
  static CallEstimate of(CompletionRequest request, Route route, CallContext ctx, boolean needUsd, BigDecimal cap,
      String capName) {
    List<ModelId> candidates = route.candidates();
    int m = candidates.size();
    long[] input = new long[m];
    ModelPrice[] prices = new ModelPrice[m];
    for (int i = 0; i < m; i++) {
      input[i] = ctx.tokens().upperBound(request.prompt(), candidates.get(i));
      if (needUsd || cap != null) {
        prices[i] = ctx.pricing().price(candidates.get(i));
      }
    }
    long maxOut = request.maxOutputTokens() != null ? request.maxOutputTokens()
        : defaultMaxOutput(ctx.pricing(), candidates);
    boolean[] dropped = new boolean[m];
    if (cap != null) {
      maxOut = clamp(cap, capName, candidates, input, prices, maxOut, dropped, ctx, route);
    }
    BigDecimal worstUsd = null;
    long worstTokens = 0;
    for (int i = 0; i < m; i++) {
      if (dropped[i]) {
        continue;
      }
      worstTokens = Math.max(worstTokens, input[i] + maxOut);
      if (prices[i] != null) {
        BigDecimal w = prices[i].worstCase(input[i], maxOut);
        worstUsd = worstUsd == null ? w : worstUsd.max(w);
      }
    }
    return new CallEstimate((int) maxOut, worstUsd, worstUsd == null ? 0 : Money.toNanosCeil(worstUsd), worstTokens);
  }

  /**
   * The largest output ceiling that keeps every candidate's worst case within {@code cap}: for each,
   * {@code floor((cap - input cost) x 1M / output rate)}. Candidates whose input alone (or input plus one output
   * token) is over the cap are dropped from the route, with a reason; if none is left, the call is refused.
   */
  private static long clamp(BigDecimal cap, String capName, List<ModelId> candidates, long[] input,
      ModelPrice[] prices, long maxOut, boolean[] dropped, CallContext ctx, Route route) {
    int m = candidates.size();
    long fit = Long.MAX_VALUE;
    List<String> reasons = null;
    for (int i = 0; i < m; i++) {
      BigDecimal inputCost = prices[i].worstCase(input[i], 0);
      BigDecimal outputRate = prices[i].tierFor(input[i]).output();
      long fitsHere;
      if (inputCost.compareTo(cap) > 0) {
        fitsHere = 0;
      } else if (outputRate.signum() == 0) {
        fitsHere = Long.MAX_VALUE;
      } else {
        BigDecimal f = cap.subtract(inputCost).multiply(MILLION).divide(outputRate, 0, RoundingMode.FLOOR);
        fitsHere = f.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0 ? Integer.MAX_VALUE : f.longValue();
      }
      if (fitsHere < 1) {
        dropped[i] = true;
        if (reasons == null) {
          reasons = new ArrayList<>();
        }
        reasons.add(candidates.get(i) + " (" + (inputCost.compareTo(cap) > 0 ? "input alone" : "input plus one "
            + "output token") + " may cost more than the " + capName + " cap of " + cap.toPlainString() + " USD)");
      } else {
        fit = Math.min(fit, fitsHere);
      }
    }
    if (reasons != null && reasons.size() == m) {
      BigDecimal inputCost = prices[0].worstCase(input[0], 0);
      boolean inputOver = inputCost.compareTo(cap) > 0;
      BigDecimal requested = inputOver ? inputCost : prices[0].worstCase(input[0], 1);
      throw new CostCapExceededException(capName, cap, BigDecimal.ZERO, requested, 0,
          capName + " cost cap of " + cap.toPlainString() + " USD leaves no room for this call: on "
              + candidates.get(0) + " its " + (inputOver ? "input alone" : "input plus one output token")
              + " may cost up to " + requested.stripTrailingZeros().toPlainString() + " USD (" + input[0]
              + " input tokens at most)" + (m > 1 ? ", and no fallback model fits either" : "")
              + "; shorten the prompt, route to a cheaper model or raise the cap");
    }
    if (reasons != null) {
      List<ModelId> kept = new ArrayList<>(m);
      for (int i = 0; i < m; i++) {
        if (!dropped[i]) {
          kept.add(candidates.get(i));
        }
      }
      List<String> why = new ArrayList<>(route.reasons());
      why.add("cost cap: dropped " + String.join(", ", reasons));
      ctx.route(new Route(route.tier(), kept, why));
      ctx.event("cost_cap.dropped", Map.of("cap", capName, "limit", cap.toPlainString(),
          "dropped", String.valueOf(reasons.size())));
    }
    if (fit < maxOut) {
      ctx.event("cost_cap.clamped", Map.of("cap", capName, "limit", cap.toPlainString(),
          "max_output_tokens_requested", String.valueOf(maxOut), "max_output_tokens", String.valueOf(fit)));
      return fit;
    }
    return maxOut;
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
