package io.finops4j.budget;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A budget's settled spend crossed an alert threshold. Fired once per budget, scope value, window and
 * threshold, by the call whose settlement crossed it.
 *
 * @param budgetId the budget's id
 * @param scope e.g. {@code customer} or {@code customer x feature}
 * @param key the scope value, e.g. {@code acme}; {@code null} for a global budget
 * @param unit {@code USD} or {@code tokens}
 * @param threshold the fraction crossed, e.g. 0.9
 * @param limit the limit in {@code unit}
 * @param spent the settled spend right after the crossing call
 * @param windowStart when the window began
 * @param resetsAt when the window ends
 * @param callId the call whose settlement crossed the threshold
 */
public record BudgetAlert(String budgetId, String scope, String key, String unit, double threshold,
    BigDecimal limit, BigDecimal spent, Instant windowStart, Instant resetsAt, String callId) {}
