package io.finops4j.api;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A call was refused before any network traffic because its worst-case cost does not fit a budget that
 * fails closed. Names the budget, its scope and key, its limit, what is spent and reserved, what the call
 * asked for, and when the window resets.
 */
public class BudgetExceededException extends Finops4jException {

  private static final long serialVersionUID = 1L;

  private final String budgetId;
  private final String scope;
  private final String key;
  private final String unit;
  private final BigDecimal limit;
  private final BigDecimal spent;
  private final BigDecimal reserved;
  private final BigDecimal requested;
  private final transient Instant resetsAt;

  public BudgetExceededException(String budgetId, String scope, String key, String unit, BigDecimal limit,
      BigDecimal spent, BigDecimal reserved, BigDecimal requested, Instant resetsAt) {
    super("budget " + budgetId + " (" + scope + (key == null ? "" : " " + key) + ") would be exceeded: limit "
        + limit.toPlainString() + " " + unit + ", spent " + spent.toPlainString() + ", reserved "
        + reserved.toPlainString() + ", this call needs up to " + requested.toPlainString() + " " + unit
        + (resetsAt == null ? "" : "; the window resets at " + resetsAt));
    this.budgetId = budgetId;
    this.scope = scope;
    this.key = key;
    this.unit = unit;
    this.limit = limit;
    this.spent = spent;
    this.reserved = reserved;
    this.requested = requested;
    this.resetsAt = resetsAt;
  }

  /** The budget's id, e.g. {@code customer-monthly}. */
  public String budgetId() { return budgetId; }
  /** The scope, e.g. {@code customer} or {@code customer x feature}. */
  public String scope() { return scope; }
  /** The scope value this call counted against, e.g. {@code acme}. */
  public String key() { return key; }
  /** {@code USD} or {@code tokens}. */
  public String unit() { return unit; }
  public BigDecimal limit() { return limit; }
  public BigDecimal spent() { return spent; }
  public BigDecimal reserved() { return reserved; }
  public BigDecimal requested() { return requested; }
  /** When the current window ends, or {@code null} for a budget without windows. */
  public Instant resetsAt() { return resetsAt; }
}
