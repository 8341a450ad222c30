package io.finops4j.benchmarks;

import io.finops4j.api.Attribution;
import io.finops4j.api.ModelId;
import io.finops4j.api.ModelPrice;
import io.finops4j.api.Usage;
import io.finops4j.api.spi.CallRecord;
import io.finops4j.ledger.JdbcLedgerSink;
import io.finops4j.ledger.LedgerJson;
import io.finops4j.ledger.LedgerRollups;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Random;

/**
 * The data for "showback over 10M ledger rows" (benchmarks/showback-at-scale runs it, then times the CLI's
 * {@code report} on it): a generated JSONL ledger, and the same rows loaded into a PostgreSQL ledger table.
 *
 * <pre>
 * java -cp CP io.finops4j.benchmarks.ShowbackAtScale generate /tmp/finops4j-10m.jsonl 10000000
 * java -cp CP io.finops4j.benchmarks.ShowbackAtScale load-postgres /tmp/finops4j-10m.jsonl JDBC_URL TABLE
 * java -cp CP io.finops4j.benchmarks.ShowbackAtScale backfill-postgres JDBC_URL TABLE
 * java -cp CP io.finops4j.benchmarks.ShowbackAtScale drop-postgres JDBC_URL TABLE
 * java -cp CP io.finops4j.benchmarks.ShowbackAtScale duckdb-formats /tmp/finops4j-2m.jsonl
 * </pre>
 *
 * The rows: 60 days from 2026-10-01, 2,000 customers skewed towards a few large ones, 12 features, 5 models,
 * workflows of 1 to 200 calls (exponential, mean about 5), 10% cache hits, costs priced from the tokens.
 */
public final class ShowbackAtScale {

  private static final String[] FEATURES = {"support-reply", "classification", "summarize", "search-answer",
      "agent", "extract", "translate", "moderation", "code-review", "email-draft", "sql-gen", "chat"};
  private static final ModelId[] MODELS = {ModelId.parse("openai/gpt-5-mini"), ModelId.parse("openai/gpt-5"),
      ModelId.parse("anthropic/claude-haiku-4-5"), ModelId.parse("anthropic/claude-sonnet-4-6"),
      ModelId.parse("anthropic/claude-opus-4-7")};
  private static final String[] TIERS = {"small", "medium", "medium", "medium", "large"};
  private static final ModelPrice[] PRICES = {ModelPrice.of("0.25", "2"), ModelPrice.of("1.25", "10"),
      ModelPrice.of("1", "5"), ModelPrice.of("3", "15"), ModelPrice.of("5", "25")};

