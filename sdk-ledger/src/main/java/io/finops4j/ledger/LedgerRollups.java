package io.finops4j.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * The summaries a PostgreSQL ledger keeps next to its rows, so that showback reads thousands of groups instead of
 * millions of rows. {@link JdbcLedgerSink} adds each batch's rows to them in the batch's own transaction, and
 * backfills them once from the rows when it migrates an older table (schema version 2). Three tables, named after
 * the ledger table:
 *
 * <ul>
 *   <li>{@code <table>_daily}: per UTC day, customer, feature, model and tier: calls, input and output tokens,
 *       cost, savings, cache hits and misses.</li>
 *   <li>{@code <table>_tokens}: per UTC month, feature and total token count: how many successful uncached calls
 *       had that many tokens (the token percentiles). Months, not days: token counts take thousands of values, so
 *       a daily table would be nearly as long as the ledger.</li>
 *   <li>{@code <table>_workflows}: per workflow: calls, tokens, cost, first and last call time.</li>
 * </ul>
 *
 * Every sum is computed by PostgreSQL from the rows themselves ({@code NUMERIC}: exact to the nano-USD), with the
 * same SQL for a batch and for the backfill. A batch counts only the rows its transaction inserted (a retried
 * batch's rows already present are skipped by the insert, and by the summaries). Upserts ({@code INSERT ... ON
 * CONFLICT DO UPDATE}) add to a group under its row lock, in key order, so two application instances writing the
 * same day and customer neither lose counts nor deadlock. Key columns are never null (PostgreSQL 14 has no
 * {@code NULLS NOT DISTINCT}): a null is stored as {@code ''} with its bit set in {@code nulls}, so {@code ''} and
 * null stay apart.
 */
public final class LedgerRollups {

  /** The rows whose token counts the percentiles take: successful calls not served from the cache. */
  public static final String TOKEN_ROWS = "outcome = 'ok' AND coalesce(cache_status, '') <> 'hit'";

  /** The key columns of {@code _daily} that may be null in the ledger, in the bit order of its {@code nulls}. */
  private static final List<String> DAILY_KEYS = List.of("customer", "feature", "model", "tier");

  private LedgerRollups() {}

  /** The table of sums per UTC day, customer, feature, model and tier. */
  public static String daily(String table) {
    return table + "_daily";
  }

  /** The table of token counts per UTC month and feature. */
  public static String tokens(String table) {
    return table + "_tokens";
  }

  /** The table of sums per workflow. */
  public static String workflows(String table) {
    return table + "_workflows";
  }

