package io.finops4j.reports;

import io.finops4j.api.Attribution;
import io.finops4j.ledger.LedgerRollups;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Showback computed where the ledger lives: the engine groups the rows (per dimension value and day, per feature
 * and token count, per workflow) and streams back groups, which feed the same {@link ShowbackAggregator} as the
 * row-by-row path. The JVM never sees a row, so its memory does not grow with the ledger.
 *
 * <p>Two engines, the same three queries: the day groups, the token counts, and the workflows reduced to what
 * the report lists. DuckDB (an optional dependency, in process) reads JSONL and Parquet ledger files with an
 * explicit column schema; it rolls the day groups up into the four dimensions itself. PostgreSQL reads the
 * summaries the sink keeps ({@link LedgerRollups}) or, for a table without them, the rows (where {@code GROUPING
 * SETS} ran in one process and sorted the table once per set: 146 s for 10M rows here, the plain queries 59 s).
 */
final class SqlShowback {

  // GROUPING(day, customer, feature, model, tier): a bit per column, set when it is not grouped by.
  private static final int BY_CUSTOMER = 0b00111;
  private static final int BY_FEATURE = 0b01011;
  private static final int BY_MODEL = 0b01101;
  private static final int BY_TIER = 0b01110;

  /** What differs between the engines: the UTC day of a row, and time literals. */
  enum Engine {
    POSTGRESQL("(ts AT TIME ZONE 'UTC')::date", "min(ts)", "max(ts)") {
      @Override
      String startOf(LocalDate day) {
        return "TIMESTAMPTZ '" + day + "T00:00:00Z'";
      }

      @Override
      Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
      }
    },
    DUCKDB("CAST(ts AS DATE)", "epoch_ns(min(ts))", "epoch_ns(max(ts))") {
      @Override
      String startOf(LocalDate day) {
        return "TIMESTAMP_NS '" + day + " 00:00:00'";
      }

      @Override
      Instant instant(ResultSet rs, String column) throws SQLException {
        long nanos = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochSecond(0, nanos);
      }
    };

    final String day;
    final String firstTs;
    final String lastTs;

    Engine(String day, String firstTs, String lastTs) {
      this.day = day;
      this.firstTs = firstTs;
      this.lastTs = lastTs;
    }

    abstract String startOf(LocalDate day);

