package io.finops4j.ledger;

import io.finops4j.api.Attribution;
import io.finops4j.api.ModelId;
import io.finops4j.api.Usage;
import io.finops4j.api.spi.CallRecord;
import io.finops4j.ledger.testing.TestPostgres;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Ledger rows for tests, and the PostgreSQL the tests use. */
final class TestRecords {

  /** The tests' PostgreSQL: configured, running on 127.0.0.1:5432, or embedded (see {@link TestPostgres}). */
  static String pgUrl() {
    return TestPostgres.url();
  }

  private TestRecords() {}

  /** Every field set, with awkward values: a 1 nano-USD cost, 11 integer digits, unicode, quotes in tags. */
  static CallRecord full(String callId) {
    return CallRecord.builder()
        .timestamp(Instant.parse("2026-11-24T10:15:30.123456Z"))
        .callId(callId)
        .attribution(Attribution.builder().customer("acme \"corp\"").feature("support-reply").workflow("run-42")
            .user("u-7").team("growth").environment("prod").tag("region", "eu-west-1").tag("plan", "pro ✓")
            .build())
        .taskType("classification").tier("small").model(ModelId.parse("together/meta-llama/Llama-3.3-70B"))
        .usage(Usage.builder().inputTokens(1200).cachedInputTokens(800).cacheWriteTokens(300)
            .cacheWrite1hTokens(100).outputTokens(450).reasoningTokens(200).estimated(true)
            .raw(Map.of("prompt_tokens", 1200L, "cached_tokens", 800L)).build())
        .costUsd(new BigDecimal("12345678901.123456789")).savedUsd(new BigDecimal("0.000000001"))
        .cacheStatus("miss").routeReason("budget-downgrade").attempts(3).latencyNanos(987_654_321L)
        .outcome(CallRecord.ERROR).errorType("ProviderException").priceVersion("2026-11-01")
        .build();
  }

  /**
   * OpenAI's chat usage as its API reference shows it: most detail counts are 0 on most calls. Its fields that are
   * not 0: prompt_tokens 19, completion_tokens 10, total_tokens 29, service_tier=default 1.
   */
  static Usage openAiUsage() {
    return Usage.builder().inputTokens(19).outputTokens(10)
        .raw("prompt_tokens", 19).raw("completion_tokens", 10).raw("total_tokens", 29)
        .raw("prompt_tokens_details.cached_tokens", 0).raw("prompt_tokens_details.audio_tokens", 0)
        .raw("completion_tokens_details.reasoning_tokens", 0).raw("completion_tokens_details.audio_tokens", 0)
        .raw("service_tier=default", 1).build();
  }

  /** Only what is required: every optional field null, zero usage, not estimated. */
  static CallRecord sparse(String callId) {
    return CallRecord.builder().timestamp(Instant.parse("2026-11-24T23:59:59.999999Z")).callId(callId)
        .outcome(CallRecord.REJECTED_BUDGET).build();
  }

  /** The i-th row of a bulk run: cost i nano-USD plus 0.001, so the sum is known exactly. */
  static CallRecord numbered(String prefix, long i) {
    return CallRecord.builder().timestamp(Instant.parse("2026-11-24T12:00:00Z").plusNanos(i * 1000))
        .callId(prefix + "-" + i).attribution(Attribution.of("c" + (i % 7), "f" + (i % 3)))
        .taskType("chat").tier("medium").model(ModelId.parse("openai/gpt-5-mini")).usage(Usage.of(100 + i % 50, 20))
        .costUsd(cost(i)).outcome(CallRecord.OK).attempts(1).latencyNanos(1000 + i).priceVersion("v1")
        .build();
  }

  static BigDecimal cost(long i) {
    return new BigDecimal("0.001").add(BigDecimal.valueOf(i, 9));
  }

  static String uniqueTable() {
    return "ledger_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  static void dropPg(String table) throws SQLException {
    TestPostgres.dropLedger(table);
  }
}
