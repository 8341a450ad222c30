package io.finops4j.spring;

import io.finops4j.telemetry.TelemetryStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the {@code finops4j} health indicator reports, on either Boot line: UP once the {@code Llm} was built (a bad
 * configuration stops the application instead), the configured provider, tier and task names, and telemetry's
 * state. Telemetry that failed to link (an instrumentation library older than finops4j supports) shows as
 * {@code telemetry: DOWN} with the reason, while the component stays UP: calls go on without it. Never a
 * provider's settings: they hold API keys.
 */
final class Finops4jHealth {

  private Finops4jHealth() {}

  static Map<String, Object> details(Finops4jSettings settings) {
    Map<String, Object> tree = settings.tree();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("providers", names(tree.get("providers")));
    details.put("tiers", names(tree.get("tiers")));
    details.put("tasks", names(tree.get("tasks")));
    Map<String, String> problems = TelemetryStatus.problems();
    if (problems.isEmpty()) {
      details.put("telemetry", Map.of("status", "UP"));
    } else {
      details.put("telemetry", Map.of("status", "DOWN", "reasons", problems));
    }
    return details;
  }

  private static List<String> names(Object section) {
    return section instanceof Map<?, ?> m ? m.keySet().stream().map(String::valueOf).toList() : List.of();
  }
}
