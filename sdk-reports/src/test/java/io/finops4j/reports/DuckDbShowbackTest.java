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
