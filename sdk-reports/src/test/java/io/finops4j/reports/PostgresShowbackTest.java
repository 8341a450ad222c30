package io.finops4j.reports;

import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.api.spi.CallRecord;
import io.finops4j.ledger.JdbcLedgerReader;
import io.finops4j.ledger.JdbcLedgerSink;
import io.finops4j.ledger.testing.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Showback aggregated by PostgreSQL equals the row-by-row showback of the same table, to the nano-USD. */
class PostgresShowbackTest {

  private static final String URL = TestPostgres.url();
  private static final Period NOVEMBER = Period.of(LocalDate.parse("2026-11-01"), LocalDate.parse("2026-11-30"));

  private final String table = "showback_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

  @BeforeEach
  void fill() throws Exception {
    try (JdbcLedgerSink sink = JdbcLedgerSink.builder().url(URL).table(table).build()) {
      sink.write(TestLedger.records());
      sink.write(TestLedger.mixed(20_000, 7));
    }
  }

  @AfterEach
  void drop() throws Exception {
    TestPostgres.dropLedger(table);
  }

  /** The row-by-row showback of every row in the table. */
  private ShowbackReport rowByRow(Period period, int top) throws Exception {
    try (Stream<CallRecord> rows = JdbcLedgerReader.stream(URL, table, null, null)) {
      return Showback.run(rows::iterator, period, top);
    }
  }

  @Test
  void sqlShowbackEqualsRowByRowShowback() throws Exception {
    for (Period period : List.of(NOVEMBER, Period.all(), Period.of(null, LocalDate.parse("2026-11-10")),
        Period.of(LocalDate.parse("2026-11-20"), null))) {
      try (Connection c = DriverManager.getConnection(URL)) {
        SameShowback.assertSame(SqlShowback.postgres(c, table, period, 15), rowByRow(period, 15));
      }
    }
  }

  @Test
  void theSummariesGiveTheSameShowbackAsTheRowsToTheNanoDollar() throws Exception {
    // Whole months, open ends, and periods that start or end inside a month (the token summary is per month, the
    // workflow summary per workflow: workflows straddling an end are summed from their rows).
    for (Period period : List.of(NOVEMBER, Period.all(), Period.of(null, LocalDate.parse("2026-11-10")),
        Period.of(LocalDate.parse("2026-11-20"), null), Period.of(LocalDate.parse("2026-10-25"),
            LocalDate.parse("2026-11-17")), Period.of(LocalDate.parse("2026-11-03"), LocalDate.parse("2026-11-03")),
        Period.of(LocalDate.parse("2026-10-01"), LocalDate.parse("2026-10-31")))) {
      try (Connection c = DriverManager.getConnection(URL)) {
        ShowbackReport summaries = SqlShowback.postgres(c, table, period, 15, true);
        SameShowback.assertSame(summaries, SqlShowback.postgres(c, table, period, 15, false));
      }
    }
  }

  @Test
  void workflowsTiedAtTheCutAreListedAsOnTheRowByRowPath() throws Exception {
    // Many workflows share a length and some a cost: a cut of 1 or 3 falls inside a tie, broken by id on every path.
    for (int top : new int[] {1, 3}) {
      try (Connection c = DriverManager.getConnection(URL)) {
        SameShowback.assertSame(SqlShowback.postgres(c, table, NOVEMBER, top), rowByRow(NOVEMBER, top));
      }
    }
  }

  @Test
  void ofJdbcAggregatesInPostgresAndNamesWhoEachListedWorkflowBelongsTo() throws Exception {
    ShowbackReport r = Showback.ofJdbc(URL, table, Period.of(TestLedger.START, TestLedger.END), 5);
    SameShowback.assertSame(r, rowByRow(Period.of(TestLedger.START, TestLedger.END), 5));
    ShowbackReport.WorkflowLine runaway = r.topWorkflows().get(0);
    assertThat(runaway.workflow()).isEqualTo("wf-runaway");
    assertThat(runaway.customer()).isEqualTo("acme");
    assertThat(runaway.feature()).isEqualTo("agent");
    assertThat(runaway.calls()).isEqualTo(200);
  }
}
