package io.finops4j.reports.cli;

import io.finops4j.ledger.JdbcLedgerReader;
import io.finops4j.reports.LedgerFormatException;
import java.sql.SQLException;
import java.time.ZoneOffset;

import io.finops4j.api.spi.CallRecord;
import io.finops4j.reports.JsonlLedger;
import io.finops4j.reports.Period;
import io.finops4j.reports.ReportResult;
import io.finops4j.reports.Showback;
import io.finops4j.reports.ShowbackReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.stream.Stream;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Options every command shares: where the ledger is, the period, the output format and file. */
final class CommonOptions {

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  /** The ledger to read: a JSONL file today, a database later. */
  static final class Source {
    @Option(names = "--ledger", paramLabel = "PATH", description = {"JSONL ledger file, one call per line, or the base "
        + "path of a rotated one (logs/ledger.jsonl).", "report also reads Parquet files and directories of "
        + ".jsonl and .parquet files (finops4j ledger compact)."})
    Path ledger;

    @Option(names = "--jdbc", paramLabel = "URL",
        description = "JDBC ledger URL, e.g. jdbc:postgresql://127.0.0.1:5432/test?user=postgres")
    String jdbc;
  }

  @Option(names = "--table", paramLabel = "NAME", defaultValue = "finops4j_ledger",
      description = "The ledger table, with --jdbc (default: ${DEFAULT-VALUE}).")
  String table;

  @Option(names = "--from", paramLabel = "DATE", description = "First UTC day, inclusive (yyyy-mm-dd).")
  LocalDate from;

  @Option(names = "--to", paramLabel = "DATE", description = "Last UTC day, inclusive (yyyy-mm-dd).")
  LocalDate to;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
      description = "table, json, csv or html (default: ${DEFAULT-VALUE}).")
  Format format;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of standard output.")
  Path output;

  Period period() {
    if (from != null && to != null && to.isBefore(from)) {
      throw new ParameterException(spec.commandLine(), "--to " + to + " is before --from " + from);
    }
    return Period.of(from, to);
  }

  /** The ledger's rows; close the stream. */
  Stream<CallRecord> rows() {
    if (source.jdbc != null) {
      try {
        return JdbcLedgerReader.stream(source.jdbc, table, from == null ? null : from.atStartOfDay(ZoneOffset.UTC).toInstant(),
            to == null ? null : to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
      } catch (SQLException e) {
        throw new LedgerFormatException(e.getMessage(), e);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--table: " + e.getMessage());
      }
    }
    return JsonlLedger.read(source.ledger, this::torn);
  }

  /**
   * Showback where the ledger lives: PostgreSQL aggregates in SQL, a JSONL file is read by DuckDB when it is on
   * the class path (row by row otherwise).
   */
  ShowbackReport showback(int top) {
    Period period = period();
    if (source.jdbc != null) {
      try {
        return Showback.ofJdbc(source.jdbc, table, period, top);
      } catch (SQLException e) {
        throw new LedgerFormatException(e.getMessage(), e);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--table: " + e.getMessage());
      }
    }
    return Showback.ofJsonl(source.ledger, period, top, this::torn);
  }

  private void torn(String message) {
    spec.commandLine().getErr().println("finops4j: " + message);
  }

  void print(ReportResult result) throws IOException {
    String text = format.render(result);
    if (output != null) {
      Files.writeString(output, text, StandardCharsets.UTF_8);
    } else {
      PrintWriter out = spec.commandLine().getOut();
      out.print(text);
      out.flush();
    }
  }
}
