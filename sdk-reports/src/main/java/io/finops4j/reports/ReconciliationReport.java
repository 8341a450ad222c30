package io.finops4j.reports;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * The ledger against a provider's usage export, per UTC day and model. Built by {@link Reconciliation#run}.
 *
 * @param period the days compared
 * @param lines every (day, model) with a cost on either side, by day then model
 * @param ledgerUsd ledger total over the compared days
 * @param exportUsd export total over the compared days
 * @param untrackedUsd export cost on (day, model) pairs with no ledger row: calls that bypassed the SDK
 * @param tolerancePct the relative drift allowed before a line is {@link Status#DRIFT}
 * @param minDriftUsd the absolute drift below which a line is never flagged
 */
public record ReconciliationReport(Period period, List<Line> lines, BigDecimal ledgerUsd, BigDecimal exportUsd,
    BigDecimal untrackedUsd, BigDecimal tolerancePct, BigDecimal minDriftUsd) implements ReportResult {

  public ReconciliationReport {
    lines = List.copyOf(lines);
  }

  /** How a (day, model) pair compares. */
  public enum Status {
    /** Within tolerance. */
    OK,
    /** Both sides have cost, and they differ beyond tolerance. */
    DRIFT,
    /** The export has cost and the ledger has no row: spend that bypassed the SDK. */
    UNTRACKED,
    /** The ledger has cost and the export has none (the export is late or filtered, or the model is mis-named). */
    LEDGER_ONLY
  }

  /**
   * One (day, model): {@code differenceUsd = exportUsd - ledgerUsd}; {@code driftPct} relative to the export, or
   * {@code null} when the export cost is zero.
   */
  public record Line(LocalDate day, String model, long ledgerCalls, BigDecimal ledgerUsd, BigDecimal exportUsd,
      BigDecimal differenceUsd, Double driftPct, Status status) {}

  /** Lines that need attention (any status other than OK). */
  public List<Line> problems() {
    return lines.stream().filter(l -> l.status() != Status.OK).toList();
  }

  @Override
  public String title() {
    return "finops4j reconciliation " + period;
  }

  @Override
  public List<Table> tables() {
    Table.Builder t = Table.builder("Per day and model", "day", "model", "ledger_calls", "ledger_usd", "export_usd",
        "difference_usd", "drift_pct", "status");
    lines.forEach(l -> t.row(l.day(), l.model(), l.ledgerCalls(), l.ledgerUsd(), l.exportUsd(), l.differenceUsd(),
        l.driftPct(), l.status().name()));
    Table summary = Table.builder("Summary", "ledger_usd", "export_usd", "difference_usd", "untracked_usd",
        "problem_lines").row(ledgerUsd, exportUsd, exportUsd.subtract(ledgerUsd), untrackedUsd,
        (long) problems().size()).build();
    return List.of(summary, t.build());
  }

  @Override
  public List<String> notes() {
    return List.of("DRIFT when |export - ledger| > max(" + minDriftUsd.toPlainString() + " USD, "
        + tolerancePct.toPlainString() + "% of export). Dated snapshots (model-2026-08-07) count as their base model.",
        "UNTRACKED = export cost with no ledger rows that day for that model: calls that bypassed the SDK.");
  }
}
