package io.finops4j.reports;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * One anomaly: what is unusual, where, by how much against which baseline, and since when.
 *
 * @param kind what was detected
 * @param feature the feature, or {@code null} when not feature-specific
 * @param customer the customer, for per-customer anomalies, else {@code null}
 * @param workflow the workflow, for {@link Kind#COSTLY_SESSION}, else {@code null}
 * @param figure the observed figure (see {@code unit})
 * @param baseline what the figure was compared with, in the same unit
 * @param unit {@code USD/day}, {@code USD/7d}, {@code tokens/request} or {@code USD}
 * @param firstDay the first UTC day the anomaly appeared
 * @param detail a one-line explanation, e.g. the z-score
 */
public record Anomaly(Kind kind, String feature, String customer, String workflow, BigDecimal figure,
    BigDecimal baseline, String unit, LocalDate firstDay, String detail) {

  /** The kinds of anomaly {@link AnomalyDetector} finds. */
  public enum Kind {
    /** A feature's daily cost is beyond the z-score threshold against its own trailing days. */
    DAILY_COST_SPIKE,
    /** A customer's cost on a feature over 7 days is at least the week-over-week factor times the 7 days before. */
    CUSTOMER_FEATURE_WOW,
    /** A feature's mean input tokens per request on a day grew by at least the threshold over the trailing week. */
    PROMPT_GROWTH,
    /** A workflow (session) cost more than the session threshold. */
    COSTLY_SESSION
  }
}
