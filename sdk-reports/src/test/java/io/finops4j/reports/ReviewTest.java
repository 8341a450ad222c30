package io.finops4j.reports;

import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.api.Attribution;
import io.finops4j.api.Usage;
import io.finops4j.api.spi.CallRecord;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The refusals report and the one-page review a FinOps meeting reads. */
class ReviewTest {

  private static CallRecord refused(String day, String customer, String feature, String outcome) {
    return CallRecord.builder().timestamp(Instant.parse(day + "T10:00:00Z")).callId("r-" + day + customer + feature)
        .attribution(Attribution.builder().customer(customer).feature(feature).build()).taskType(feature)
        .usage(Usage.ZERO).costUsd(BigDecimal.ZERO).savedUsd(BigDecimal.ZERO).cacheStatus("off").attempts(0)
        .outcome(outcome).priceVersion("2026-11-01").build();
  }

  private static List<CallRecord> ledger() {
    List<CallRecord> all = new ArrayList<>(TestLedger.records());
    all.add(refused("2026-11-20", "globex", "support-reply", CallRecord.REJECTED_BUDGET));
    all.add(refused("2026-11-20", "globex", "support-reply", CallRecord.REJECTED_BUDGET));
    all.add(refused("2026-11-21", "globex", "code-assistant", CallRecord.REJECTED_BUDGET));
    all.add(refused("2026-11-21", "umbrella", "code-assistant", CallRecord.REJECTED_CAP));
    all.add(refused("2026-12-02", "acme", "support-reply", CallRecord.REJECTED_BUDGET)); // outside the period
    return all;
  }

  @Test
  void refusalsAreCountedPerDayAndPerCustomerAndFeature() {
    Rejections.RejectionReport r = Rejections.run(ledger(), Period.of(TestLedger.START, TestLedger.END));
    assertThat(r.byBudgets()).isEqualTo(3);
    assertThat(r.byCaps()).isEqualTo(1);
    assertThat(r.byDay().get(LocalDate.parse("2026-11-20"))).containsExactly(2, 0);
    assertThat(r.byDay().get(LocalDate.parse("2026-11-21"))).containsExactly(1, 1);
    assertThat(r.byCustomerAndFeature()).containsEntry(List.of("globex", "support-reply", "rejected_budget"), 2L)
        .containsEntry(List.of("umbrella", "code-assistant", "rejected_cap"), 1L).hasSize(3);
    assertThat(r.toText()).contains("3 calls refused by budgets and 1 by cost or workflow caps");
  }

  @Test
  void theReviewPageHasTheShowbackChartsAndEverySection() {
    List<CallRecord> ledger = ledger();
    Period month = Period.of(TestLedger.START, TestLedger.END);
    String html = Review.page(Showback.run(ledger, month), Rejections.run(ledger, month),
        AnomalyDetector.defaults().detect(ledger, month), Forecast.run(ledger, TestLedger.END, Map.of()));
    assertThat(html).startsWith("<!DOCTYPE html>").contains("<title>finops4j review 2026-11-01..2026-11-28</title>")
        .contains("Cost per day by feature").contains("<svg")
        .contains("Refused calls per day").contains("Refused calls by customer and feature")
        .contains("finops4j anomalies").contains("DAILY_COST_SPIKE")
        .contains("finops4j forecast").doesNotContain("<script");
  }

  @Test
  void anomaliesAreMarkedOnTheDailyTimelineAndTheForecastIsCharted() {
    List<CallRecord> ledger = ledger();
    Period month = Period.of(TestLedger.START, TestLedger.END);
    AnomalyReport anomalies = AnomalyDetector.defaults().detect(ledger, month);
    ForecastReport forecast = Forecast.run(ledger, TestLedger.END, Map.of());
    String html = Review.page(Showback.run(ledger, month), anomalies, forecast);
    // one numbered marker per anomaly, on the day it began (acme doubling support-reply on Nov 20 among them)
    assertThat(Pattern.compile("<g class=\"anomaly\">").matcher(html).results().count())
        .isEqualTo(anomalies.anomalies().size()).isPositive();
    assertThat(html).contains("<ol class=\"anomalies\">").contains("<b>2026-11-20</b> daily cost spike, support-reply: z = 10.0");
    assertThat(html).contains("<h2>Month-end forecast</h2>").contains("class=\"projection\"")
        .contains(Html.money(forecast.total().projectedMonthEndUsd()) + " by 2026-11-30");
  }
}
