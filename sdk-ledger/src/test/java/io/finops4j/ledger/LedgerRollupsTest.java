package io.finops4j.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.api.Attribution;
import io.finops4j.api.spi.CallRecord;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The PostgreSQL ledger's summaries hold exactly the sums of its rows: per batch, under two writers, backfilled. */
class LedgerRollupsTest {

  private final String table = TestRecords.uniqueTable();

  @AfterEach
  void drop() throws Exception {
    TestRecords.dropPg(table);
  }

  private JdbcLedgerSink sink() {
    return JdbcLedgerSink.builder().url(TestRecords.pgUrl()).table(table).build();
  }

  /** Rows {@code from} to {@code to - 1}, one customer, feature, model and tier, one day, ten workflows. */
  private static List<CallRecord> rows(String prefix, int from, int to) {
    List<CallRecord> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      CallRecord r = TestRecords.numbered(prefix, i);
      out.add(r.toBuilder().attribution(Attribution.builder().customer("acme").feature("chat")
          .workflow("wf-" + (i % 10)).build()).build());
    }
    return out;
  }

  /** One line per summary: the rollup's sums, then the same sums computed from the rows. */
  private String[] sums() throws Exception {
    String[] sql = {
        "SELECT count(*) || ' ' || sum(calls) || ' ' || sum(input_tokens) || ' ' || sum(output_tokens) || ' '"
            + " || sum(cost_usd) || ' ' || sum(saved_usd) || ' ' || sum(cache_hits) || ' ' || sum(cache_misses)"
            + " FROM " + LedgerRollups.daily(table),
        "SELECT count(*) || ' ' || sum(n) || ' ' || sum(in_t) || ' ' || sum(out_t) || ' ' || sum(cost) || ' '"
            + " || sum(saved) || ' ' || sum(hits) || ' ' || sum(misses) FROM (SELECT count(*) AS n,"
            + " sum(input_tokens) AS in_t, sum(output_tokens) AS out_t, sum(cost_usd) AS cost,"
            + " sum(saved_usd) AS saved, count(*) FILTER (WHERE cache_status = 'hit') AS hits,"
            + " count(*) FILTER (WHERE cache_status = 'miss') AS misses FROM " + table
            + " GROUP BY (ts AT TIME ZONE 'UTC')::date, customer, feature, model, tier) g",
        "SELECT count(*) || ' ' || sum(calls) || ' ' || sum(tokens * calls) FROM " + LedgerRollups.tokens(table),
        "SELECT count(DISTINCT (date_trunc('month', ts AT TIME ZONE 'UTC'), feature, input_tokens + output_tokens))"
            + " || ' ' || count(*) || ' ' || sum(input_tokens + output_tokens) FROM " + table
            + " WHERE " + LedgerRollups.TOKEN_ROWS,
        "SELECT count(*) || ' ' || sum(calls) || ' ' || sum(cost_usd) || ' ' || min(first_ts) || ' ' || max(last_ts)"
            + " FROM " + LedgerRollups.workflows(table),
        "SELECT count(DISTINCT workflow) || ' ' || count(*) || ' ' || sum(cost_usd) || ' ' || min(ts) || ' ' || max(ts)"
            + " FROM " + table + " WHERE workflow IS NOT NULL"};
    String[] out = new String[sql.length];
    try (Connection c = DriverManager.getConnection(TestRecords.pgUrl()); Statement st = c.createStatement()) {
      for (int i = 0; i < sql.length; i++) {
        try (ResultSet rs = st.executeQuery(sql[i])) {
          rs.next();
          out[i] = rs.getString(1);
        }
      }
    }
    return out;
  }

  private void assertRollupsEqualRows() throws Exception {
    String[] s = sums();
    assertThat(s[0]).as("daily").isEqualTo(s[1]);
    assertThat(s[2]).as("tokens").isEqualTo(s[3]);
    assertThat(s[4]).as("workflows").isEqualTo(s[5]);
  }

  @Test
  void eachBatchIsAddedToTheSummariesAndARetriedBatchOnlyOnce() throws Exception {
    try (JdbcLedgerSink sink = sink()) {
      sink.write(rows("a", 0, 500));
      sink.write(List.of(TestRecords.full("full-1"), TestRecords.sparse("sparse-1")));
      sink.write(rows("a", 250, 750)); // half of it a retry of rows already there
    }
    assertRollupsEqualRows();
    try (Connection c = DriverManager.getConnection(TestRecords.pgUrl()); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT calls, cost_usd FROM " + LedgerRollups.daily(table)
            + " WHERE customer = 'acme'")) {
      rs.next();
      BigDecimal expected = BigDecimal.ZERO;
      for (int i = 0; i < 750; i++) {
        expected = expected.add(TestRecords.cost(i));
      }
      assertThat(rs.getLong("calls")).isEqualTo(750);
      assertThat(rs.getBigDecimal("cost_usd")).isEqualByComparingTo(expected);
    }
  }

  @Test
  void twoInstancesWritingTheSameDayAndCustomerLoseNoCounts() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    CountDownLatch start = new CountDownLatch(1);
    try (JdbcLedgerSink one = sink(); JdbcLedgerSink two = sink()) {
      one.migrate();
      List<Future<?>> done = new ArrayList<>();
      for (JdbcLedgerSink s : List.of(one, two)) {
        String prefix = s == one ? "one" : "two";
        done.add(pool.submit((Callable<Void>) () -> {
          start.await();
          for (int b = 0; b < 40; b++) {
            s.write(rows(prefix, b * 50, b * 50 + 50));
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    assertRollupsEqualRows();
    try (Connection c = DriverManager.getConnection(TestRecords.pgUrl()); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT sum(calls) FROM " + LedgerRollups.workflows(table))) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(4_000);
    }
  }

  @Test
  void aTableMadeBeforeTheSummariesIsBackfilledOnceOnMigration() throws Exception {
    try (JdbcLedgerSink sink = sink()) {
      sink.write(rows("old", 0, 300));
      sink.write(List.of(TestRecords.full("full-1"), TestRecords.sparse("sparse-1")));
    }
    // Back to schema version 1, as an older finops4j left it: no summaries.
    try (Connection c = DriverManager.getConnection(TestRecords.pgUrl()); Statement st = c.createStatement()) {
      st.execute("DROP TABLE " + LedgerRollups.daily(table) + ", " + LedgerRollups.tokens(table) + ", "
          + LedgerRollups.workflows(table));
      st.execute("DELETE FROM " + table + "_version WHERE version = 2");
      assertThat(LedgerRollups.present(c, table)).isFalse();
    }
    try (JdbcLedgerSink sink = sink()) {
      sink.write(rows("new", 0, 100));
    }
    assertRollupsEqualRows();
    try (Connection c = DriverManager.getConnection(TestRecords.pgUrl()); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT sum(calls) FROM " + LedgerRollups.daily(table))) {
      assertThat(LedgerRollups.present(c, table)).isTrue();
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(402);
    }
  }
}