  /**
   * True when {@code table}'s summaries exist and are kept (its schema version is 2 or later, as
   * {@link JdbcLedgerSink} records it); false for a table an older sink made and no current sink has migrated.
   */
  public static boolean present(Connection c, String table) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
      ps.setString(1, table + "_version");
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        if (!rs.getBoolean(1)) {
          return false;
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(version), 0) FROM " + table + "_version");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getInt(1) >= 2;
    }
  }

  /** {@code column}, or null when bit {@code bit} of {@code nulls} is set: how a key column is read back. */
  public static String nullable(String column, int bit) {
    return "CASE WHEN nulls & " + (1 << bit) + " <> 0 THEN NULL ELSE " + column + " END";
  }

  /** The bit of a {@code _daily} key column in {@code nulls}. */
  public static int dailyBit(String column) {
    int bit = DAILY_KEYS.indexOf(column);
    if (bit < 0) {
      throw new IllegalArgumentException("not a nullable key column of the daily rollup: " + column);
    }
    return bit;
  }

  /** Creates the three tables (schema version 2). */
  static List<String> create(String table) {
    return List.of(
        "CREATE TABLE IF NOT EXISTS " + daily(table) + " (day DATE NOT NULL, customer VARCHAR NOT NULL,"
            + " feature VARCHAR NOT NULL, model VARCHAR NOT NULL, tier VARCHAR NOT NULL, nulls SMALLINT NOT NULL,"
            + " calls BIGINT NOT NULL, input_tokens BIGINT NOT NULL, output_tokens BIGINT NOT NULL,"
            + " cost_usd NUMERIC(38,9) NOT NULL, saved_usd NUMERIC(38,9) NOT NULL, cache_hits BIGINT NOT NULL,"
            + " cache_misses BIGINT NOT NULL, PRIMARY KEY (day, customer, feature, model, tier, nulls))",
        "CREATE TABLE IF NOT EXISTS " + tokens(table) + " (month DATE NOT NULL, feature VARCHAR NOT NULL,"
            + " nulls SMALLINT NOT NULL, tokens BIGINT NOT NULL, calls BIGINT NOT NULL,"
            + " PRIMARY KEY (month, feature, nulls, tokens))",
        "CREATE TABLE IF NOT EXISTS " + workflows(table) + " (workflow VARCHAR NOT NULL PRIMARY KEY,"
            + " calls BIGINT NOT NULL, input_tokens BIGINT NOT NULL, output_tokens BIGINT NOT NULL,"
            + " cost_usd NUMERIC(38,9) NOT NULL, first_ts TIMESTAMPTZ NOT NULL, last_ts TIMESTAMPTZ NOT NULL)");
  }

  /**
   * The statements that add the ledger rows matching {@code where} (a condition on {@code table}) to the three
   * summaries. The backfill passes {@code TRUE}; a batch passes {@link #INSERTED_BY_THIS_TRANSACTION}.
   */
  static List<String> upserts(String table, String where) {
    StringBuilder nulls = new StringBuilder("(");
    for (int bit = 0; bit < DAILY_KEYS.size(); bit++) {
      nulls.append(bit == 0 ? "" : " | ").append("CASE WHEN ").append(DAILY_KEYS.get(bit)).append(" IS NULL THEN ")
          .append(1 << bit).append(" ELSE 0 END");
    }
    nulls.append(")::smallint");
    return List.of(
        "INSERT INTO " + daily(table) + " AS r (day, customer, feature, model, tier, nulls, calls, input_tokens,"
            + " output_tokens, cost_usd, saved_usd, cache_hits, cache_misses)"
            + " SELECT (ts AT TIME ZONE 'UTC')::date, coalesce(customer, ''), coalesce(feature, ''),"
            + " coalesce(model, ''), coalesce(tier, ''), " + nulls + ", count(*), sum(input_tokens),"
            + " sum(output_tokens), sum(cost_usd), sum(saved_usd), count(*) FILTER (WHERE cache_status = 'hit'),"
            + " count(*) FILTER (WHERE cache_status = 'miss')"
            + " FROM " + table + " WHERE " + where + " GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6"
            + " ON CONFLICT (day, customer, feature, model, tier, nulls) DO UPDATE SET"
            + " calls = r.calls + excluded.calls, input_tokens = r.input_tokens + excluded.input_tokens,"
            + " output_tokens = r.output_tokens + excluded.output_tokens, cost_usd = r.cost_usd + excluded.cost_usd,"
            + " saved_usd = r.saved_usd + excluded.saved_usd, cache_hits = r.cache_hits + excluded.cache_hits,"
            + " cache_misses = r.cache_misses + excluded.cache_misses",
        "INSERT INTO " + tokens(table) + " AS r (month, feature, nulls, tokens, calls)"
            + " SELECT date_trunc('month', ts AT TIME ZONE 'UTC')::date, coalesce(feature, ''),"
            + " (CASE WHEN feature IS NULL THEN 1 ELSE 0 END)::smallint, input_tokens + output_tokens, count(*)"
            + " FROM " + table + " WHERE (" + where + ") AND " + TOKEN_ROWS
            + " GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4"
            + " ON CONFLICT (month, feature, nulls, tokens) DO UPDATE SET calls = r.calls + excluded.calls",
        "INSERT INTO " + workflows(table) + " AS r (workflow, calls, input_tokens, output_tokens, cost_usd,"
            + " first_ts, last_ts)"
            + " SELECT workflow, count(*), sum(input_tokens), sum(output_tokens), sum(cost_usd), min(ts), max(ts)"
            + " FROM " + table + " WHERE (" + where + ") AND workflow IS NOT NULL GROUP BY 1 ORDER BY 1"
            + " ON CONFLICT (workflow) DO UPDATE SET calls = r.calls + excluded.calls,"
            + " input_tokens = r.input_tokens + excluded.input_tokens,"
            + " output_tokens = r.output_tokens + excluded.output_tokens, cost_usd = r.cost_usd + excluded.cost_usd,"
            + " first_ts = least(r.first_ts, excluded.first_ts), last_ts = greatest(r.last_ts, excluded.last_ts)");
  }

  /**
   * A batch's rows: the call ids bound as a text array, and inserted by this transaction ({@code xmin}), so rows a
   * retried batch finds already present are not counted twice.
   */
  static final String INSERTED_BY_THIS_TRANSACTION =
      "call_id = ANY(?) AND xmin::text = (txid_current() % 4294967296)::text";
}
