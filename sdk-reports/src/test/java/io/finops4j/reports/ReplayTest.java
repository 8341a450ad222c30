package io.finops4j.reports;

import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.api.ModelId;
import io.finops4j.api.ModelPrice;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplayTest {

  private final Period all = Period.of(TestLedger.START, TestLedger.END);

  @Test
  void substitutesAModelForOneFeature() {
    ReplayReport r = Replay.substitute(TestLedger.records(), all, "support-reply", TestLedger.HAIKU,
        TestLedger.PRICES.get(TestLedger.HAIKU));
    ReplayReport.Line sr = r.line("support-reply");
    // 650 calls x (2000 x 1 + 300 x 5) / 1M = 650 x 0.0035
    assertThat(sr.replayUsd()).isEqualByComparingTo("2.275");
    assertThat(sr.actualUsd()).isEqualByComparingTo("6.825");
    assertThat(sr.differenceUsd()).isEqualByComparingTo("-4.55");
    assertThat(sr.replayedCalls()).isEqualTo(650);
    assertThat(r.line("agent").differenceUsd()).isEqualByComparingTo("0");
    assertThat(r.total().differenceUsd()).isEqualByComparingTo("-4.55");
    assertThat(r.scenario()).isEqualTo("support-reply on anthropic/claude-haiku-4-5");
  }

  @Test
  void repricesUnderAnotherPriceListAndKeepsUnpricedCalls() {
    Map<ModelId, ModelPrice> list = new HashMap<>(TestLedger.PRICES);
    list.put(TestLedger.OPUS, ModelPrice.of("2.5", "12.5"));
    list.remove(TestLedger.MINI);
    ReplayReport r = Replay.reprice(TestLedger.records(), all, list);
    assertThat(r.line("agent").replayUsd()).isEqualByComparingTo("4.5");
    assertThat(r.line("classification").differenceUsd()).isEqualByComparingTo("0");
    assertThat(r.lines().get(0).feature()).isEqualTo("agent");
    assertThat(r.unpricedModels()).containsExactly("openai/gpt-5-mini");
    assertThat(r.total().differenceUsd()).isEqualByComparingTo("-4.5");
    assertThat(r.toCsv()).containsPattern("\nagent,200,200,9\\.0*,4\\.50*,-4\\.50*,-50\\.0\n");
  }
}
