package io.finops4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.api.Attribution;
import io.finops4j.api.ModelId;
import io.finops4j.api.spi.CallRecord;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpendAggregatorTest {

  @Test
  void keepsAtMostMaxKeysPerDimensionAndCountsTheRestAsOther() {
    SpendAggregator spend = new SpendAggregator(2);
    spend.onCall(call("2026-11-24T01:00:00Z", "a", "0.10"));
    spend.onCall(call("2026-11-24T01:00:00Z", "b", "0.20"));
    spend.onCall(call("2026-11-24T01:00:00Z", "c", "0.30"));
    spend.onCall(call("2026-11-24T01:00:00Z", "d", "0.40"));
    spend.onCall(call("2026-11-24T01:00:00Z", "a", "0.05"));

    assertThat(spend.snapshot(10).get("byFeature")).isEqualTo(List.of(
        Map.of("name", "(other)", "calls", 2L, "costUsd", "0.7"),
        Map.of("name", "b", "calls", 1L, "costUsd", "0.2"),
        Map.of("name", "a", "calls", 2L, "costUsd", "0.15")));
    assertThat(spend.snapshot(1).get("byModel")).isEqualTo(List.of(
        Map.of("name", "openai/gpt-5-mini", "calls", 5L, "costUsd", "1.05")));
  }

  @Test
  void startsAfreshOnANewUtcDayAndIgnoresLateRecordsOfYesterday() {
    SpendAggregator spend = new SpendAggregator(10);
    spend.onCall(call("2026-11-24T23:59:59Z", "a", "1.00"));
    spend.onCall(call("2026-11-25T00:00:00Z", "a", "0.25"));
    spend.onCall(call("2026-11-24T23:59:59Z", "a", "9.00"));

    assertThat(spend.snapshot(10).get("date")).isEqualTo("2026-11-25");
    assertThat(spend.featureSpend("a")).isEqualByComparingTo("0.25");
  }

  private static CallRecord call(String at, String feature, String usd) {
    return CallRecord.builder().timestamp(Instant.parse(at)).callId("c").outcome(CallRecord.OK)
        .attribution(Attribution.of("acme", feature)).model(ModelId.parse("openai/gpt-5-mini"))
        .costUsd(new BigDecimal(usd)).build();
  }
}
