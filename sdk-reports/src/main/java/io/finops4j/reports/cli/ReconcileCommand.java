package io.finops4j.reports.cli;

import io.finops4j.api.spi.CallRecord;
import io.finops4j.reports.LedgerFormatException;
import io.finops4j.reports.Reconciliation;
import io.finops4j.reports.ReconciliationReport;
import io.finops4j.reports.UsageExport;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code finops4j reconcile}. */
@Command(name = "reconcile", mixinStandardHelpOptions = true,
    description = {"Compare the ledger with a provider's usage export (CSV).",
        "Per day and model: drift beyond the tolerance, and untracked spend (export cost with no ledger rows = calls that bypassed the SDK).",
        "Exit code 1 when problems are found and --fail-on-drift is given."})
final class ReconcileCommand implements Callable<Integer> {

  @Mixin
  CommonOptions common;

  @Option(names = "--export", paramLabel = "FILE", required = true, description = "Provider usage export, CSV.")
  Path export;

  @Option(names = "--provider", paramLabel = "NAME", defaultValue = "openai",
      description = "Provider of bare model names in the export (default: ${DEFAULT-VALUE}).")
  String provider;

  @Option(names = "--column", paramLabel = "FIELD=HEADER",
      description = "Read FIELD (date, model, cost, input, output) from column HEADER.")
  Map<String, String> columns = Map.of();

  @Option(names = "--tolerance-pct", paramLabel = "PCT", defaultValue = "5",
      description = "Relative drift allowed, percent of export cost (default: ${DEFAULT-VALUE}).")
  BigDecimal tolerancePct;

  @Option(names = "--min-drift-usd", paramLabel = "USD", defaultValue = "0.01",
      description = "Absolute drift never flagged (default: ${DEFAULT-VALUE}).")
  BigDecimal minDriftUsd;

  @Option(names = "--fail-on-drift", description = "Exit with 1 when any line drifts or is untracked.")
  boolean failOnDrift;

  @Override
  public Integer call() throws Exception {
    UsageExport reader;
    try {
      reader = UsageExport.forProvider(provider);
      for (Map.Entry<String, String> c : columns.entrySet()) {
        reader = reader.column(c.getKey(), c.getValue());
      }
    } catch (IllegalArgumentException e) {
      throw new ParameterException(common.spec.commandLine(), "--provider/--column: " + e.getMessage());
    }
    List<UsageExport.Row> rows;
    try (Reader in = Files.newBufferedReader(export, StandardCharsets.UTF_8)) {
      rows = reader.read(in, export.toString());
    } catch (NoSuchFileException e) {
      throw new LedgerFormatException("export file not found: " + export);
    }
    ReconciliationReport r;
    try (Stream<CallRecord> ledger = common.rows()) {
      r = Reconciliation.run(ledger::iterator, rows, common.period(), tolerancePct, minDriftUsd);
    }
    common.print(r);
    return failOnDrift && !r.problems().isEmpty() ? 1 : 0;
  }
}
