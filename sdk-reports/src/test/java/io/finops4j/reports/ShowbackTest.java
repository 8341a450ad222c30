package io.finops4j.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class ShowbackTest {

  private final ShowbackReport r = Showback.run(TestLedger.records(), Period.of(TestLedger.START, TestLedger.END));

  @Test
  void totalsAreExact() {
    // support-reply 650 x 0.0105; classification misses 21d x 8 x 0.00045 + 7d x 8 x 0.0006 + tiny 0.00045;
    // agent 200 x 0.045.
    assertThat(r.totals().costUsd()).isEqualByComparingTo("15.93465");
    assertThat(r.totals().calls()).isEqualTo(650 + 280 + 1 + 200);
    assertThat(r.totals().savedUsd()).isEqualByComparingTo("0.0273");
  }

  @Test
  void byCustomerIncludesTheLongTail() {
    assertThat(r.line("customer", "tiny-co").costUsd()).isEqualByComparingTo("0.00045");
    assertThat(r.line("customer", "tiny-co").calls()).isEqualTo(1);
    assertThat(r.line("customer", "globex").costUsd()).isEqualByComparingTo("2.94");
    assertThat(r.byDimension().get("customer")).extracting(ShowbackReport.Line::key)
        .containsExactly("acme", "globex", "tiny-co");
  }

  @Test
  void weekOverWeekComparesTheLastSevenDaysWithTheSevenBefore() {
    ShowbackReport.Line sr = r.line("feature", "support-reply");
    // Nov 22..28: (20 + 10) x 7 calls; Nov 15..21: acme 10 x 5 + 20 x 2, globex 70.
    assertThat(sr.last7dUsd()).isEqualByComparingTo(new BigDecimal("0.0105").multiply(BigDecimal.valueOf(210)));
    assertThat(sr.prev7dUsd()).isEqualByComparingTo(new BigDecimal("0.0105").multiply(BigDecimal.valueOf(160)));
    assertThat(sr.wowChangePct()).isEqualTo(31.25);
    assertThat(r.line("feature", "agent").wowChangePct()).isEqualTo(-100.0);
  }

  @Test
  void byModelAndTier() {
    assertThat(r.line("model", "anthropic/claude-opus-4-7").costUsd()).isEqualByComparingTo("9.000");
    assertThat(r.line("tier", "medium").calls()).isEqualTo(650);
  }

  @Test
  void topWorkflowsStartWithTheRunaway() {
    assertThat(r.topWorkflows()).hasSize(20);
    assertThat(r.topWorkflows().get(0).workflow()).isEqualTo("wf-runaway");
    assertThat(r.topWorkflows().get(0).calls()).isEqualTo(200);
    assertThat(r.topWorkflows().get(0).costUsd()).isEqualByComparingTo("9.000");
  }

  @Test
  void tierMixSharesOfCallsAndCost() {
    ShowbackReport.TierShare large = r.tierMix().get(0);
    assertThat(large.tier()).isEqualTo("large");
    assertThat(large.callSharePct()).isCloseTo(100.0 * 200 / 1131, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(large.costSharePct()).isCloseTo(100.0 * 9 / 15.93465, org.assertj.core.data.Offset.offset(1e-4));
    assertThat(r.tierMix()).extracting(ShowbackReport.TierShare::tier).containsExactly("large", "medium", "small");
  }

  @Test
  void tokensPerRequestPercentilesPerFeature() {
    ShowbackReport.TokenPercentiles cl = r.tokensPerRequest().stream()
        .filter(p -> p.feature().equals("classification")).findFirst().orElseThrow();
    // 168 + 1 uncached calls at 1100 tokens, 56 at 1700: p50 1100, p95 and p99 1700; hits excluded.
    assertThat(cl.requests()).isEqualTo(225);
    assertThat(cl.p50()).isEqualTo(1100);
    assertThat(cl.p95()).isEqualTo(1700);
    assertThat(cl.p99()).isEqualTo(1700);
  }

  @Test
  void cacheHitRatioAndSavings() {
    assertThat(r.cache().hits()).isEqualTo(56);
    assertThat(r.cache().misses()).isEqualTo(1131 - 56);
    assertThat(r.cache().hitRatioPct()).isCloseTo(100.0 * 56 / 1131, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(r.cache().savedUsd()).isEqualByComparingTo("0.0273");
  }

  @Test
  void loopLengthTailHoldsOnlyTheRunaway() {
    // 281 one-call workflows (classification), 325 two-call (support-reply), one of 200.
    assertThat(r.loopLength().workflows()).isEqualTo(607);
    assertThat(r.loopLength().p50()).isEqualTo(2);
    assertThat(r.loopLength().p99()).isEqualTo(2);
    assertThat(r.loopLength().tail()).extracting(ShowbackReport.WorkflowLine::workflow).containsExactly("wf-runaway");
  }

  @Test
  void periodFiltersRows() {
    ShowbackReport oneDay = Showback.run(TestLedger.records(), Period.of(TestLedger.RUNAWAY_DAY,
        TestLedger.RUNAWAY_DAY));
    assertThat(oneDay.totals().calls()).isEqualTo(10 + 10 + 10 + 200);
    assertThat(oneDay.dailyCostByFeature()).containsOnlyKeys(TestLedger.RUNAWAY_DAY);
  }

  @Test
  void rendersTextCsvAndJson() throws Exception {
    assertThat(r.toText()).contains("By customer").contains("tiny-co").contains("wf-runaway");
    assertThat(r.toCsv()).contains("# Totals\ncalls,input_tokens,output_tokens,cost_usd,saved_usd\n1131,");
    assertThat(Render.JSON.readTree(r.toJson()).at("/tables/Totals/0/cost_usd").decimalValue())
        .isEqualByComparingTo("15.93465");
  }
}
