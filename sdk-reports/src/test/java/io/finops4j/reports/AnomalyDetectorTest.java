package io.finops4j.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnomalyDetectorTest {

  private final AnomalyDetector detector = AnomalyDetector.builder().sessionCostUsd(new BigDecimal("5")).build();

  @Test
  void findsExactlyTheAnomaliesBuiltIntoTheLedger() {
    AnomalyReport r = detector.detect(TestLedger.records(), Period.all());
    assertThat(r.anomalies()).extracting(a -> a.kind() + " " + a.firstDay() + " " + a.feature() + " " + a.customer()
        + " " + a.workflow()).containsExactly(
            "COSTLY_SESSION 2026-11-15 agent acme wf-runaway",
            "DAILY_COST_SPIKE 2026-11-20 support-reply null null",
            "CUSTOMER_FEATURE_WOW 2026-11-20 support-reply acme null",
            "DAILY_COST_SPIKE 2026-11-22 classification null null",
            "PROMPT_GROWTH 2026-11-22 classification null null");
  }

  @Test
  void eachAnomalyCarriesFigureAndBaseline() {
    AnomalyReport r = detector.detect(TestLedger.records(), Period.all());
    Anomaly spike = r.of(Anomaly.Kind.DAILY_COST_SPIKE).get(0);
    assertThat(spike.figure()).isEqualByComparingTo("0.315");   // 30 calls x 0.0105
    assertThat(spike.baseline()).isEqualByComparingTo("0.21");  // 20 calls x 0.0105
    Anomaly wow = r.of(Anomaly.Kind.CUSTOMER_FEATURE_WOW).get(0);
    assertThat(wow.figure()).isEqualByComparingTo("1.47");
    assertThat(wow.baseline()).isEqualByComparingTo("0.735");
    Anomaly prompt = r.of(Anomaly.Kind.PROMPT_GROWTH).get(0);
    assertThat(prompt.figure()).isEqualByComparingTo("1600");
    assertThat(prompt.baseline()).isEqualByComparingTo("1000");
    Anomaly session = r.of(Anomaly.Kind.COSTLY_SESSION).get(0);
    assertThat(session.figure()).isEqualByComparingTo("9.000");
    assertThat(session.baseline()).isEqualByComparingTo("5");
  }

  @Test
  void historyBeforeThePeriodIsUsedButOnlyAnomaliesInsideItAreReported() {
    AnomalyReport r = detector.detect(TestLedger.records(), Period.of(LocalDate.parse("2026-11-18"), null));
    assertThat(r.of(Anomaly.Kind.COSTLY_SESSION)).isEmpty();
    assertThat(r.of(Anomaly.Kind.DAILY_COST_SPIKE)).extracting(Anomaly::feature)
        .containsExactly("support-reply", "classification");
  }

  @Test
  void aHigherThresholdSilencesTheSmallerSpike() {
    // support-reply's spike is z = (0.315 - 0.21) / (5% of 0.21) = 10; classification's is about 6.5.
    AnomalyReport r = AnomalyDetector.builder().zThreshold(8).build().detect(TestLedger.records(), Period.all());
    assertThat(r.of(Anomaly.Kind.DAILY_COST_SPIKE)).extracting(Anomaly::feature).containsExactly("support-reply");
    assertThat(r.of(Anomaly.Kind.COSTLY_SESSION)).isEmpty(); // 9.000 is under the default 10 USD
  }

  @Test
  void renderedTableNamesTheAnomalies() {
    String text = detector.detect(TestLedger.records(), Period.all()).toText();
    assertThat(text).contains("CUSTOMER_FEATURE_WOW").contains("2026-11-20").contains("wf-runaway");
  }

  @Test
  void invalidSettingsAreRejectedWithTheirValue() {
    assertThatThrownBy(() -> AnomalyDetector.builder().wowFactor(BigDecimal.ONE))
        .hasMessageContaining("above 1, got 1");
    assertThatThrownBy(() -> AnomalyDetector.builder().minHistoryDays(30).build())
        .hasMessageContaining("minimum history (30 days) exceeds history (28 days)");
  }

  @Test
  void emptyLedgerHasNoAnomalies() {
    assertThat(detector.detect(List.of(), Period.all()).anomalies()).isEmpty();
  }
}