  private ShowbackAtScale() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "generate" -> generate(Path.of(args[1]), Long.parseLong(args[2]));
      case "load-postgres" -> loadPostgres(Path.of(args[1]), args[2], args[3]);
      case "backfill-postgres" -> backfill(args[1], args[2]);
      case "drop-postgres" -> dropPostgres(args[1], args[2]);
      case "duckdb-formats" -> duckDbFormats(Path.of(args[1]));
      default -> throw new IllegalArgumentException("usage: generate FILE ROWS | load-postgres FILE URL TABLE"
          + " | backfill-postgres URL TABLE | drop-postgres URL TABLE | duckdb-formats FILE");
    }
  }

  static void generate(Path file, long rows) throws Exception {
    Random rnd = new Random(42);
    Instant start = Instant.parse("2026-10-01T00:00:00Z");
    long spanNanos = 60L * 86_400 * 1_000_000_000L;
    try (BufferedWriter out = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file),
        StandardCharsets.UTF_8), 1 << 20)) {
      long workflow = 0;
      int left = 0;
      String customer = null;
      String feature = null;
      int m = 0;
      for (long i = 0; i < rows; i++) {
        if (left == 0) {
          workflow++;
          left = 1 + (int) Math.min(199, -Math.log(1 - rnd.nextDouble()) * 4);
          customer = "cust-" + (int) Math.floor(Math.pow(rnd.nextDouble(), 3) * 2000);
          feature = FEATURES[rnd.nextInt(FEATURES.length)];
          m = rnd.nextInt(MODELS.length);
        }
        left--;
        boolean hit = rnd.nextInt(10) == 0;
        long in = 200 + rnd.nextInt(4000);
        Usage usage = hit ? Usage.ZERO : Usage.builder().inputTokens(in)
            .cachedInputTokens(rnd.nextInt(3) == 0 ? in / 2 : 0).outputTokens(50 + rnd.nextInt(800)).build();
        CallRecord r = CallRecord.builder()
            .timestamp(start.plusNanos(spanNanos / rows * i + rnd.nextInt(1000))).callId("c" + i)
            .attribution(Attribution.builder().customer(customer).feature(feature).workflow("wf-" + workflow)
                .user("u" + rnd.nextInt(5000)).team("team-" + (feature.length() % 4)).environment("prod").build())
            .taskType(feature).tier(TIERS[m]).model(MODELS[m]).usage(usage).costUsd(PRICES[m].cost(usage))
            .savedUsd(hit ? new BigDecimal("0.0004") : BigDecimal.ZERO).cacheStatus(hit ? "hit" : "miss")
            .routeReason("tier").attempts(1).latencyNanos(1_000_000L + rnd.nextInt(9_000_000))
            .outcome(CallRecord.OK).priceVersion("2026-11-01").build();
        out.write(LedgerJson.write(r));
        out.write('\n');
      }
    }
    System.out.printf("wrote %,d rows to %s (%,d MB)%n", rows, file, Files.size(file) >> 20);
  }

  /**
   * Loads the JSONL file into a ledger table made by {@link JdbcLedgerSink} (its schema and indexes), inside the
   * server: {@code COPY} reads the file (the server must run on this machine and be allowed to read it), then one
   * {@code INSERT ... SELECT} maps the JSON to the columns. Minutes for 10M rows, where batched inserts would take
   * much longer; the load is not what is measured.
   */
  static void loadPostgres(Path file, String url, String table) throws Exception {
    try (JdbcLedgerSink sink = JdbcLedgerSink.builder().url(url).table(table).build()) {
      sink.migrate();
    }
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS " + table + "_raw");
      st.execute("CREATE UNLOGGED TABLE " + table + "_raw (line jsonb)");
      // CSV with characters that never occur in a ledger line as quote and delimiter: each line is one value.
      st.execute("COPY " + table + "_raw FROM '" + file.toAbsolutePath() + "' WITH (FORMAT csv, QUOTE e'\\x01',"
          + " DELIMITER e'\\x02')");
      int n = st.executeUpdate("INSERT INTO " + table + " (call_id, ts, customer, feature, workflow, user_id, team,"
          + " environment, task_type, tier, model, input_tokens, cached_input_tokens, cache_write_tokens,"
          + " cache_write_1h_tokens, output_tokens, reasoning_tokens, estimated, cost_usd, saved_usd, cache_status,"
          + " route_reason, attempts, latency_ns, outcome, price_version)"
          + " SELECT line->>'call_id', (line->>'ts')::timestamptz, line->>'customer', line->>'feature',"
          + " line->>'workflow', line->>'user', line->>'team', line->>'environment', line->>'task_type',"
          + " line->>'tier', line->>'model', (line->>'input_tokens')::bigint, (line->>'cached_input_tokens')::bigint,"
          + " (line->>'cache_write_tokens')::bigint, (line->>'cache_write_1h_tokens')::bigint,"
          + " (line->>'output_tokens')::bigint, (line->>'reasoning_tokens')::bigint, (line->>'estimated')::boolean,"
          + " (line->>'cost_usd')::numeric, (line->>'saved_usd')::numeric, line->>'cache_status',"
          + " line->>'route_reason', (line->>'attempts')::int, (line->>'latency_ns')::bigint, line->>'outcome',"
          + " line->>'price_version' FROM " + table + "_raw");
      st.execute("DROP TABLE " + table + "_raw");
      // The rows went around the sink, so its summaries are empty: take the table back to schema version 1 (as
      // an older finops4j left it) and let the sink migrate it, which backfills the summaries from the rows.
      st.execute("DROP TABLE " + LedgerRollups.daily(table) + ", " + LedgerRollups.tokens(table) + ", "
          + LedgerRollups.workflows(table));
      st.execute("DELETE FROM " + table + "_version WHERE version >= 2");
      st.execute("VACUUM ANALYZE " + table);
      System.out.printf("loaded %,d rows into %s%n", n, table);
    }
    backfill(url, table);
  }

  /** Migrates a ledger table of schema version 1 to the current one (its summaries backfilled), timed. */
  static void backfill(String url, String table) throws Exception {
    long t = System.nanoTime();
    try (JdbcLedgerSink sink = JdbcLedgerSink.builder().url(url).table(table).build()) {
      sink.migrate();
    }
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
      for (String summary : new String[] {LedgerRollups.daily(table), LedgerRollups.tokens(table),
          LedgerRollups.workflows(table)}) {
        st.execute("VACUUM ANALYZE " + summary);
        try (ResultSet rs = st.executeQuery("SELECT count(*), pg_total_relation_size('" + summary + "') FROM "
            + summary)) {
          rs.next();
          System.out.printf("%s: %,d rows, %,d MB%n", summary, rs.getLong(1), rs.getLong(2) >> 20);
        }
      }
    }
    System.out.printf("migrated %s to schema version %d (summaries backfilled) in %.1f s%n", table,
        JdbcLedgerSink.SCHEMA_VERSION, (System.nanoTime() - t) / 1e9);
  }

  /**
   * Where DuckDB spends its time on a JSONL ledger, and what a Parquet copy of the same rows would change: times a
   * bare count (the parse), the per-workflow and the per-dimension aggregations over the JSONL file, with the
   * column schema the report uses, then the same over a Parquet copy (written next to the file, deleted after).
   * Twice each; the second round is the warm one. Needs DuckDB's driver on the class path (the CLI's jar has it).
   */
  static void duckDbFormats(Path file) throws Exception {
    Path parquet = Path.of(file + ".parquet");
    String json = "read_json('" + file.toAbsolutePath() + "', format = 'newline_delimited', columns = {"
        + "ts: 'TIMESTAMP_NS', customer: 'VARCHAR', feature: 'VARCHAR', workflow: 'VARCHAR', model: 'VARCHAR',"
        + " tier: 'VARCHAR', input_tokens: 'BIGINT', output_tokens: 'BIGINT', cost_usd: 'DECIMAL(18,9)',"
        + " saved_usd: 'DECIMAL(18,9)', cache_status: 'VARCHAR', outcome: 'VARCHAR'})";
    String[] queries = {"SELECT count(*) FROM %s",
        "SELECT count(*) FROM (SELECT workflow, count(*), sum(cost_usd), min(ts), max(ts), arg_min_null(customer, ts)"
            + " FROM %s GROUP BY workflow)",
        "SELECT count(*) FROM (SELECT CAST(ts AS DATE) AS d, customer, feature, model, tier, count(*), sum(cost_usd)"
            + " FROM %s GROUP BY GROUPING SETS ((d, customer), (d, feature), (d, model), (d, tier)))"};
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
      st.execute("SET memory_limit = '1GB'");
      long t = System.nanoTime();
      st.execute("COPY (SELECT * FROM " + json + ") TO '" + parquet.toAbsolutePath() + "' (FORMAT parquet)");
      System.out.printf("%6.2f s  write %s (%,d MB from %,d MB)%n", (System.nanoTime() - t) / 1e9, parquet,
          Files.size(parquet) >> 20, Files.size(file) >> 20);
      String pq = "read_parquet('" + parquet.toAbsolutePath() + "')";
      for (int round = 1; round <= 2; round++) {
        for (String[] source : new String[][] {{"JSONL", json}, {"Parquet", pq}}) {
          for (String q : queries) {
            t = System.nanoTime();
            try (ResultSet rs = st.executeQuery(String.format(q, source[1]))) {
              rs.next();
            }
            System.out.printf("%6.2f s  round %d, %s: %s%n", (System.nanoTime() - t) / 1e9, round, source[0],
                String.format(q, source[0]));
          }
        }
      }
    } finally {
      Files.deleteIfExists(parquet);
    }
  }

  static void dropPostgres(String url, String table) throws Exception {
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS " + table);
      for (String t : new String[] {table + "_version", table + "_raw", LedgerRollups.daily(table),
          LedgerRollups.tokens(table), LedgerRollups.workflows(table)}) {
        st.execute("DROP TABLE IF EXISTS " + t);
      }
    }
  }
}