    abstract Instant instant(ResultSet rs, String column) throws SQLException;
  }

  /** DuckDB's memory cap: {@code -Dfinops4j.reports.duckdb.memory=2GB} to change it. */
  private static final String DUCKDB_MEMORY = System.getProperty("finops4j.reports.duckdb.memory", "1GB")
      .replaceAll("[^0-9A-Za-z.]", "");

  private SqlShowback() {}

  /**
   * True when DuckDB's JDBC driver is on the class path and not switched off with
   * {@code -Dfinops4j.reports.duckdb=false} (to compare with, or to rule it out).
   */
  static boolean duckDbAvailable() {
    if (!Boolean.parseBoolean(System.getProperty("finops4j.reports.duckdb", "true"))) {
      return false;
    }
    try {
      Class.forName("org.duckdb.DuckDBDriver");
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /** Showback of JSONL ledger files, read by an in-process DuckDB. */
  static ShowbackReport duckDb(List<Path> files, Period period, int top) throws SQLException {
    return duckDb(new FileLedger(files, List.of()), period, top);
  }

  /**
   * Showback of a file ledger's JSONL and Parquet files together, read by an in-process DuckDB. Parquet is read
   * column by column, with no parsing: the columnar files are what makes 10M rows a matter of seconds.
   */
  static ShowbackReport duckDb(FileLedger files, Period period, int top) throws SQLException {
    try (Connection c = duckDbConnection()) {
      ShowbackAggregator sums = new ShowbackAggregator(period, top);
      String source = files.relation(c, FileLedger.SHOWBACK);
      String rows = source + " WHERE " + bounds(Engine.DUCKDB, period, false);
      String inPeriod = source + " WHERE " + bounds(Engine.DUCKDB, period, true);
      // DuckDB hashes the four sets straight from the rows (30% less CPU than from the day groups, at 10M rows).
      dimensions(c, "SELECT " + Engine.DUCKDB.day + " AS day, customer, feature, model, tier, 1 AS n,"
          + " input_tokens AS in_t, output_tokens AS out_t, cost_usd AS cost, saved_usd AS saved,"
          + " CASE WHEN cache_status = 'hit' THEN 1 ELSE 0 END AS hits,"
          + " CASE WHEN cache_status = 'miss' THEN 1 ELSE 0 END AS misses FROM " + rows, period, sums);
      tokenCounts(c, inPeriod, sums);
      workflows(c, Engine.DUCKDB, perWorkflow(Engine.DUCKDB, inPeriod), top, sums);
      // Who a listed workflow belongs to (its first call's customer and feature): asked for the few listed only,
      // which costs a tenth of finding it for all 2.2 million workflows of the benchmark ledger.
      Set<String> listed = sums.listedWorkflows();
      if (!listed.isEmpty()) {
        query(c, "SELECT workflow, arg_min_null(customer, ts) AS customer, arg_min_null(feature, ts) AS feature FROM "
            + inPeriod + " AND workflow IN (" + listed.stream().map(id -> "'" + id.replace("'", "''") + "'")
            .collect(Collectors.joining(", ")) + ") GROUP BY workflow",
            rs -> sums.owner(text(rs, "workflow"), text(rs, "customer"), text(rs, "feature")));
      }
      return sums.finish();
    }
  }

  /** An in-process DuckDB with its memory capped. */
  static Connection duckDbConnection() throws SQLException {
    Connection c = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement st = c.createStatement()) {
      // DuckDB's own memory (its hash tables grow with distinct workflows) is capped too: past the cap it
      // spills to a directory of its own under the JVM's temp directory instead of growing.
      st.execute("SET memory_limit = '" + DUCKDB_MEMORY + "'");
      st.execute("SET temp_directory = " + FileLedger.literal(Path.of(System.getProperty("java.io.tmpdir"),
          "finops4j-duckdb")));
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return c;
  }

  /**
   * Showback of a PostgreSQL ledger table: from its summaries when the sink keeps them ({@link LedgerRollups}),
   * from its rows otherwise.
   */
  static ShowbackReport postgres(Connection c, String table, Period period, int top) throws SQLException {
    return postgres(c, table, period, top, LedgerRollups.present(c, table));
  }

  /** Showback of a PostgreSQL ledger table, from its summaries ({@code rollups}) or from its rows. */
  static ShowbackReport postgres(Connection c, String table, Period period, int top, boolean rollups)
      throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false); // PostgreSQL streams with a cursor only inside a transaction
    try {
      try (Statement st = c.createStatement()) {
        // For this transaction only: memory to hash the groups instead of sorting, and no JIT, whose compile time
        // costs more than it saves.
        st.execute("SET LOCAL work_mem = '256MB'");
        st.execute("SET LOCAL jit = off");
      }
      ShowbackAggregator sums = new ShowbackAggregator(period, top);
      String rows = table + " WHERE " + bounds(Engine.POSTGRESQL, period, false);
      String inPeriod = table + " WHERE " + bounds(Engine.POSTGRESQL, period, true);
      if (rollups) {
        dimensions(c, dailyRollup(table, period), period, sums);
        Months months = Months.of(period);
        query(c, "SELECT " + LedgerRollups.nullable("feature", 0) + " AS feature, tokens AS tok, calls AS n FROM "
            + LedgerRollups.tokens(table) + " WHERE " + months.whole("month"), rs -> tokenRow(rs, sums));
        tokenCounts(c, table + " WHERE " + months.rest(Engine.POSTGRESQL), sums);
        workflows(c, Engine.POSTGRESQL, workflowRollup(table, period), top, sums);
      } else {
        dimensions(c, dayGroups(Engine.POSTGRESQL, rows), period, sums);
        tokenCounts(c, inPeriod, sums);
        workflows(c, Engine.POSTGRESQL, perWorkflow(Engine.POSTGRESQL, inPeriod), top, sums);
      }
      // Who a workflow belongs to (its first call's customer and feature), asked for the few workflows listed.
      try (PreparedStatement ps = c.prepareStatement("SELECT customer, feature FROM " + table
          + " WHERE workflow = ? AND " + bounds(Engine.POSTGRESQL, period, true) + " ORDER BY ts, call_id LIMIT 1")) {
        for (String id : sums.listedWorkflows()) {
          ps.setString(1, id);
          try (ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
              sums.owner(id, text(rs, "customer"), text(rs, "feature"));
            }
          }
        }
      }
      return sums.finish();
    } finally {
      c.commit();
      c.setAutoCommit(autoCommit);
    }
  }

  /**
   * The daily summary's groups a showback of {@code period} reads (from 13 days before it, for week-over-week
   * change), with the columns the raw rows' {@code GROUP BY} gives.
   */
  private static String dailyRollup(String table, Period period) {
    String lower = period.from() == null ? "TRUE" : "day >= DATE '" + period.from().minusDays(13) + "'";
    String upper = period.to() == null ? "TRUE" : "day <= DATE '" + period.to() + "'";
    return "SELECT day, " + nullable("customer") + ", " + nullable("feature") + ", " + nullable("model") + ", "
        + nullable("tier") + ", calls AS n, input_tokens AS in_t, output_tokens AS out_t, cost_usd AS cost,"
        + " saved_usd AS saved, cache_hits AS hits, cache_misses AS misses FROM " + LedgerRollups.daily(table)
        + " WHERE " + lower + " AND " + upper;
  }

  private static String nullable(String column) {
    return LedgerRollups.nullable(column, LedgerRollups.dailyBit(column)) + " AS " + column;
  }

  /**
   * The workflows of {@code period} from the workflow summary: a workflow whose calls all fall in the period is
   * one row of the summary; the few that straddle an end of the period (running at midnight of its first or last
   * day) are summed from their rows in the period, found through the workflow index.
   */
  private static String workflowRollup(String table, Period period) {
    String lower = period.from() == null ? null : Engine.POSTGRESQL.startOf(period.from());
    String upper = period.to() == null ? null : Engine.POSTGRESQL.startOf(period.to().plusDays(1));
    String inside = (lower == null ? "TRUE" : "first_ts >= " + lower) + " AND "
        + (upper == null ? "TRUE" : "last_ts < " + upper);
    String overlaps = (lower == null ? "TRUE" : "last_ts >= " + lower) + " AND "
        + (upper == null ? "TRUE" : "first_ts < " + upper);
    String summary = LedgerRollups.workflows(table);
    return "SELECT workflow AS wf, calls AS n, input_tokens AS in_t, output_tokens AS out_t, cost_usd AS cost,"
        + " first_ts, last_ts FROM " + summary + " WHERE " + inside
        + " UNION ALL " + perWorkflow(Engine.POSTGRESQL, table + " WHERE " + bounds(Engine.POSTGRESQL, period, true)
        + " AND workflow IN (SELECT workflow FROM " + summary + " WHERE " + overlaps + " AND NOT (" + inside + "))");
  }

  /** One group per UTC day, customer, feature, model and tier of {@code rows} (a source and its condition). */
  private static String dayGroups(Engine engine, String rows) {
    return "SELECT " + engine.day + " AS day, customer, feature, model, tier, count(*) AS n,"
        + " sum(input_tokens) AS in_t, sum(output_tokens) AS out_t, sum(cost_usd) AS cost, sum(saved_usd) AS saved,"
        + " count(*) FILTER (WHERE cache_status = 'hit') AS hits,"
        + " count(*) FILTER (WHERE cache_status = 'miss') AS misses"
        + " FROM " + rows + " GROUP BY 1, 2, 3, 4, 5";
  }

  /** One row per workflow of {@code rows} (a source and its condition): calls, tokens, cost, first and last call. */
  private static String perWorkflow(Engine engine, String rows) {
    return "SELECT workflow AS wf, count(*) AS n, sum(input_tokens) AS in_t, sum(output_tokens) AS out_t,"
        + " sum(cost_usd) AS cost, " + engine.firstTs + " AS first_ts, " + engine.lastTs + " AS last_ts"
        + " FROM " + rows + " AND workflow IS NOT NULL GROUP BY workflow";
  }

  /**
   * The day groups ({@code dayGroups}: one per day, customer, feature, model and tier, 1.5 million for the 10M-row
   * benchmark ledger; or rows in their shape) rolled up in the database to the four dimensions per day (120,000
   * rows there), each of which the aggregator adds to its sums. Shipping the day groups themselves to Java cost
   * more than rolling them up.
   */
  private static void dimensions(Connection c, String dayGroups, Period period, ShowbackAggregator sums)
      throws SQLException {
    query(c, "SELECT GROUPING(day, customer, feature, model, tier) AS g, day, customer, feature, model, tier,"
        + " sum(n) AS n, sum(in_t) AS in_t, sum(out_t) AS out_t, sum(cost) AS cost, sum(saved) AS saved,"
        + " sum(hits) AS hits, sum(misses) AS misses FROM (" + dayGroups + ") d"
        + " GROUP BY GROUPING SETS ((day, customer), (day, feature), (day, model), (day, tier))",
        rs -> dimension(rs, period, sums));
  }

  /** Token counts: successful uncached requests of {@code rows} per feature and token count. */
  private static void tokenCounts(Connection c, String rows, ShowbackAggregator sums) throws SQLException {
    query(c, "SELECT feature, input_tokens + output_tokens AS tok, count(*) AS n FROM " + rows
        + " AND " + LedgerRollups.TOKEN_ROWS + " AND input_tokens + output_tokens IS NOT NULL GROUP BY 1, 2",
        rs -> tokenRow(rs, sums));
  }

  private static void tokenRow(ResultSet rs, ShowbackAggregator sums) throws SQLException {
    sums.tokens(Showback.key(text(rs, "feature")), rs.getLong("tok"), rs.getLong("n"));
  }

  /**
   * The workflows in the period ({@code perWorkflow}: one row each, millions), reduced in the database
   * to what the report shows: how many workflows have each length, and the workflows that can be listed (the
   * {@code top} by cost and by calls, every tie at the cut included, so that the aggregator breaks ties by id as on
   * every other path).
   */
  private static void workflows(Connection c, Engine engine, String perWorkflow, int top, ShowbackAggregator sums)
      throws SQLException {
    String sql = "WITH w AS MATERIALIZED (" + perWorkflow + ")"
        + " SELECT NULL AS wf, n, count(*) AS workflows, NULL AS in_t, NULL AS out_t, NULL AS cost,"
        + " NULL AS first_ts, NULL AS last_ts FROM w GROUP BY n"
        + " UNION ALL SELECT wf, n, 0, in_t, out_t, cost, first_ts, last_ts FROM w WHERE " + listable(top);
    query(c, sql, rs -> {
      String wf = text(rs, "wf");
      if (wf == null) {
        sums.loopLengths(rs.getLong("n"), rs.getLong("workflows"));
      } else {
        sums.candidate(new ShowbackReport.WorkflowLine(wf, null, null, rs.getLong("n"), rs.getLong("in_t"),
            rs.getLong("out_t"), rs.getBigDecimal("cost"),
            engine.instant(rs, "first_ts"), engine.instant(rs, "last_ts")));
      }
    });
  }

  /**
   * The workflows of {@code w} (columns {@code n} and {@code cost}) that a list of {@code top} may show: the top by
   * cost and by calls, every tie at the cut included.
   */
  private static String listable(int top) {
    return "cost >= (SELECT min(cost) FROM (SELECT cost FROM w ORDER BY cost DESC LIMIT " + top + ") t)"
        + " OR n >= (SELECT min(n) FROM (SELECT n FROM w ORDER BY n DESC LIMIT " + top + ") t)";
  }

  /** What is done with each row of a result. */
  private interface RowHandler {
    void row(ResultSet rs) throws SQLException;
  }

  /** Runs {@code sql} and streams its rows to {@code handler}. */
  private static void query(Connection c, String sql, RowHandler handler) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setFetchSize(10_000);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          handler.row(rs);
        }
      }
    }
  }

  /**
   * The rows a showback of {@code period} reads: up to its last day, and from 13 days before its first (the
   * week-over-week windows reach back that far), or only the period itself when {@code periodOnly}.
   */
  private static String bounds(Engine engine, Period period, boolean periodOnly) {
    String lower = period.from() == null ? "TRUE"
        : "ts >= " + engine.startOf(periodOnly ? period.from() : period.from().minusDays(13));
    String upper = period.to() == null ? "TRUE" : "ts < " + engine.startOf(period.to().plusDays(1));
    return lower + " AND " + upper;
  }

  /** An attribution value as the row reader reads it: characters the builder refuses replaced, as there. */
  private static String text(ResultSet rs, String column) throws SQLException {
    return Attribution.clean(rs.getString(column));
  }

  /** One dimension value's calls on one day, rolled up from the day groups. */
  private static void dimension(ResultSet rs, Period period, ShowbackAggregator sums) throws SQLException {
    int g = rs.getInt("g");
    String dimension = switch (g) {
      case BY_CUSTOMER -> "customer";
      case BY_FEATURE -> "feature";
      case BY_MODEL -> "model";
      case BY_TIER -> "tier";
      default -> throw new IllegalStateException("unexpected grouping " + g);
    };
    String key = Showback.key(g == BY_CUSTOMER || g == BY_FEATURE ? text(rs, dimension) : rs.getString(dimension));
    LocalDate day = rs.getObject("day", LocalDate.class);
    long n = rs.getLong("n");
    long in = rs.getLong("in_t");
    long out = rs.getLong("out_t");
    BigDecimal cost = rs.getBigDecimal("cost");
    sums.dimension(dimension, key, day, n, in, out, cost);
    if (g == BY_FEATURE && period.contains(day)) {
      sums.inPeriod(day, key, n, in, out, cost, rs.getBigDecimal("saved"), rs.getLong("hits"), rs.getLong("misses"));
    }
  }
}
