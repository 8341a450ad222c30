package io.finops4j.reports;

import io.finops4j.api.ModelId;
import io.finops4j.api.spi.CallRecord;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Compares the ledger with a provider's usage export per UTC day and model: drift beyond a tolerance, and
 * untracked spend (export cost with no ledger rows).
 */
public final class Reconciliation {

  /** Relative drift allowed by default, in percent. */
  public static final BigDecimal DEFAULT_TOLERANCE_PCT = new BigDecimal("5");
  /** Absolute drift never flagged by default, in USD: rounding in exports is usually to the cent. */
  public static final BigDecimal DEFAULT_MIN_DRIFT_USD = new BigDecimal("0.01");

  private static final Pattern SNAPSHOT = Pattern.compile("-(\\d{4}-\\d{2}-\\d{2}|\\d{8})$");

  private Reconciliation() {}

  public static ReconciliationReport run(Iterable<CallRecord> ledger, List<UsageExport.Row> export, Period period) {
    return run(ledger, export, period, DEFAULT_TOLERANCE_PCT, DEFAULT_MIN_DRIFT_USD);
  }

  /**
   * Compares the days of {@code period} that the export covers (from its first to its last day), so that a
   * ledger longer than the export does not show as unexported spend.
   */
  public static ReconciliationReport run(Iterable<CallRecord> ledger, List<UsageExport.Row> export, Period period,
      BigDecimal tolerancePct, BigDecimal minDriftUsd) {
    Map<LocalDate, Map<String, BigDecimal>> exported = new TreeMap<>();
    LocalDate first = null;
    LocalDate last = null;
    for (UsageExport.Row row : export) {
      if (!period.contains(row.day())) {
        continue;
      }
      first = first == null || row.day().isBefore(first) ? row.day() : first;
      last = last == null || row.day().isAfter(last) ? row.day() : last;
      exported.computeIfAbsent(row.day(), d -> new TreeMap<>()).merge(base(row.model()), row.costUsd(),
          BigDecimal::add);
    }
    Period compared = new Period(first, last);
    Map<LocalDate, Map<String, BigDecimal>> ledgerCost = new TreeMap<>();
    Map<LocalDate, Map<String, Long>> ledgerCalls = new TreeMap<>();
    if (first != null) {
      for (CallRecord r : ledger) {
        LocalDate day = Period.day(r.timestamp());
        if (r.model() == null || !compared.contains(day)) {
          continue;
        }
        String m = base(r.model());
        ledgerCost.computeIfAbsent(day, d -> new TreeMap<>()).merge(m, r.costUsd(), BigDecimal::add);
        ledgerCalls.computeIfAbsent(day, d -> new TreeMap<>()).merge(m, 1L, Long::sum);
      }
    }
    Map<LocalDate, Map<String, Boolean>> keys = new TreeMap<>();
    exported.forEach((d, m) -> m.keySet().forEach(k -> keys.computeIfAbsent(d, x -> new TreeMap<>()).put(k, true)));
    ledgerCost.forEach((d, m) -> m.keySet().forEach(k -> keys.computeIfAbsent(d, x -> new TreeMap<>()).put(k, true)));
    List<ReconciliationReport.Line> lines = new ArrayList<>();
    BigDecimal ledgerTotal = BigDecimal.ZERO;
    BigDecimal exportTotal = BigDecimal.ZERO;
    BigDecimal untracked = BigDecimal.ZERO;
    for (Map.Entry<LocalDate, Map<String, Boolean>> e : keys.entrySet()) {
      for (String model : e.getValue().keySet()) {
        long calls = ledgerCalls.getOrDefault(e.getKey(), Map.of()).getOrDefault(model, 0L);
        BigDecimal l = ledgerCost.getOrDefault(e.getKey(), Map.of()).getOrDefault(model, BigDecimal.ZERO);
        BigDecimal x = exported.getOrDefault(e.getKey(), Map.of()).getOrDefault(model, BigDecimal.ZERO);
        BigDecimal diff = x.subtract(l);
        Double drift = x.signum() == 0 ? null
            : diff.multiply(BigDecimal.valueOf(100)).divide(x, 6, RoundingMode.HALF_UP).doubleValue();
        BigDecimal allowed = minDriftUsd.max(x.abs().multiply(tolerancePct).movePointLeft(2));
        ReconciliationReport.Status status;
        if (calls == 0 && x.signum() > 0) {
          status = ReconciliationReport.Status.UNTRACKED;
          untracked = untracked.add(x);
        } else if (diff.abs().compareTo(allowed) <= 0) {
          status = ReconciliationReport.Status.OK;
        } else if (x.signum() == 0) {
          status = ReconciliationReport.Status.LEDGER_ONLY;
        } else {
          status = ReconciliationReport.Status.DRIFT;
        }
        ledgerTotal = ledgerTotal.add(l);
        exportTotal = exportTotal.add(x);
        lines.add(new ReconciliationReport.Line(e.getKey(), model, calls, l, x, diff, drift, status));
      }
    }
    return new ReconciliationReport(first == null ? period : compared, lines, ledgerTotal, exportTotal, untracked,
        tolerancePct, minDriftUsd);
  }

  /** The model without a dated snapshot suffix: exports name snapshots, the ledger may name the alias. */
  static String base(ModelId id) {
    return id.provider() + "/" + SNAPSHOT.matcher(id.model()).replaceFirst("");
  }
}
