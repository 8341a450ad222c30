package io.finops4j.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.finops4j.api.ModelId;
import io.finops4j.api.ModelPrice;
import io.finops4j.api.spi.Pricing;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ForecastTest {

  private static final LocalDate AS_OF = LocalDate.parse("2026-11-28");

  @Test
  void monthEndIsActualsPlusRunRateAtCurrentPrices() {
    ForecastReport r = Forecast.run(TestLedger.records(), AS_OF, TestLedger.PRICES);
    assertThat(r.monthEnd()).isEqualTo(LocalDate.parse("2026-11-30"));
    ForecastReport.Line sr = r.line("support-reply");
    assertThat(sr.monthToDateUsd()).isEqualByComparingTo("6.825");
    assertThat(sr.windowRequests()).isEqualTo(210);
    assertThat(sr.requestsPerDay()).isEqualByComparingTo("30");
    assertThat(sr.inputTokensPerRequest()).isEqualByComparingTo("2000");
    assertThat(sr.costPerRequestUsd()).isEqualByComparingTo("0.0105");
    assertThat(sr.remainingDays()).isEqualTo(2);
    assertThat(sr.projectedMonthEndUsd()).isEqualByComparingTo("7.455");
    // 14 of the 70 window calls were cache hits (no tokens): 56 x 0.0006 over 7 days.
    assertThat(r.line("classification").projectedMonthEndUsd()).isEqualByComparingTo("0.11925");
    assertThat(r.line("agent").projectedMonthEndUsd()).isEqualByComparingTo("9.000");
    assertThat(r.total().projectedMonthEndUsd()).isEqualByComparingTo("16.57425");
  }

  @Test
  void currentPricesChangeTheProjectionNotTheActuals() {
    Map<ModelId, ModelPrice> cheaper = new HashMap<>(TestLedger.PRICES);
    cheaper.put(TestLedger.SONNET, ModelPrice.of("1.5", "7.5"));
    ForecastReport.Line sr = Forecast.run(TestLedger.records(), AS_OF, cheaper, 7).line("support-reply");
    assertThat(sr.monthToDateUsd()).isEqualByComparingTo("6.825");
    assertThat(sr.projectedMonthEndUsd()).isEqualByComparingTo("7.14");
  }

  @Test
  void takesAPricingAndNamesItsVersion() {
    Pricing pricing = new Pricing() {
      @Override
      public Optional<ModelPrice> find(ModelId model) {
        return Optional.ofNullable(TestLedger.PRICES.get(model));
      }

      @Override
      public ModelPrice price(ModelId model) {
        return find(model).orElseThrow();
      }

      @Override
      public String version() {
        return "2026-12-01";
      }
    };
    ForecastReport r = Forecast.run(TestLedger.records(), AS_OF, pricing);
    assertThat(r.total().projectedMonthEndUsd()).isEqualByComparingTo("16.57425");
    assertThat(r.notes()).anyMatch(n -> n.contains("(2026-12-01)"));
  }

  @Test
  void aYoungFeatureIsRatedOverItsOwnDays() {
    // agent started 2026-11-15: 200 calls over 2 days = 100 a day at 0.045, 14 days left.
    ForecastReport.Line agent = Forecast.run(TestLedger.records(), LocalDate.parse("2026-11-16"), TestLedger.PRICES, 7)
        .line("agent");
    assertThat(agent.requestsPerDay()).isEqualByComparingTo("100");
    assertThat(agent.projectedMonthEndUsd()).isEqualByComparingTo("72.000");
  }

  @Test
  void assumptionsSayWhichModelsHadNoPrice() {
    Map<ModelId, ModelPrice> partial = new HashMap<>(TestLedger.PRICES);
    partial.remove(TestLedger.MINI);
    ForecastReport r = Forecast.run(TestLedger.records(), AS_OF, partial, 7);
    assertThat(r.line("classification").projectedMonthEndUsd()).isEqualByComparingTo("0.11925");
    assertThat(r.notes()).anyMatch(n -> n.contains("No current price for openai/gpt-5-mini"));
    assertThat(r.toText()).contains("Run rate: requests per day and tokens per request over the 7 days ending 2026-11-28");
  }

  @Test
  void rejectsAnEmptyWindow() {
    assertThatThrownBy(() -> Forecast.run(TestLedger.records(), AS_OF, TestLedger.PRICES, 0))
        .hasMessageContaining("at least 1 day, got 0");
  }
}
