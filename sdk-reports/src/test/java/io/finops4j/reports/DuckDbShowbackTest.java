package io.finops4j.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.finops4j.api.spi.CallRecord;
import io.finops4j.ledger.LedgerJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Showback of a JSONL ledger by DuckDB equals the row-by-row showback of the same rows, to the nano-USD. */
class DuckDbShowbackTest {

  private static final Period NOVEMBER = Period.of(LocalDate.parse("2026-11-01"), LocalDate.parse("2026-11-30"));

  @TempDir Path dir;

  private Path write(String name, List<CallRecord> rows) throws Exception {
    return Files.write(dir.resolve(name), rows.stream().map(LedgerJson::write).toList());
  }

  @Test
  void duckDbIsOnTheClassPath() {
    assertThat(SqlShowback.duckDbAvailable()).isTrue();
  }

  @Test
  void theKnownLedgerGivesTheSameReport() throws Exception {
    Path file = write("ledger.jsonl", TestLedger.records());
    Period period = Period.of(TestLedger.START, TestLedger.END);
    ShowbackReport sql = SqlShowback.duckDb(List.of(file), period, Showback.DEFAULT_TOP);
    SameShowback.assertSame(sql, Showback.run(TestLedger.records(), period));
    assertThat(sql.totals().costUsd()).isEqualByComparingTo("15.93465");
    assertThat(sql.topWorkflows().get(0).workflow()).isEqualTo("wf-runaway");
  }

  @Test
  void aMixedLedgerGivesTheSameReportForAMonthAndForEverything() throws Exception {
    List<CallRecord> rows = TestLedger.mixed(20_000, 7);
    Path file = write("ledger.jsonl", rows);
    SameShowback.assertSame(SqlShowback.duckDb(List.of(file), NOVEMBER, 15), Showback.run(rows, NOVEMBER, 15));
    SameShowback.assertSame(SqlShowback.duckDb(List.of(file), Period.all(), 15), Showback.run(rows, Period.all(), 15));
    Period openStart = Period.of(null, LocalDate.parse("2026-11-10"));
    SameShowback.assertSame(SqlShowback.duckDb(List.of(file), openStart, 15), Showback.run(rows, openStart, 15));
  }

  @Test
  void aRotatedLedgerIsReadAcrossItsFiles() throws Exception {
    List<CallRecord> rows = TestLedger.mixed(3_000, 11);
    List<CallRecord> early = new ArrayList<>(rows.subList(0, 1_500));
    write("ledger-2026-11-01.jsonl", early);
    write("ledger-2026-11-02.jsonl", rows.subList(1_500, rows.size()));
    SameShowback.assertSame(Showback.ofJsonl(dir.resolve("ledger.jsonl"), NOVEMBER, 10, null),
        Showback.run(rows, NOVEMBER, 10));
  }

  @Test
  void compactedParquetAndTheRemainingJsonlGiveTheSameReportAsAllJsonl() throws Exception {
    List<CallRecord> rows = TestLedger.mixed(6_000, 13);
    Path oct = write("ledger-2026-10-31.jsonl", rows.subList(0, 2_000));
    Path nov1 = write("ledger-2026-11-01.jsonl", rows.subList(2_000, 4_000));
    write("ledger-2026-11-02.jsonl", rows.subList(4_000, rows.size()));
    write("ledger-spill.jsonl", rows.subList(0, 10)); // the writer's: on their way into the ledger, not read
    ShowbackReport allJsonl = Showback.ofJsonl(dir.resolve("ledger.jsonl"), NOVEMBER, 10, null);
    SameShowback.assertSame(allJsonl, Showback.run(rows, NOVEMBER, 10));

    List<Path> parquet = LedgerCompaction.compact(List.of(oct), dir, false);
    assertThat(parquet).containsExactly(dir.resolve("ledger-2026-10-31.parquet"));
    assertThat(oct).doesNotExist();
    LedgerCompaction.compact(List.of(nov1), dir, true); // kept: its Parquet twin is read, the JSONL file skipped
    assertThat(nov1).exists();
    assertThat(FileLedger.of(dir)).isEqualTo(new FileLedger(List.of(dir.resolve("ledger-2026-11-02.jsonl")),
        List.of(dir.resolve("ledger-2026-10-31.parquet"), dir.resolve("ledger-2026-11-01.parquet"))));

    for (Period period : List.of(NOVEMBER, Period.all(), Period.of(null, LocalDate.parse("2026-11-10")))) {
      ShowbackReport expected = Showback.run(rows, period, 10);
      SameShowback.assertSame(Showback.ofJsonl(dir, period, 10, null), expected);
      SameShowback.assertSame(Showback.ofJsonl(dir.resolve("ledger.jsonl"), period, 10, null), expected);
    }
    assertThat(Showback.ofJsonl(dir, Period.all(), 10, null).totals().costUsd())
        .isEqualByComparingTo(rows.stream().map(CallRecord::costUsd).reduce(java.math.BigDecimal.ZERO,
            java.math.BigDecimal::add));
  }

