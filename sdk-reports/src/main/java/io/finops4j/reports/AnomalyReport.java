package io.finops4j.reports;

import java.util.List;

/**
 * The anomalies found in a period, earliest first, with the settings used.
 *
 * @param period the period searched
 * @param anomalies what was found, by first day then kind
 * @param settings the thresholds, as printed under the table
 */
public record AnomalyReport(Period period, List<Anomaly> anomalies, List<String> settings) implements ReportResult {

  public AnomalyReport {
    anomalies = List.copyOf(anomalies);
    settings = List.copyOf(settings);
  }

  /** The anomalies of one kind. */
  public List<Anomaly> of(Anomaly.Kind kind) {
    return anomalies.stream().filter(a -> a.kind() == kind).toList();
  }

  @Override
  public String title() {
    return "finops4j anomalies " + period;
  }

  @Override
  public List<Table> tables() {
    Table.Builder t = Table.builder("Anomalies", "kind", "first_day", "feature", "customer", "workflow", "figure",
        "baseline", "unit", "detail");
    anomalies.forEach(a -> t.row(a.kind().name(), a.firstDay(), a.feature(), a.customer(), a.workflow(), a.figure(),
        a.baseline(), a.unit(), a.detail()));
    return List.of(t.build());
  }

  @Override
  public List<String> notes() {
    return settings;
  }
}
