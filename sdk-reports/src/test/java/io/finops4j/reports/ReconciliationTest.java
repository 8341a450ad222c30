package io.finops4j.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReconciliationTest {

  static final String EXPORT = """
      date,model,input_tokens,output_tokens,cost
      2026-11-14,gpt-5-mini-2025-08-07,8000,800,0.0036
      2026-11-14,gpt-4o,1000,100,0.50
      2026-11-14,anthropic/claude-sonnet-4-6,40000,6000,0.30
      2026-11-15,gpt-5-mini,8000,800,0.0036
      2026-11-15,anthropic/claude-sonnet-4-6,40000,6000,0.21
      """;

  @Test
  void flagsDriftUntrackedSpendAndLedgerOnlyLines() throws Exception {
    List<UsageExport.Row> rows = UsageExport.forProvider("openai").read(new StringReader(EXPORT), "export.csv");
    ReconciliationReport r = Reconciliation.run(TestLedger.records(), rows, Period.all());
    assertThat(r.period()).isEqualTo(Period.of(LocalDate.parse("2026-11-14"), LocalDate.parse("2026-11-15")));
    assertThat(r.lines()).extracting(l -> l.day() + " " + l.model() + " " + l.status()).containsExactly(
        "2026-11-14 anthropic/claude-sonnet-4-6 DRIFT",
        "2026-11-14 openai/gpt-4o UNTRACKED",
        "2026-11-14 openai/gpt-5-mini OK",
        "2026-11-15 anthropic/claude-opus-4-7 LEDGER_ONLY",
        "2026-11-15 anthropic/claude-sonnet-4-6 OK",
        "2026-11-15 openai/gpt-5-mini OK");
    assertThat(r.untrackedUsd()).isEqualByComparingTo("0.50");
    assertThat(r.lines().get(0).differenceUsd()).isEqualByComparingTo("0.09");
    assertThat(r.lines().get(0).driftPct()).isEqualTo(30.0);
    assertThat(r.ledgerUsd()).isEqualByComparingTo("9.4272"); // 0.21 + 0.0036 + 9.0 + 0.21 + 0.0036
  }

  @Test
  void toleranceDecidesDrift() throws Exception {
    List<UsageExport.Row> rows = UsageExport.forProvider("openai").read(new StringReader(EXPORT), "export.csv");
    ReconciliationReport r = Reconciliation.run(TestLedger.records(), rows, Period.all(),
        new java.math.BigDecimal("40"), new java.math.BigDecimal("0.01"));
    assertThat(r.lines().get(0).status()).isEqualTo(ReconciliationReport.Status.OK);
  }

  @Test
  void readsOpenAiStyleHeadersUnixSecondsQuotedAmountsAndMappedColumns() throws Exception {
    String csv = "Start Time,Model ID,n_context_tokens_total,n_generated_tokens_total,Amount\n"
        + "1794614400,gpt-5-mini,\"1,000\",100,\"$1,234.50\"\n";
    UsageExport.Row row = UsageExport.forProvider("openai").column("cost", "Amount")
        .read(new StringReader(csv), "x.csv").get(0);
    assertThat(row.day()).isEqualTo(LocalDate.parse("2026-11-14"));
    assertThat(row.model().qualified()).isEqualTo("openai/gpt-5-mini");
    assertThat(row.inputTokens()).isEqualTo(1000);
    assertThat(row.costUsd()).isEqualByComparingTo("1234.50");
  }

  @Test
  void missingColumnsAndBadCellsNameTheFileAndLine() {
    assertThatThrownBy(() -> UsageExport.forProvider("openai").read(new StringReader("day,model\n"), "x.csv"))
        .isInstanceOf(LedgerFormatException.class)
        .hasMessageContaining("x.csv: no cost column").hasMessageContaining("--column cost=HEADER");
    assertThatThrownBy(() -> UsageExport.forProvider("openai")
        .read(new StringReader("date,model,cost\n2026-11-14,m,1\n2026-13-01,m,1\n"), "x.csv"))
        .hasMessageContaining("x.csv line 3: date '2026-13-01'");
  }
}