  @Test
  void compactionKeepsEveryColumn() throws Exception {
    List<CallRecord> rows = TestLedger.records();
    Path file = write("ledger-2026-11-01.jsonl", rows);
    Path parquet = LedgerCompaction.compact(List.of(file), dir, true).get(0);
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:");
        java.sql.Statement st = c.createStatement();
        java.sql.ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT call_id), sum(cost_usd),"
            + " sum(latency_ns), count(tags), string_agg(DISTINCT price_version, ',') FROM read_parquet("
            + FileLedger.literal(parquet) + ")")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(rows.size());
      assertThat(rs.getLong(2)).isEqualTo(rows.stream().map(CallRecord::callId).distinct().count());
      assertThat(rs.getBigDecimal(3)).isEqualByComparingTo(rows.stream().map(CallRecord::costUsd)
          .reduce(java.math.BigDecimal.ZERO, java.math.BigDecimal::add));
      assertThat(rs.getLong(4)).isEqualTo(rows.stream().mapToLong(CallRecord::latencyNanos).sum());
      assertThat(rs.getLong(5)).isEqualTo(rows.stream().filter(r -> !r.attribution().tags().isEmpty()).count());
      assertThat(rs.getString(6)).isEqualTo(rows.stream().map(CallRecord::priceVersion).filter(v -> v != null)
          .distinct().sorted().reduce((a, b) -> a + "," + b).orElse(null));
    }
  }

  @Test
  void aFileDuckDbCannotReadIsNamedAndNotCompacted() throws Exception {
    Path file = write("ledger-2026-11-01.jsonl", TestLedger.mixed(10, 1));
    Files.writeString(file, "not json\n", java.nio.file.StandardOpenOption.APPEND);
    assertThatThrownBy(() -> LedgerCompaction.compact(List.of(file), dir, false))
        .hasMessageContaining("cannot compact ledger file " + file);
    assertThat(file).exists();
    assertThat(dir.resolve("ledger-2026-11-01.parquet")).doesNotExist();
    assertThat(dir.resolve("ledger-2026-11-01.parquet.tmp")).doesNotExist();
  }

  @Test
  void aTornLastRowFallsBackToTheRowReaderWhichSkipsAndNamesIt() throws Exception {
    List<CallRecord> rows = TestLedger.mixed(2_000, 3);
    Path file = write("ledger.jsonl", rows);
    Files.writeString(file, "{\"ts\":\"2026-11-30T23:59:59Z\",\"call_id\":\"cut-",
        java.nio.file.StandardOpenOption.APPEND);
    List<String> torn = new ArrayList<>();
    SameShowback.assertSame(Showback.ofJsonl(file, NOVEMBER, 10, torn::add), Showback.run(rows, NOVEMBER, 10));
    assertThat(torn).singleElement().asString().contains("ledger.jsonl", "2001");
  }

  @Test
  void aBadLineIsNamedByTheRowReader() throws Exception {
    Path file = write("ledger.jsonl", TestLedger.mixed(100, 5));
    Files.writeString(file, "not json\n" + Files.readString(file));
    assertThatThrownBy(() -> Showback.ofJsonl(file, NOVEMBER, 10, null))
        .isInstanceOf(LedgerFormatException.class).hasMessageContaining("ledger.jsonl:1: not a ledger row");
  }
}
