package io.finops4j.reports;

import io.finops4j.api.spi.CallRecord;
import io.finops4j.ledger.JdbcLedgerReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.util.function.Consumer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Computes a {@link ShowbackReport} in one pass over ledger records, holding aggregates only.
 *
 * <pre>{@code
 * try (Stream<CallRecord> rows = JsonlLedger.read(Path.of("ledger.jsonl"))) {
 *   ShowbackReport r = Showback.run(rows, Period.of(LocalDate.parse("2026-11-01"), LocalDate.parse("2026-11-30")));
 *   System.out.println(r.toText());
 * }
 * }</pre>
 */
public final class Showback {

  private static final Logger LOG = LoggerFactory.getLogger(Showback.class);

  /** How many workflows the "top workflows" table lists by default. */
  public static final int DEFAULT_TOP = 20;

  static final String NONE = "(none)";

  private Showback() {}

  public static ShowbackReport run(Stream<CallRecord> records, Period period) {
    return run(records::iterator, period, DEFAULT_TOP);
  }

  public static ShowbackReport run(Iterable<CallRecord> records, Period period) {
    return run(records, period, DEFAULT_TOP);
  }

  /**
   * Showback of a file ledger: {@code ledger} is one JSONL or Parquet file, a directory of them, or the base path of
   * a rotated JSONL ledger (its dated files, and the Parquet files {@link LedgerCompaction} made of them). With
   * DuckDB's JDBC driver ({@code org.duckdb:duckdb_jdbc}) on the class path the files are aggregated by DuckDB in
   * process, several times faster and in flat memory (Parquet several times faster again); without it, or for a
   * JSONL file DuckDB cannot read (a torn last row, a bad line), JSONL is read row by row, which names the bad line
   * (Parquet needs DuckDB). {@code onTorn} (null: a WARN log line) hears of torn rows skipped on that path. Both
   * paths give the same numbers.
   */
  public static ShowbackReport ofJsonl(Path ledger, Period period, int top, Consumer<String> onTorn) {
    FileLedger files;
    try {
      files = FileLedger.of(ledger);
    } catch (IOException e) {
      throw new LedgerFormatException("cannot list ledger " + ledger + ": " + e.getMessage(), e);
    }
    if (SqlShowback.duckDbAvailable() && !files.isEmpty()) {
      try {
        return SqlShowback.duckDb(files, period, top);
      } catch (SQLException e) {
        if (!files.parquet().isEmpty() || Files.isDirectory(ledger)) {
          throw new LedgerFormatException("DuckDB could not read ledger " + ledger + ": " + e.getMessage(), e);
        }
        LOG.info("finops4j showback: DuckDB could not read {} ({}); reading it row by row", ledger, e.getMessage());
      }
    }
    if (!files.parquet().isEmpty() || Files.isDirectory(ledger)) {
      throw new LedgerFormatException("ledger " + ledger + " is " + (files.parquet().isEmpty() ? "a directory"
          : "Parquet") + ": reading it needs DuckDB's JDBC driver (org.duckdb:duckdb_jdbc) on the class path");
    }
    try (Stream<CallRecord> rows = JsonlLedger.read(ledger, onTorn)) {
      return run(rows::iterator, period, top);
    }
  }

  /**
   * Showback of a JDBC ledger table (as {@link io.finops4j.ledger.JdbcLedgerSink} wrote it). On PostgreSQL the
   * database aggregates and streams back only groups, so memory stays flat however many rows the table has: from
   * the summaries the sink keeps ({@link io.finops4j.ledger.LedgerRollups}; 10M rows in seconds), or with
   * {@code GROUP BY}s over the rows for a table without them. On other databases (H2) the rows are streamed and
   * aggregated here. Errors never quote the
   * URL's password.
   */
  public static ShowbackReport ofJdbc(String url, String table, Period period, int top) throws SQLException {
    try (Connection c = JdbcLedgerReader.connect(url)) {
      if ("PostgreSQL".equals(c.getMetaData().getDatabaseProductName())) {
        JdbcLedgerReader.checkTable(table);
        return SqlShowback.postgres(c, table, period, top);
      }
    }
    try (Stream<CallRecord> rows = JdbcLedgerReader.stream(url, table,
        period.from() == null ? null : period.from().minusDays(13).atStartOfDay(ZoneOffset.UTC).toInstant(),
        period.to() == null ? null : period.to().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant())) {
      return run(rows::iterator, period, top);
    }
  }

