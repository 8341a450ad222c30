package io.finops4j.api;

import java.math.BigDecimal;

/**
 * A call was refused before any network traffic because it would break a cost cap: a per-request cap (its
 * worst-case cost, with the prompt alone, exceeds the cap) or a per-workflow cap (the agent run has used its
 * calls or its money).
 */
public class CostCapExceededException extends Finops4jException {

  private static final long serialVersionUID = 1L;

  private final String cap;
  private final BigDecimal limitUsd;
  private final BigDecimal spentUsd;
  private final BigDecimal requestedUsd;
  private final long calls;

  /**
   * @param cap which cap, e.g. {@code request}, {@code task support-reply}, {@code workflow run-42}
   * @param limitUsd the cap in USD (for a call-count cap, the cost cap if any, else {@code null})
   * @param spentUsd what the workflow has spent so far (zero for a per-request cap)
   * @param requestedUsd the worst-case cost of the refused call
   * @param calls the workflow's call count so far (0 for a per-request cap)
   * @param message a sentence a person can act on
   */
  public CostCapExceededException(String cap, BigDecimal limitUsd, BigDecimal spentUsd, BigDecimal requestedUsd,
      long calls, String message) {
    super(message);
    this.cap = cap;
    this.limitUsd = limitUsd;
    this.spentUsd = spentUsd;
    this.requestedUsd = requestedUsd;
    this.calls = calls;
  }

  public String cap() { return cap; }
  public BigDecimal limitUsd() { return limitUsd; }
  public BigDecimal spentUsd() { return spentUsd; }
  public BigDecimal requestedUsd() { return requestedUsd; }
  public long calls() { return calls; }
}
