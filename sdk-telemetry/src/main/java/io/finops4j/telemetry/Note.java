package io.finops4j.telemetry;

import java.util.Map;

/**
 * A notable event of one call as telemetry writes it: a span event named {@code finops4j.} + {@code name}, a log
 * line, and for a budget threshold the budget's utilisation gauge.
 *
 * @param budgetId the budget it concerns, or null
 * @param utilization the budget's spent over limit after the call (a fraction), or -1
 */
record Note(String name, long epochNanos, Map<String, String> attributes, String budgetId, double utilization) {

  /** A note that concerns no budget. */
  Note(String name, long epochNanos, Map<String, String> attributes) {
    this(name, epochNanos, attributes, null, -1);
  }

  boolean threshold() {
    return TelemetryNames.EVENT_BUDGET_THRESHOLD.equals(name);
  }
}