  /**
   * Showback of the records in {@code period}. Records up to 13 days before the period's last week still count
   * for week-over-week change, so pass the history too when you have it.
   */
  public static ShowbackReport run(Iterable<CallRecord> records, Period period, int top) {
    ShowbackAggregator sums = new ShowbackAggregator(period, top);
    Map<String, Workflow> workflows = new HashMap<>();
    for (CallRecord r : records) {
      LocalDate day = Period.day(r.timestamp());
      if (period.to() != null && day.isAfter(period.to())) {
        continue;
      }
      String[] keys = {key(r.attribution().customer()), key(r.attribution().feature()),
          r.model() == null ? NONE : r.model().qualified(), key(r.tier())};
      long in = r.usage().inputTokens();
      long out = r.usage().outputTokens();
      for (int i = 0; i < keys.length; i++) {
        sums.dimension(ShowbackAggregator.DIMENSIONS.get(i), keys[i], day, 1, in, out, r.costUsd());
      }
      if (!period.contains(day)) {
        continue;
      }
      boolean hit = "hit".equals(r.cacheStatus());
      sums.inPeriod(day, keys[1], 1, in, out, r.costUsd(), r.savedUsd(), hit ? 1 : 0,
          "miss".equals(r.cacheStatus()) ? 1 : 0);
      if (CallRecord.OK.equals(r.outcome()) && !hit) {
        sums.tokens(keys[1], r.usage().totalTokens(), 1);
      }
      String wf = r.attribution().workflow();
      if (wf != null) {
        workflows.computeIfAbsent(wf, k -> new Workflow(wf, r)).add(r);
      }
    }
    workflows.values().forEach(w -> sums.workflow(w.id, w.customer, w.feature, w.calls, w.in, w.out, w.cost,
        w.first, w.last));
    return sums.finish();
  }

  static String key(String s) {
    return s == null ? NONE : s;
  }

  static double pct(long part, long whole) {
    return whole == 0 ? 0.0 : 100.0 * part / whole;
  }

  static double pct(BigDecimal part, BigDecimal whole) {
    return whole.signum() == 0 ? 0.0 : part.multiply(BigDecimal.valueOf(100)).divide(whole, 6, RoundingMode.HALF_UP)
        .doubleValue();
  }

  /** Change in percent, or {@code null} when the baseline is zero. */
  static Double change(BigDecimal now, BigDecimal before) {
    if (before.signum() == 0) {
      return null;
    }
    return now.subtract(before).multiply(BigDecimal.valueOf(100)).divide(before, 6, RoundingMode.HALF_UP)
        .doubleValue();
  }

  /** Running totals for one workflow. */
  private static final class Workflow {
    final String id;
    final String customer;
    final String feature;
    long calls;
    long in;
    long out;
    BigDecimal cost = BigDecimal.ZERO;
    Instant first;
    Instant last;

    Workflow(String id, CallRecord r) {
      this.id = id;
      this.customer = r.attribution().customer();
      this.feature = r.attribution().feature();
      this.first = r.timestamp();
      this.last = r.timestamp();
    }

    void add(CallRecord r) {
      calls++;
      in += r.usage().inputTokens();
      out += r.usage().outputTokens();
      cost = cost.add(r.costUsd());
      first = r.timestamp().isBefore(first) ? r.timestamp() : first;
      last = r.timestamp().isAfter(last) ? r.timestamp() : last;
    }
  }
}
