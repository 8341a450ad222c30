package io.finops4j.api.spi;

import java.math.BigDecimal;

/**
 * A per-request cost cap that let a call through, possibly after changing it: the output ceiling lowered so
 * that the worst case fits, fallback models whose worst case cannot fit dropped from the route. A cap that
 * refuses the call throws {@link io.finops4j.api.CostCapExceededException} instead (seen by
 * {@link CallEventListener#callFailed}).
 *
 * @param cap which cap: {@code request}, or {@code task <name>}
 * @param limitUsd the cap
 * @param maxOutputTokensRequested the output ceiling before the check
 * @param maxOutputTokens the output ceiling after it
 * @param droppedCandidates how many route candidates were dropped because their worst case exceeds the cap
 */
public record CapCheck(String cap, BigDecimal limitUsd, long maxOutputTokensRequested, long maxOutputTokens,
    int droppedCandidates) {

  /** True when the cap lowered the output ceiling. */
  public boolean clamped() {
    return maxOutputTokens < maxOutputTokensRequested;
  }
}
